import crypto from 'node:crypto';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Viewer } from '../../accounts/viewer.ts';
import type { DeadlineRule } from '../deadlines.ts';
import { searchWordsOfMany } from '../search.ts';
import { CategoryResolver, type CategoryName } from './categories.ts';
import { AppError, invalid, type FieldError } from '../../../errors.ts';
import { openExport, sampleRows, type OpenedExport, type RawRow } from './files.ts';
import { inferImport, SAMPLE_ROWS, type ImportProposal } from './infer.ts';
import type { ImportMapping } from './mapping.ts';
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
  /** Good rows whose ticket a later row of the same chunk repeats: the later row wins. */
  superseded: number;
  /** Its tickets' hashes (ticketHash), for the batch to tell whether it met them before (BatchTickets). */
  ticketHashes: Float64Array;
  /** Bytes of the file read when the chunk was complete. */
  bytes: number;
}

export interface FileDigest {
  bytes: number;
  sha256: string;
}

/** What the reader made of a file on opening it. */
export interface OpenedInfo {
  format: 'csv' | 'xlsx';
  encoding: string | null;
}

export interface ChunkSource {
  /**
   * The file's format and encoding, once the reader has opened it and found it importable;
   * rejects with the reason it is not (the refusal naming each column and its fix).
   */
  opened(): Promise<OpenedInfo>;
  next(): Promise<Chunk | null>;
  /** The file's size and SHA-256, once its chunks are read. */
  digest(): Promise<FileDigest>;
  close(): Promise<void>;
}

/** A file's size and SHA-256, read in one pass. */
export async function fileDigest(file: string): Promise<FileDigest> {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
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

/** What the inference needs of a plan. */
export type InferPlan = Pick<ChunkPlan, 'file' | 'mapping' | 'divisions' | 'categories' | 'defaultDistrict' | 'now'>;

/**
 * Opens an export and reads its first rows for the inference: the proposal, and the file's rows
 * from the first again. The gazetteer comes back set to prefer the districts the sample showed.
 */
export async function openInferred(
  plan: InferPlan,
): Promise<{ opened: OpenedExport; proposal: ImportProposal; gazetteer: Gazetteer; categories: CategoryResolver }> {
  const opened = await openExport(plan.file, plan.mapping);
  const { sample, rows } = await sampleRows(opened.rows, SAMPLE_ROWS);
  const gazetteer = Gazetteer.of(plan.divisions);
  const categories = new CategoryResolver(plan.categories, plan.mapping.categories);
  const proposal = inferImport({
    format: opened.format,
    encoding: opened.encoding,
    headerRow: opened.headerRow,
    header: opened.header,
    sample,
    mapping: plan.mapping,
    gazetteer,
    categories,
    defaultDistrict: plan.defaultDistrict,
    now: plan.now,
  });
  return { opened: { ...opened, rows }, proposal, gazetteer, categories };
}

/** The file cannot be imported as proposed: one message naming each column and its fix. */
export function refusal(proposal: ImportProposal) {
  return invalid(
    `无法读懂这个文件：${proposal.problems.map((p) => p.zh).join('；')}`,
    `The file cannot be understood: ${proposal.problems.map((p) => p.en).join('; ')}`,
    proposal.problems.map((p) => ({ field: p.field, message: `${p.zh} / ${p.en}` })),
  );
}

/** Reads chunks on this thread. */
export async function readChunks(plan: ChunkPlan): Promise<ChunkSource> {
  const { opened, proposal, gazetteer, categories } = await openInferred(plan);
  if (proposal.problems.length > 0) {
    await opened.rows.return(undefined);
    throw refusal(proposal);
  }
  const reader = new RowReader({
    columns: proposal.index,
    header: opened.header,
    gazetteer,
    categories,
    deadlineRules: plan.rules,
    viewer: plan.viewer,
    defaultDistrict: plan.defaultDistrict,
    now: plan.now,
  });
  let size = Math.min(FIRST_CHUNK_ROWS, plan.chunkRows);
  // Each ticket's first good row in the file (by a 53-bit hash of the ticket: a ticket string cut
  // from the reader's text would hold that whole piece of text alive), and the later rows of tickets that repeat.
  const firstRow = new Map<number, number>();
  const repeats = new Map<string, number[]>();
  return {
    opened: async () => ({ format: opened.format, encoding: opened.encoding }),
    async next() {
      const problems: RowProblem[] = [];
      const staged = new StagedRows();
      let rows = 0;
      const hashes: number[] = [];
      while (rows < size) {
        const next: IteratorResult<RawRow> = await opened.rows.next();
        if (next.done) break;
        if (next.value.cells.every((c) => c === '')) continue;
        if (++rows % YIELD_EVERY_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const result = reader.read(next.value);
        for (const problem of result.problems) problems.push(problem);
        if (result.appeal) {
          const ticket = result.appeal.ticketNo;
          const key = ticketHash(ticket);
          hashes.push(key);
          const first = firstRow.get(key);
          if (first === undefined) firstRow.set(key, result.appeal.rowNo);
          else {
            // The same ticket again: the later row is the newer state and lands; the report names the others.
            const earlier = repeats.get(ticket) ?? [first];
            const rowsText = earlier.slice(0, 10).join('、') + (earlier.length > 10 ? '…' : '');
            problems.push({
              rowNo: result.appeal.rowNo,
              column: opened.header[proposal.index.ticketNo!] ?? null,
              value: ticket,
              ticketNo: ticket,
              severity: 'warning',
              zh: `工单编号 ${ticket} 在本文件中重复：第 ${rowsText} 行也是它。同一工单以文件中最后出现的一行为准，其余行不导入`,
              en: `Ticket ${ticket} repeats in this file: rows ${earlier.slice(0, 10).join(', ')}${earlier.length > 10 ? '…' : ''} have it too. The last row of a ticket lands; the others do not`,
            });
            earlier.push(result.appeal.rowNo);
            repeats.set(ticket, earlier);
          }
          staged.add(result.appeal, result.searchText);
        }
      }
      size = plan.chunkRows;
      if (rows === 0) return null;
      const chunk = staged.finish();
      const bad = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.rowNo)).size;
      return {
        ...chunk,
        problems,
        rows,
        superseded: rows - bad - chunk.tickets,
        ticketHashes: Float64Array.from(hashes),
        bytes: opened.bytesRead(),
      };
    },
    digest: () => fileDigest(plan.file),
    async close() {
      await opened.rows.return(undefined);
    },
  };
}

/** Two 32-bit FNV-1a hashes of a ticket, as one 53-bit number: a million tickets collide with odds of about 1 in 20,000. */
function ticketHash(ticket: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < ticket.length; i++) {
    const c = ticket.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** Tickets a batch remembers to tell chunks new to it (8 bytes and a set entry each; a demo has a million). */
const MAX_BATCH_TICKETS = 4_000_000;

/**
 * The tickets a batch has read so far, by hash, whichever reader (or worker) read them: whether
 * a chunk's tickets all came first in it. Into a table that was empty when the batch began, such
 * a chunk's tickets cannot be stored yet, so the import need not look them up. A hash collision
 * only ever says "met before"; past MAX_BATCH_TICKETS it says so for good, and memory stays bounded.
 */
export class BatchTickets {
  private readonly seen = new Set<number>();
  private overflowed = false;

  /** Whether none of the chunk's tickets came in an earlier chunk of the batch; then notes them. */
  newToBatch(chunk: Pick<Chunk, 'ticketHashes'>): boolean {
    if (this.overflowed) return false;
    if (this.seen.size + chunk.ticketHashes.length > MAX_BATCH_TICKETS) {
      this.overflowed = true;
      this.seen.clear();
      return false;
    }
    let fresh = true;
    for (const hash of chunk.ticketHashes) if (this.seen.has(hash)) fresh = false;
    // Noted after the look: a ticket repeated within the chunk is the chunk's own business.
    for (const hash of chunk.ticketHashes) this.seen.add(hash);
    return fresh;
  }
}

/** Appeals encoded at a time: few enough that they die young, many enough to encode in one go. */
const GROUP_ROWS = 256;
const NEWLINE = 10;

/**
 * A chunk's good rows, encoded for COPY a group at a time as they are read. Kept as objects until
 * the chunk ends, 20,000 appeals outlived two young-generation collections each, and copying
 * them there cost the reader a fifth of its time; encoded, a row is a few hundred bytes outside
 * the heap. A ticket repeated within the chunk keeps its first place and its last row, as a Map
 * of the appeals did.
 */
class StagedRows {
  private pending: StagedAppeal[] = [];
  private searchTexts: Array<readonly [string, string]> = [];
  private readonly pieces: Uint8Array[] = [];
  /** Per encoded row: its piece, where it starts and ends there, and what the chunk reports of it. */
  private readonly piece: number[] = [];
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly withoutCommunity: boolean[] = [];
  /** Each ticket's latest row, in the order the tickets first came. */
  private readonly byTicket = new Map<string, number>();

  /** An appeal as RowReader.read gives it, search words still to be cut from `searchText`. */
  add(appeal: StagedAppeal, searchText: readonly [string, string]): void {
    this.pending.push(appeal);
    this.searchTexts.push(searchText);
    if (this.pending.length === GROUP_ROWS) this.flush();
  }

  private flush(): void {
    const appeals = this.pending;
    if (appeals.length === 0) return;
    const words = searchWordsOfMany(this.searchTexts);
    for (let i = 0; i < appeals.length; i++) appeals[i]!.searchWords = words[i]!;
    this.pending = [];
    this.searchTexts = [];
    const bytes = encodeStage(appeals);
    const piece = this.pieces.push(bytes) - 1;
    // Text format escapes a newline inside a value, so every newline ends a row.
    let at = 0;
    for (const a of appeals) {
      const end = bytes.indexOf(NEWLINE, at) + 1;
      const row = this.piece.push(piece) - 1;
      this.start.push(at);
      this.end.push(end);
      at = end;
      this.withoutCommunity.push(a.communityCode === null);
      // A ticket repeated within the file: the later row is the newer state.
      this.byTicket.set(a.ticketNo, row);
    }
  }

  finish(): Pick<Chunk, 'staged' | 'tickets' | 'withoutCommunity'> {
    this.flush();
    const rows = [...this.byTicket.values()];
    let size = 0;
    for (const row of rows) size += this.end[row]! - this.start[row]!;
    const staged = new Uint8Array(size);
    let at = 0;
    // Rows that follow each other in a piece are copied together: without repeated tickets, a piece at a time.
    for (let i = 0; i < rows.length; ) {
      const first = rows[i]!;
      let last = first;
      while (i + 1 < rows.length && rows[i + 1] === last + 1 && this.piece[last + 1] === this.piece[first]) last = rows[++i]!;
      i++;
      staged.set(this.pieces[this.piece[first]!]!.subarray(this.start[first]!, this.end[last]!), at);
      at += this.end[last]! - this.start[first]!;
    }
    let withoutCommunity = 0;
    for (const row of rows) if (this.withoutCommunity[row]) withoutCommunity++;
    return { staged, tickets: rows.length, withoutCommunity };
  }
}

/** What the reader's worker says of the `file`th export of a batch. */
export type FromWorker =
  | ({ type: 'opened'; file: number } & OpenedInfo)
  | { type: 'chunk'; file: number; chunk: Chunk }
  | { type: 'done'; file: number; digest: FileDigest }
  | { type: 'error'; file: number; message: string; problem?: WorkerProblem | undefined };

/** An AppError crossing from the worker: kind, both languages and the fields, as it was thrown. */
export interface WorkerProblem {
  kind: AppError['kind'];
  zh: string;
  en: string;
  errors: FieldError[];
}

/** What a file's reader hands to next(): all but the news that the file is open. */
type Queued = Exclude<FromWorker, { type: 'opened' }>;

/** A failure the worker reported, as the error it was: an AppError keeps its kind, languages and fields. */
function workerError(message: Extract<FromWorker, { type: 'error' }>): Error {
  if (message.problem) return new AppError(message.problem.kind, message.problem.zh, message.problem.en, message.problem.errors);
  return new Error(message.message);
}

/** What the reader's worker is told: a new batch, the next file of it, or that it may read further ahead. */
export type ToWorker = { batch: true } | { file: number; plan: ChunkPlan } | { credit: number };

/** How many chunks the worker may read ahead of the database, over the files of a batch. */
const READ_AHEAD = 2;

/**
 * A worker whose export was read to the end, kept for the next import a while: starting one costs
 * a second or two (tsx, jieba's dictionary), in which the database would wait for its first chunk.
 * Unreferenced while kept, so it never holds the process open.
 */
let idle: { worker: Worker; timer: NodeJS.Timeout } | undefined;
const KEEP_IDLE_WORKER_MS = 30_000;

function takeWorker(): Worker {
  if (idle) {
    const { worker, timer } = idle;
    idle = undefined;
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  const worker = new Worker(new URL('./chunk-worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./chunk-worker.ts', import.meta.url).href },
  });
  worker.once('exit', () => {
    if (idle?.worker !== worker) return;
    clearTimeout(idle.timer);
    idle = undefined;
  });
  return worker;
}

function keepWorker(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const timer = setTimeout(() => {
    if (idle?.worker !== worker) return;
    idle = undefined;
    void worker.terminate();
  }, KEEP_IDLE_WORKER_MS);
  timer.unref();
  idle = { worker, timer };
}

/**
 * Starts a reader's worker ahead of an import that is sure to come (the demo's, while it loads the
 * divisions), kept as an idle one is.
 */
export function warmUpReader(): void {
  if (!idle) keepWorker(takeWorker());
}

/**
 * Reads the files of an import batch in a worker thread (TypeScript loaded through tsx, as
 * everywhere else), one after another and as far ahead of the database as READ_AHEAD allows:
 * when the database is still taking one file's last chunks, the worker is reading the next file,
 * so that a batch of monthly exports flows like one long file.
 */
export class WorkerReader {
  /** The workers, each started when the first file comes to it: file i goes to worker i % count. */
  private readonly workers: Worker[] = [];
  private readonly files: Array<{
    /** The file's chunks and its end (or failure), in the order they came. */
    ready: Queued[];
    waiting?: ((message: Queued) => void) | undefined;
    finished: boolean;
    /** Settles when the worker has opened the file, or failed to. */
    opened: Promise<OpenedInfo>;
    settleOpened: (outcome: OpenedInfo | Error) => void;
  }> = [];
  private failure: string | undefined;
  private closed = false;

  /**
   * `count` workers read the batch's files in turns, each as far ahead as READ_AHEAD allows: one
   * keeps a database fed on two cores while nothing else runs, but beside the demo's export writer
   * (or whenever the database waits for a chunk) a second one uses the core the first cannot.
   */
  constructor(private readonly count = 1) {}

  private workerFor(index: number): Worker {
    const at = index % this.count;
    let worker = this.workers[at];
    if (!worker) {
      worker = takeWorker();
      worker.on('message', this.route);
      worker.on('error', this.onError);
      worker.on('exit', this.onExit);
      worker.postMessage({ batch: true } satisfies ToWorker);
      worker.postMessage({ credit: READ_AHEAD } satisfies ToWorker);
      this.workers[at] = worker;
    }
    return worker;
  }

  private readonly route = (message: FromWorker) => {
    const file = this.files[message.file];
    if (!file) return;
    if (message.type === 'opened') {
      file.settleOpened({ format: message.format, encoding: message.encoding });
      return;
    }
    if (message.type === 'error') file.settleOpened(workerError(message));
    if (file.waiting) {
      const resolve = file.waiting;
      file.waiting = undefined;
      resolve(message);
    } else file.ready.push(message);
  };

  /** The worker failed: every file still being read hears of it. */
  private fail(reason: string): void {
    this.failure ??= reason;
    for (const [i, file] of this.files.entries()) if (!file.finished) this.route({ type: 'error', file: i, message: reason });
  }

  private readonly onError = (error: Error) => this.fail(error.message);
  private readonly onExit = () => this.fail('the import’s reader stopped / import reader exited');

  /** Queues a file of the batch: its chunks come after those of the files added before. */
  add(plan: ChunkPlan): ChunkSource {
    const index = this.files.length;
    let settleOpened: (outcome: OpenedInfo | Error) => void = () => undefined;
    const opened = new Promise<OpenedInfo>((resolve, reject) => {
      settleOpened = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
    });
    // A file that fails to open fails its next() too: a caller that never asked opened() has not missed it.
    opened.catch(() => undefined);
    const file: (typeof this.files)[number] = { ready: [], finished: false, opened, settleOpened };
    this.files.push(file);
    const worker = this.failure ? undefined : this.workerFor(index);
    if (!worker) this.route({ type: 'error', file: index, message: this.failure! });
    else worker.postMessage({ file: index, plan } satisfies ToWorker);
    let digest: FileDigest | undefined;
    const receive = () => file.ready.shift() ?? new Promise<Queued>((resolve) => (file.waiting = resolve));
    return {
      opened: () => file.opened,
      next: async () => {
        if (file.finished) return null;
        const message = await receive();
        if (message.type === 'error') {
          file.finished = true;
          throw workerError(message);
        }
        if (message.type === 'done') {
          file.finished = true;
          digest = message.digest;
          return null;
        }
        worker?.postMessage({ credit: 1 } satisfies ToWorker);
        return message.chunk;
      },
      digest: async () => {
        if (!digest) throw new Error('the file’s digest is known once its chunks are read / read the chunks first');
        return digest;
      },
      // The workers belong to the batch: they stop or one is kept when the batch closes.
      close: async () => undefined,
    };
  }

  /** Ends the batch: a worker that read every file to the end is kept for the next import (one: keepWorker stops the others). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const finished = !this.failure && this.files.every((f) => f.finished);
    for (const worker of this.workers) {
      worker.off('message', this.route);
      worker.off('error', this.onError);
      worker.off('exit', this.onExit);
      if (finished) keepWorker(worker);
      else await worker.terminate();
    }
  }
}
