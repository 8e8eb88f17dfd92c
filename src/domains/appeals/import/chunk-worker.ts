import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../errors.ts';
import { readChunks, type ChunkPlan } from './chunks.ts';

/** The worker side of readChunksInWorker: reads as far ahead as the main thread allows. */
const port = parentPort!;
let credit = 0;
let wake: (() => void) | undefined;
port.on('message', (message: { credit: number }) => {
  credit += message.credit;
  wake?.();
});

async function run(): Promise<void> {
  const source = await readChunks(workerData as ChunkPlan);
  for (;;) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    const chunk = await source.next();
    if (!chunk) break;
    credit--;
    port.postMessage({ type: 'chunk', chunk });
  }
  port.postMessage({ type: 'done' });
  port.close();
}

run().catch((error: unknown) => {
  port.postMessage({ type: 'error', message: error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error) });
  port.close();
});
