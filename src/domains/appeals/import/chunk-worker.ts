import { parentPort } from 'node:worker_threads';
import { AppError } from '../../../errors.ts';
import { prepareSearchWords } from '../search.ts';
import { fileDigest, readChunks, type ChunkPlan, type FromWorker, type ToWorker } from './chunks.ts';

/**
 * The worker side of WorkerReader: reads a batch's exports one after another, as far ahead as the
 * main thread allows, and then waits for the next batch (starting a worker costs a second or two).
 */
const port = parentPort!;
let credit = 0;
let wake: (() => void) | undefined;
const queue: Array<{ file: number; plan: ChunkPlan }> = [];
let reading = false;

const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if ('batch' in message) {
    // Credit left from the batch before is not this one's.
    credit = 0;
    queue.length = 0;
  } else if ('plan' in message) {
    queue.push(message);
    if (!reading) void readQueued();
  } else credit += message.credit;
  wake?.();
});

prepareSearchWords();

async function readQueued(): Promise<void> {
  reading = true;
  for (let next = queue.shift(); next; next = queue.shift()) await read(next.file, next.plan);
  reading = false;
}

async function read(file: number, plan: ChunkPlan): Promise<void> {
  try {
    // Hashed beside the parse, on this thread: the main thread has the database to run.
    const digest = fileDigest(plan.file);
    digest.catch(() => undefined); // awaited below; a failure to read the file shows in readChunks first
    const source = await readChunks(plan);
    // Opened and found importable: the import records its format and encoding from this, rather
    // than opening and inferring the file a second time on the database's thread.
    send({ type: 'opened', file, ...(await source.opened()) });
    for (;;) {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      const chunk = await source.next();
      if (!chunk) break;
      credit--;
      send({ type: 'chunk', file, chunk });
    }
    send({ type: 'done', file, digest: await digest });
  } catch (error) {
    const problem = error instanceof AppError ? { kind: error.kind, zh: error.zh, en: error.en, errors: error.errors } : undefined;
    send({ type: 'error', file, message: error instanceof Error ? error.message : String(error), problem });
  }
}
