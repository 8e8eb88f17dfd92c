import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DemoLogin } from '../demo/users.ts';

/**
 * A first start on the embedded database builds it behind a served status page: a worker thread
 * creates the database, loads the divisions, the first admin and the demo, while the main thread
 * answers the web app and `/api/v1/status` from memory (one PGlite session, and its statements
 * hold the thread they run on, so the database stays with the worker until it is done).
 *
 * `first-start.json` beside the database says whether that build finished. It is written
 * `loading` before the database is created and `ready` only once the worker closed it with
 * everything in: a start that finds `loading` (the last one was killed halfway) removes the
 * half-built database and builds it again, so a half demo is never served as the demo.
 */
export interface FirstStartMarker {
  state: 'loading' | 'ready';
  demo: boolean;
  scale: number;
  startedAt: string;
  readyAt?: string;
}

export const markerFile = (dataDir: string) => path.join(dataDir, 'first-start.json');
export const pgliteDir = (dataDir: string) => path.join(dataDir, 'pglite');

export function readMarker(dataDir: string): FirstStartMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(markerFile(dataDir), 'utf8')) as FirstStartMarker;
  } catch {
    return undefined;
  }
}

export function writeMarker(dataDir: string, marker: FirstStartMarker): void {
  fs.mkdirSync(dataDir, { recursive: true });
  // Written whole and renamed: a kill while writing leaves the old marker, never half a file.
  const file = markerFile(dataDir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(marker, null, 2));
  fs.renameSync(`${file}.tmp`, file);
}

/**
 * `new`: no embedded database yet. `unfinished`: the last first start did not finish (its
 * database is half-built). Undefined: a database to serve as it is.
 */
export function pendingFirstStart(dataDir: string): 'new' | 'unfinished' | undefined {
  if (readMarker(dataDir)?.state === 'loading') return 'unfinished';
  return fs.existsSync(path.join(pgliteDir(dataDir), 'PG_VERSION')) ? undefined : 'new';
}

/** Removes what an unfinished first start left: its database and the demo's exports. The caller holds the data directory's lock. */
export function clearUnfinished(dataDir: string): void {
  fs.rmSync(pgliteDir(dataDir), { recursive: true, force: true });
  fs.rmSync(path.join(dataDir, 'demo-exports'), { recursive: true, force: true });
}

export type FirstStartMessage =
  | { type: 'log'; line: string }
  | { type: 'phase'; phase: 'divisions' | 'appeals' | 'programs' | 'logins'; step: string }
  | { type: 'progress'; done: number; total: number }
  | { type: 'admin'; login: string; password: string }
  | { type: 'done'; appeals: number; logins: DemoLogin[] }
  | { type: 'error'; message: string };

/**
 * Runs the first start's build in a worker thread, telling `onMessage` of each step; resolves
 * with its result once the worker has closed the database, rejects with its error.
 */
export function buildInWorker(
  dataDir: string,
  options: { demo: boolean; scale: number },
  onMessage: (message: FirstStartMessage) => void,
): { done: Promise<{ appeals: number; logins: DemoLogin[] }>; stop: () => Promise<void> } {
  const worker = new Worker(new URL('./first-start-worker-boot.mjs', import.meta.url), {
    workerData: { dataDir, demo: options.demo, scale: options.scale, entry: new URL('./first-start-worker.ts', import.meta.url).href },
  });
  const done = new Promise<{ appeals: number; logins: DemoLogin[] }>((resolve, reject) => {
    let result: { appeals: number; logins: DemoLogin[] } | undefined;
    worker.on('message', (message: FirstStartMessage) => {
      if (message.type === 'error') reject(new Error(message.message));
      else if (message.type === 'done') result = { appeals: message.appeals, logins: message.logins };
      else onMessage(message);
    });
    worker.on('error', reject);
    // 'done' is posted after the database is closed; the exit confirms nothing holds it any more.
    worker.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`首次启动的载入线程意外退出 / the first start's builder exited (${code})`)),
    );
  });
  return { done, stop: async () => void (await worker.terminate()) };
}
