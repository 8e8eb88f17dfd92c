import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../errors.ts';
import { readChunks, type ChunkPlan } from './chunks.ts';

/**
 * The worker side of readChunksInWorker: reads one export at a time, as far ahead as the main
 * thread allows, and then waits for the next (starting a worker costs a second or two).
 */
const port = parentPort!;
let credit = 0;
let wake: (() => void) | undefined;
port.on('message', (message: { plan: ChunkPlan } | { credit: number }) => {
  if ('plan' in message) {
    // Credit left from the export before is not this one's.
    credit = 0;
    void run(message.plan);
    return;
  }
  credit += message.credit;
  wake?.();
});

async function run(plan: ChunkPlan): Promise<void> {
  try {
    const source = await readChunks(plan);
    for (;;) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      const chunk = await source.next();
      if (!chunk) break;
      credit--;
      port.postMessage({ type: 'chunk', chunk });
    }
    port.postMessage({ type: 'done' });
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error) });
  }
}
