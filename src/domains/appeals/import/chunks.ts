import { Worker } from 'node:worker_threads';
import type { Viewer } from '../../accounts/viewer.ts';
import type { DeadlineRule } from '../deadlines.ts';
import { CategoryResolver, type CategoryName } from './categories.ts';
import { openExport, type RawRow } from './files.ts';
import { locateColumns, type ImportMapping } from './mapping.ts';
import { Gazetteer, type DivisionEntry } from './places.ts';
import { RowReader, type RowProblem, type StagedAppeal } from './rows.ts';
import { encodeStage } from './staging.ts';

/**
 * An export read in chunks of parsed rows. Parsing (CSV, normalising, matching, jieba) is about a
 * third of an import's work; in a worker thread it runs on the second core while the database
 * takes the previous chunk, instead of taking turns with it on one thread.
 */
export interface Chunk {
  /** The good rows, one per ticket, in COPY's text format for the staging table. */
  staged: Uint8Array;
  /** How many good rows (tickets), and how many of them have no community. */
  tickets: number;
  withoutCommunity: number;
  problems: RowProblem[];
  rows: number;
  /**
   * The place-months ('YYYY-MM-01|district|street|community') whose rollups the chunk's rows count
   * in, as staged: the month received and the month of the latest callback.
   */
  placeMonths: string[];
  /** Good rows whose ticket a later row of the same chunk repeats: the later row wins. */
  superseded: number;
  /** Bytes of the file read when the chunk was complete. */
  bytes: number;
}

export interface ChunkSource {
  next(): Promise<Chunk | null>;
  close(): Promise<void>;
}

/** Everything the reader needs, as plain data so that a worker can receive it. */
export interface ChunkPlan {
  file: string;
  mapping: ImportMapping;
  divisions: DivisionEntry[];
  categories: CategoryName[];
  rules: DeadlineRule[];
  viewer: Viewer;
  defaultDistrict: string | undefined;
  now: Date;
  chunkRows: number;
}

/** The first chunk is small, so the database starts while the rest is still being read. */
const FIRST_CHUNK_ROWS = 2_000;
/** Buffered rows resolve as microtasks, which starve I/O: let other work in now and then. */
const YIELD_EVERY_ROWS = 200;

/** Reads chunks on this thread. */
export async function readChunks(plan: ChunkPlan): Promise<ChunkSource> {
  const opened = await openExport(plan.file, plan.mapping);
  const reader = new RowReader({
    columns: locateColumns(opened.header, plan.mapping),
    header: opened.header,
    gazetteer: Gazetteer.of(plan.divisions),
    categories: new CategoryResolver(plan.categories, plan.mapping.categories),
    deadlineRules: plan.rules,
    viewer: plan.viewer,
    defaultDistrict: plan.defaultDistrict,
    now: plan.now,
  });
  let size = Math.min(FIRST_CHUNK_ROWS, plan.chunkRows);
  return {
    async next() {
      const byTicket = new Map<string, StagedAppeal>();
      const problems: RowProblem[] = [];
      let rows = 0;
      while (rows < size) {
        const next: IteratorResult<RawRow> = await opened.rows.next();
        if (next.done) break;
        if (next.value.cells.every((c) => c === '')) continue;
        if (++rows % YIELD_EVERY_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const result = reader.read(next.value);
        problems.push(...result.problems);
        // A ticket repeated within the file: the later row is the newer state.
        if (result.appeal) byTicket.set(result.appeal.ticketNo, result.appeal);
      }
      size = plan.chunkRows;
      if (rows === 0) return null;
      const appeals = [...byTicket.values()];
      const bad = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.rowNo)).size;
      return {
        staged: encodeStage(appeals),
        placeMonths: placeMonthsOf(appeals),
        tickets: appeals.length,
        withoutCommunity: appeals.filter((a) => a.communityCode === null).length,
        problems,
        rows,
        superseded: rows - bad - appeals.length,
        bytes: opened.bytesRead(),
      };
    },
    async close() {
      await opened.rows.return(undefined);
    },
  };
}

/** The calendar month in Beijing (UTC+8, no daylight saving) of a time, as its first day. */
function beijingMonth(time: Date): string {
  const shifted = new Date(time.getTime() + 8 * 3_600_000);
  return `${shifted.getUTCFullYear()}-${String(shifted.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

function placeMonthsOf(appeals: readonly StagedAppeal[]): string[] {
  const keys = new Set<string>();
  for (const a of appeals) {
    const place = `${a.districtCode}|${a.streetCode ?? ''}|${a.communityCode ?? ''}`;
    keys.add(`${beijingMonth(a.receivedAt)}|${place}`);
    if (a.lastCallbackAt) keys.add(`${beijingMonth(a.lastCallbackAt)}|${place}`);
  }
  return [...keys];
}

type FromWorker = { type: 'chunk'; chunk: Chunk } | { type: 'done' } | { type: 'error'; message: string };

/** How many chunks the worker may read ahead of the database. */
const READ_AHEAD = 2;

/** Reads chunks in a worker thread (TypeScript loaded through tsx, as everywhere else). */
export function readChunksInWorker(plan: ChunkPlan): ChunkSource {
  const worker = new Worker(new URL('./chunk-worker-boot.mjs', import.meta.url), {
    workerData: { ...plan, entry: new URL('./chunk-worker.ts', import.meta.url).href },
  });
  const ready: FromWorker[] = [];
  let waiting: ((message: FromWorker) => void) | undefined;
  const deliver = (message: FromWorker) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(message);
    } else {
      ready.push(message);
    }
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ type: 'error', message: error.message }));
  worker.on('exit', () => deliver({ type: 'done' }));
  worker.postMessage({ credit: READ_AHEAD });
  let finished = false;
  return {
    async next() {
      if (finished) return null;
      const message = ready.shift() ?? (await new Promise<FromWorker>((resolve) => (waiting = resolve)));
      if (message.type === 'error') {
        finished = true;
        throw new Error(message.message);
      }
      if (message.type === 'done') {
        finished = true;
        return null;
      }
      worker.postMessage({ credit: 1 });
      return message.chunk;
    },
    async close() {
      finished = true;
      await worker.terminate();
    },
  };
}
