import { parentPort, workerData } from 'node:worker_threads';
import { writeDemoExports, type DemoExportsMessage } from './appeals.ts';

/** The worker side of demoExportsInWorker: writes the yearly exports and says when each is ready. */
const port = parentPort!;
const { scale, dir } = workerData as { scale: number; dir: string };
writeDemoExports(scale, dir, (message: DemoExportsMessage) => port.postMessage(message)).then(
  () => port.close(),
  (error: unknown) => {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies DemoExportsMessage);
    port.close();
  },
);
