import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { CopyConnection, Database } from '../../../db/connection.ts';
import type { Tables } from '../../../db/tables.ts';
import { AppError, conflict, invalid, notFound } from '../../../errors.ts';
import { auditBy } from '../../accounts/audit.ts';
import { inScope, type Viewer } from '../../accounts/viewer.ts';
import { countAppealChange, countImportedAppeals, rebuildRollups } from '../../evaluation/rollup.ts';
import { countedOf } from '../counted.ts';
import { transact } from '../../../db/transaction.ts';
import { naturalCode } from '../../geo/codes.ts';
import { findDivision } from '../../geo/queries.ts';
import { cursorProblem, idCursor, nextCursor } from '../../../shared/paging.ts';
import * as appealQueries from '../queries.ts';
import {
  BatchTickets,
  openInferred,
  readChunks,
  WorkerReader,
  type Chunk,
  type ChunkPlan,
  type ChunkSource,
  type FileDigest,
} from './chunks.ts';
import type { ImportProposal } from './infer.ts';
import { mergeMapping, type ImportMapping, type MappingOverride } from './mapping.ts';
import { Gazetteer } from './places.ts';
import { requireImportAction } from './policy.ts';
import { presentImport, presentProblem, presentUnmatched, problemsCsv } from './present.ts';
import * as q from './queries.ts';
import type { ImportSummary, UnmatchedPage, UnmatchedItem, ImportPage } from './schemas.ts';
import * as staging from './staging.ts';
import { yieldAfterEachStatement, yieldingConnection, yieldToRequests } from './turns.ts';

export interface ImportOptions {
  /** The name the import records; defaults to the file's base name (an upload passes the original). */
  fileName?: string | undefined;
  /** The source whose saved mapping to use; a mapping given too is saved under it. */
  source?: string | undefined;
  mapping?: MappingOverride | undefined;
  /** The district of rows that name none. */
  district?: string | undefined;
  /** Province whose names are matched (default Beijing, 11). */
  province?: string | undefined;
  /** Rows per staging chunk (and per progress report). */
  chunkRows?: number | undefined;
  now?: Date | undefined;
  /** Parse in a worker thread (default for files over 4 MB), or on this thread. */
  parallel?: boolean | undefined;
  /**
   * Load in bulk: appeal's secondary B-tree indexes and the foreign keys of appeal and appeal_event are
   * dropped while the rows go in and built again before the commit (see `wantsBulk`). Left out,
   * the import decides by its size against what is stored.
   */
  bulk?: boolean | undefined;
  /**
   * Commit chunk by chunk instead of once (see importsInSteps for when): each chunk lands with its
   * rollups in a transaction of its own. Never in bulk. A failure or a stop keeps the chunks
   * already committed and records the import as failed with what it landed; importing the same
   * file again lands the rest, each ticket once.
   */
  inSteps?: boolean | undefined;
  /** Called after each chunk lands, inside the transaction: throwing aborts the whole import. */
  onProgress?: ((progress: ImportProgress) => void) | undefined;
}

export interface ImportProgress {
  /** Rows read so far, of all the batch's files. */
  rows: number;
  /** Bytes read of the file being read, and its size. */
  bytes: number;
  totalBytes: number;
  /** Which of the batch's files is being read, from 0. */
  file: number;
}

const DEFAULT_CHUNK_ROWS = 20_000;
/**
 * Rows per committed step of an import in steps. On PGlite every statement holds the server's one
 * thread while it runs, and a request that reads the database waits for the whole step (one
 * session, held by the step's transaction): a step of 500 rows takes about a quarter of the
 * 2,000 rows' time (a step's cost follows its rows since the rollups are counted by differences).
 * Requests that need no database are answered between the step's statements (turns.ts).
 */
export const STEP_CHUNK_ROWS = 500;
/**
 * Rows per committed step on PostgreSQL, where a step holds no other request's session: as many
 * as a chunk of one transaction, so that steps cost little more than it. What a step has written
 * and not yet committed is what a list page passes over (BENCHMARKS.md, "An import beside
 * reads"): 300,000 such rows cost a page about 300 ms, so this many cost it about 20 ms.
 */
const PG_STEP_CHUNK_ROWS = DEFAULT_CHUNK_ROWS;

/**
 * Whether an import should commit in steps rather than in one transaction. On the embedded
 * database, in the server (`serving`): its one session, held by one transaction for the whole
 * import, would keep every other request waiting; the CLI holds the database alone. On
 * PostgreSQL, whenever appeals are stored: readers do not wait for the import's locks, but a list
 * page newest first passes over every row the import has written and not yet committed (300,000
 * of them turned a 14 ms page into 300 ms, and they stay in the way until vacuumed if it fails),
 * so the import commits as it goes. A first load (nothing stored, nobody to serve) takes one
 * transaction and the bulk path.
 */
export async function importsInSteps(db: Database, serving: boolean): Promise<boolean> {
  if (db.backend === 'pglite') return serving;
  return (await q.countStoredAppeals(db.kysely, 1)) > 0;
}
/** Imports that change this many appeals refresh the planner's statistics afterwards. */
const ANALYZE_FROM_ROWS = 1_000;
const PARALLEL_FROM_BYTES = 4 * 1024 * 1024;
/** Reader workers of a batch (BENCHMARKS.md "The first start": the demo's database waited 20 s for one). */
const BATCH_READERS = 2;
/** Bytes per row of a hotline export, on the low side: how many rows a file holds, roughly, before it is read. */
const EXPORT_BYTES_PER_ROW = 300;
/** Bulk loads are for many new appeals: below this, keeping the indexes up to date costs less than their rebuild. */
const BULK_FROM_NEW_ROWS = 20_000;

/** Whether an import loads in bulk, judged after its first chunk: why these bounds, BENCHMARKS.md "When an import loads in bulk". */
async function wantsBulk(
  trx: Transaction<Tables>,
  load: { backend: Database['backend']; fileBytes: number; firstLoad: boolean },
  chunk: { tickets: number },
  stored: number,
): Promise<boolean> {
  if (chunk.tickets === 0) return false;
  const expectedNew = (load.fileBytes / EXPORT_BYTES_PER_ROW) * ((chunk.tickets - stored) / chunk.tickets);
  if (expectedNew < BULK_FROM_NEW_ROWS) return false;
  if (load.backend === 'postgres') return load.firstLoad;
  return (await q.countStoredAppeals(trx, Math.ceil(expectedNew * 3))) < expectedNew * 3;
}
/** Problems stored per import; the counts still count them all. */
const MAX_STORED_PROBLEMS = 100_000;

/**
 * The mapping a source uses: the one given over the source's saved one (and then saved: a
 * confirmed mapping is reused next time), the saved one, or the default. A preview saves nothing.
 */
async function mappingFor(
  db: Kysely<Tables>,
  source: string | undefined,
  override: MappingOverride | undefined,
  viewer: Viewer,
  save = true,
): Promise<{ mapping: ImportMapping; saved: boolean }> {
  if (source !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(source)) {
    throw invalid('来源名称有误', 'Invalid source name', [
      { field: 'source', message: '字母、数字、_ . -，至多 64 个 / letters, digits, _ . -, up to 64' },
    ]);
  }
  const stored = source ? await q.findSource(db, source) : undefined;
  const saved = stored ? (stored.mapping as MappingOverride) : undefined;
  // What is given replaces the saved parts it names: confirmed columns do not drop the source's category words.
  const merged: MappingOverride | undefined = override ? { ...saved, ...override } : saved;
  const mapping = mergeMapping(merged);
  if (source && save && (override || !stored)) await q.saveSource(db, source, merged ?? {}, viewer.actor);
  return { mapping, saved: saved !== undefined && Object.keys(saved).length > 0 };
}

async function defaultDistrictFor(db: Kysely<Tables>, given: string | undefined, viewer: Viewer): Promise<string | undefined> {
  if (given === undefined) return undefined;
  const code = naturalCode(given);
  const division = code && code.length === 6 ? await findDivision(db, code) : undefined;
  if (!division)
    throw invalid('默认区有误', 'Invalid default district', [{ field: 'district', message: `“${given}”不是区代码 / not a district code` }]);
  // A district office imports its own district; a street-level importer may still name its district.
  if (!inScope(viewer, code!) && !viewer.scopeCode.startsWith(code!)) {
    throw new AppError('forbidden', `${code} 不在您的管辖范围内`, `${code} is outside your scope`);
  }
  return code;
}

const noCounts = (): q.ImportCounts => ({ rows_total: 0, inserted: 0, updated: 0, unchanged: 0, unmatched: 0, bad_rows: 0, warnings: 0 });

/** Adds `more` into `counts`; returns `counts`. */
function addCounts(counts: q.ImportCounts, more: q.ImportCounts): q.ImportCounts {
  for (const key of Object.keys(more) as Array<keyof q.ImportCounts>) counts[key] += more[key];
  return counts;
}

/**
 * Lands a chunk already staged (`stored` of its tickets found in appeal) inside `trx`: the stored
 * tickets' places filled and changed outcomes updated; new tickets inserted; its problems recorded
 * up to the import's cap. With `counting`, what each change moves in the rollups is noted (the
 * stored appeals as they were counted and as they are, the new ones) for countImportedAppeals;
 * when that runs (once per batch, or once per step) is the caller's. A first load notes nothing:
 * it recounts everything at its end. Returns what the chunk adds to the import's counts.
 */
async function landChunk(
  trx: Transaction<Tables>,
  connection: CopyConnection,
  chunk: Chunk,
  stored: number,
  context: { actor: string; importId: number; counting: boolean; problemsStored: number; lap?: (step: string) => void },
): Promise<{ counts: q.ImportCounts; problemsStored: number }> {
  let updated = 0;
  if (stored > 0) {
    if (context.counting) await staging.noteCountedBefore(trx);
    await staging.fillPlaces(trx, context.actor);
    updated = await staging.updateOutcomes(trx, context.actor);
    if (context.counting) await staging.noteCountedAfter(trx);
  }
  context.lap?.('update');
  const { inserted } = await staging.insertNew(trx, context.actor, context.importId);
  if (context.counting && inserted > 0) await staging.noteCountedNew(trx);
  context.lap?.('insert');
  const toStore = chunk.problems.slice(0, Math.max(0, MAX_STORED_PROBLEMS - context.problemsStored));
  await staging.recordProblems(connection, context.importId, toStore);
  return {
    counts: {
      rows_total: chunk.rows,
      inserted,
      updated,
      unchanged: chunk.tickets - inserted - updated + chunk.superseded,
      // Stored state, not the file's: an appeal matched by hand earlier stays matched.
      unmatched: chunk.withoutCommunity === 0 ? 0 : await staging.countWithoutCommunity(trx),
      bad_rows: new Set(chunk.problems.filter((p) => p.severity === 'error').map((p) => p.rowNo)).size,
      warnings: chunk.problems.filter((p) => p.severity === 'warning').length,
    },
    problemsStored: toStore.length,
  };
}

/** MUSTANSWER_IMPORT_TIMING=1 prints how long each step of each chunk took, for tuning. */
function stopwatch(): (step: string) => void {
  let last = performance.now();
  return (step) => {
    if (!process.env.MUSTANSWER_IMPORT_TIMING) return;
    const now = performance.now();
    process.stderr.write(`${step} ${(now - last).toFixed(0)} ms  `);
    if (step === 'insert' || step === 'rollups' || step === 'indexes' || step === 'open' || step === 'analyze') process.stderr.write('\n');
    last = now;
  };
}

/**
 * Imports one hotline export (CSV or XLSX). Good rows land, bad rows are reported with row,
 * column and reason; the whole file is one transaction, so a failure halfway leaves nothing and a
 * rerun lands each good row once. Idempotent on the ticket number: unchanged rows stay as they
 * are, changed outcomes are updated with an `imported` event.
 */
export async function importAppeals(db: Database, file: string, viewer: Viewer, options: ImportOptions = {}): Promise<ImportSummary> {
  const [summary] = await importAppealFiles(db, [{ file, fileName: options.fileName }], viewer, options);
  return summary!;
}

export interface ImportFile {
  file: string;
  /** The name the import records; defaults to the file's base name. */
  fileName?: string | undefined;
}

/** What an import knows of a file before its rows are read; its digest comes with the last chunk. */
interface OpenedFile {
  name: string;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  bytes: number;
}

/**
 * The file as its reader opened it (format, encoding), or the reason it cannot be imported. The
 * reader has opened and inferred it already, in its worker when there is one: asking it, rather
 * than opening the file again here, spares the database's thread about 100 ms a file (a demo's 37
 * monthly exports: 3–4 s, BENCHMARKS.md "The first start").
 */
async function openFile(input: ImportFile, source: ChunkSource, inBatch: boolean): Promise<OpenedFile> {
  const name = (input.fileName ?? path.basename(input.file)).slice(0, 255);
  try {
    const { format, encoding } = await source.opened();
    return { name, format, encoding, bytes: (await fs.promises.stat(input.file)).size };
  } catch (error) {
    // In a batch, which file it was is the first thing to know.
    if (inBatch && error instanceof AppError) throw new AppError(error.kind, `${name}：${error.zh}`, `${name}: ${error.en}`, error.errors);
    throw error;
  }
}

/** The record an import of an opened file starts with; its digest is known once the file has been read (the reader hashes it as it parses). */
function importRecord(opened: OpenedFile, source: string | undefined, district: string | undefined, viewer: Viewer): q.ImportRecordInsert {
  return {
    source_name: source ?? null,
    file_name: opened.name,
    file_bytes: opened.bytes,
    file_sha256: '',
    format: opened.format,
    encoding: opened.encoding,
    district_code: district ?? null,
    imported_by: viewer.actor,
    scope_code: viewer.scopeCode,
  };
}

/**
 * The batch's files, each handed to `start` as soon as it is known: while the database takes one
 * file, the reader is already reading the next. A file's failure to start surfaces when the batch
 * reaches it.
 */
async function* readAhead<T extends { close(): Promise<void> }>(
  files: Iterable<ImportFile> | AsyncIterable<ImportFile>,
  start: (input: ImportFile) => Promise<T>,
): AsyncGenerator<{ input: ImportFile; source: T }> {
  const iterator =
    Symbol.asyncIterator in files
      ? files[Symbol.asyncIterator]()
      : (async function* () {
          yield* files;
        })();
  const fetch = () => {
    const upcoming = iterator.next().then(async (next) => (next.done ? null : { input: next.value, source: await start(next.value) }));
    // Awaited when the batch gets to it; until then a failure must not count as unhandled.
    upcoming.catch(() => undefined);
    return upcoming;
  };
  let upcoming = fetch();
  try {
    for (;;) {
      const current = await upcoming;
      if (!current) return;
      upcoming = fetch();
      yield current;
    }
  } finally {
    // Left early (the batch failed): the file read ahead is closed once it has started, and the
    // files' iterator is told to stop, without waiting for a file still being written.
    void upcoming.then(
      (next) => next?.source.close(),
      () => undefined,
    );
    void iterator.return?.()?.catch(() => undefined);
  }
}

/**
 * Imports several exports as one: each file is read, checked and recorded as its own import
 * (with its own counts and problems), but all of them in one transaction, so the batch lands
 * whole or not at all, and what an import does once at its end — rebuilding the indexes a bulk
 * load set aside, bringing the rollups up to date — is done once for the batch. Files may arrive
 * while the batch runs (the demo writes next month's export while this one is imported); they are
 * imported in the order given, so a later file's state of a ticket wins.
 */
export async function importAppealFiles(
  db: Database,
  files: Iterable<ImportFile> | AsyncIterable<ImportFile>,
  viewer: Viewer,
  options: Omit<ImportOptions, 'fileName'> = {},
): Promise<ImportSummary[]> {
  requireImportAction(viewer, 'appeal.import');
  const now = options.now ?? new Date();
  const district = await defaultDistrictFor(db.kysely, options.district, viewer);
  const { mapping } = await mappingFor(db.kysely, options.source, options.mapping, viewer);
  const [divisions, categories, rules] = await Promise.all([
    Gazetteer.rowsOf(db.kysely, options.province ?? '11'),
    appealQueries.listCategories(db.kysely),
    q.listDeadlineRules(db.kysely),
  ]);
  if (divisions.length === 0) {
    throw invalid(
      `尚未载入省 ${options.province ?? '11'} 的区划（mustanswer geo load）`,
      `The divisions of province ${options.province ?? '11'} are not loaded (mustanswer geo load)`,
    );
  }
  const planOf = (file: string): ChunkPlan => ({
    file,
    mapping,
    divisions,
    categories: categories.map((c) => ({ code: c.code, name_zh: c.name_zh })),
    rules,
    viewer,
    defaultDistrict: district,
    now,
    chunkRows:
      options.chunkRows ?? (!options.inSteps ? DEFAULT_CHUNK_ROWS : db.backend === 'pglite' ? STEP_CHUNK_ROWS : PG_STEP_CHUNK_ROWS),
  });

  // A worker costs a second or so to start (tsx, jieba's dictionary): worth it from a few MB on,
  // judged by the first file. It reads the batch's files back to back, each handed to it as soon
  // as it is known; a batch of several is read by two in turns where there are two cores (an
  // import in steps keeps to one: the server's requests need the other core).
  let reader: WorkerReader | undefined;
  let parallel: boolean | undefined;
  const startReading = async (input: ImportFile): Promise<ChunkSource> => {
    parallel ??= options.parallel ?? (await fs.promises.stat(input.file)).size > PARALLEL_FROM_BYTES;
    if (!parallel) return readChunks(planOf(input.file));
    reader ??= new WorkerReader(options.inSteps ? 1 : Math.min(BATCH_READERS, os.availableParallelism()));
    return reader.add(planOf(input.file));
  };

  // Errors of one file among several name it; a lone file's do not need to.
  const inBatch = !Array.isArray(files) || files.length > 1;
  if (options.inSteps) {
    try {
      return await importInSteps(db, viewer, readAhead(files, startReading), {
        inBatch,
        district,
        source: options.source,
        onProgress: options.onProgress,
      });
    } finally {
      await reader?.close();
    }
  }
  /** Each file's record, as the batch created it inside its transaction. */
  const started: Array<{ id: number; record: q.ImportRecordInsert; counts: q.ImportCounts }> = [];
  let chunks: ChunkSource | undefined;
  let batchRows = 0;
  try {
    await db.withConnection((connection) =>
      connection.kysely.transaction().execute(async (trx) => {
        await staging.createStaging(trx);
        // A first load: every rollup row comes from this batch, and recounting them all from the
        // appeals at the end is cheaper than noting each change as it lands.
        const firstLoad = (await q.countStoredAppeals(trx, 1)) === 0;
        let bulk: q.SetAside | undefined;
        let decided = false;
        const batchTickets = new BatchTickets();
        let waited = stopwatch();
        for await (const { input, source } of readAhead(files, startReading)) {
          chunks = source;
          waited('file');
          const opened = await openFile(input, source, inBatch);
          const record = importRecord(opened, options.source, district, viewer);
          const importId = await q.createImport(trx, record);
          const counts = noCounts();
          started.push({ id: importId, record, counts });
          waited('open');
          let problemsStored = 0;
          for (;;) {
            const lap = stopwatch();
            const chunk = await source.next();
            if (!chunk) break;
            lap('read');
            const stored = await staging.stage(trx, connection, chunk.staged, { allNew: firstLoad && batchTickets.newToBatch(chunk) });
            lap('stage');
            if (!decided) {
              decided = true;
              if (options.bulk ?? (await wantsBulk(trx, { backend: db.backend, fileBytes: opened.bytes, firstLoad }, chunk, stored))) {
                if (firstLoad) await q.startAfresh(trx);
                bulk = await q.setAsideForBulk(trx, { searchIndex: firstLoad });
              }
            }
            const landed = await landChunk(trx, connection, chunk, stored, {
              actor: viewer.actor,
              importId,
              counting: !firstLoad,
              problemsStored,
              lap,
            });
            addCounts(counts, landed.counts);
            problemsStored += landed.problemsStored;
            batchRows += chunk.rows;
            options.onProgress?.({ rows: batchRows, bytes: chunk.bytes, totalBytes: opened.bytes, file: started.length - 1 });
          }
          const digest: FileDigest = await source.digest();
          record.file_bytes = digest.bytes;
          record.file_sha256 = digest.sha256;
          await source.close();
          chunks = undefined;
          waited = stopwatch();
        }
        const lap = stopwatch();
        if (bulk) {
          await q.restoreAfterBulk(trx, bulk);
          lap('indexes');
        }
        if (firstLoad) await rebuildRollups(trx, { afresh: bulk !== undefined });
        else await countImportedAppeals(trx, 'import_counted');
        lap('rollups');
        for (const { id, record, counts } of started) {
          await q.finishImport(trx, id, { ...counts, file_bytes: record.file_bytes, file_sha256: record.file_sha256 });
          await auditBy(trx, viewer, 'appeal.import', 'appeal_import', id, {
            fileName: record.file_name,
            source: options.source ?? null,
            sha256: record.file_sha256,
            ...counts,
          });
        }
      }),
    );
  } catch (error) {
    // The records went with the rolled-back transaction: each file begun is recorded again, failed.
    const failure = error instanceof Error ? error.message : String(error);
    try {
      for (const { record } of started) await q.failImport(db.kysely, await q.createImport(db.kysely, record), failure);
    } catch {
      // The database may be what failed: the import's own error is the one to report.
    }
    throw error;
  } finally {
    await chunks?.close();
    await reader?.close();
  }
  // PGlite runs no autovacuum: without fresh statistics the planner treats a table that just
  // grew by an import as empty (a latest-day lookup then reads a whole month of appeals).
  const changed = started.reduce((n, { counts }) => n + counts.inserted + counts.updated, 0);
  const lap = stopwatch();
  if (changed >= ANALYZE_FROM_ROWS) await q.analyzeImported(db.kysely);
  lap('analyze');
  return Promise.all(started.map(({ id }) => getImport(db.kysely, id, viewer)));
}

/**
 * At a server's start: imports in steps that were `running` when the process stopped are marked
 * failed (with what they had landed), so that no import shows as running forever. The embedded
 * database only: there the server is the only process, so nothing can still be running; on
 * PostgreSQL another server may be importing right now. Returns how many were marked.
 */
export async function failInterruptedImports(db: Database): Promise<number> {
  if (db.backend !== 'pglite') return 0;
  return q.failInterruptedImports(db.kysely);
}

/**
 * An import in steps (ImportOptions.inSteps): each chunk is staged, landed and counted in the
 * rollups of its place-months in a transaction of its own, the import's record (created and
 * committed first, `running`) carrying the counts so far, so that between two chunks other
 * requests get the database. The first load's bulk path is not taken: it would leave the table
 * without its indexes for everyone else between the steps.
 */
async function importInSteps(
  db: Database,
  viewer: Viewer,
  sources: AsyncGenerator<{ input: ImportFile; source: ChunkSource }>,
  context: {
    inBatch: boolean;
    district: string | undefined;
    source: string | undefined;
    onProgress: ImportOptions['onProgress'];
  },
): Promise<ImportSummary[]> {
  const ids: number[] = [];
  let batchRows = 0;
  let changed = 0;
  for await (const { input, source } of sources) {
    let id: number | undefined;
    const counts = noCounts();
    try {
      const opened = await openFile(input, source, context.inBatch);
      const record = importRecord(opened, context.source, context.district, viewer);
      id = await q.createImport(db.kysely, record);
      ids.push(id);
      const importId = id;
      let problemsStored = 0;
      for (;;) {
        const lap = stopwatch();
        const chunk = await source.next();
        if (!chunk) break;
        lap('read');
        await db
          .withConnection((session) =>
            transact(session.kysely, async (inStep) => {
              // Each statement of the step then lets the event loop turn (turns.ts).
              const trx = inStep.withPlugin(yieldAfterEachStatement);
              const connection = yieldingConnection(session);
              await staging.createStaging(trx);
              const stored = await staging.stage(trx, connection, chunk.staged);
              lap('stage');
              const landed = await landChunk(trx, connection, chunk, stored, {
                actor: viewer.actor,
                importId,
                counting: true,
                problemsStored,
                lap,
              });
              // The step's rollups commit with its rows: a read between steps sees them agree.
              await countImportedAppeals(trx, 'import_counted');
              lap('rollups');
              const next = addCounts({ ...counts }, landed.counts);
              await q.noteImportProgress(trx, importId, next);
              // Counted once the step has committed: a retried step is not counted twice.
              return () => {
                Object.assign(counts, next);
                problemsStored += landed.problemsStored;
              };
            }),
          )
          .then((commit) => commit());
        batchRows += chunk.rows;
        context.onProgress?.({ rows: batchRows, bytes: chunk.bytes, totalBytes: opened.bytes, file: ids.length - 1 });
        await yieldToRequests();
      }
      const digest: FileDigest = await source.digest();
      await transact(db.kysely, async (trx) => {
        await q.finishImport(trx, importId, { ...counts, file_bytes: digest.bytes, file_sha256: digest.sha256 });
        await auditBy(trx, viewer, 'appeal.import', 'appeal_import', importId, {
          fileName: record.file_name,
          source: context.source ?? null,
          sha256: digest.sha256,
          inSteps: true,
          ...counts,
        });
      });
      changed += counts.inserted + counts.updated;
    } catch (error) {
      // The steps committed stay (each is whole); the record says the import failed and what it landed.
      if (id !== undefined) {
        const failure = error instanceof Error ? error.message : String(error);
        await q.failImport(db.kysely, id, failure).catch(() => undefined);
      }
      throw error;
    } finally {
      await source.close();
    }
  }
  if (changed >= ANALYZE_FROM_ROWS) {
    await yieldToRequests();
    await q.analyzeImportedInTurns(db.kysely, yieldToRequests);
  }
  return Promise.all(ids.map((id) => getImport(db.kysely, id, viewer)));
}

export interface ImportPreview extends Omit<ImportProposal, 'index'> {
  fileName: string;
  source: string | null;
  /** Whether the source had a saved mapping, which the proposal used. */
  savedMapping: boolean;
}

/**
 * What an import would make of a file, written nowhere: each column's role with its evidence,
 * where rows naming no district would go, the encoding, and what would stop it. The web page shows
 * it as a preview to confirm; the CLI prints it before importing (or instead, with --dry-run).
 */
export async function previewImport(
  db: Database,
  file: string,
  viewer: Viewer,
  options: Pick<ImportOptions, 'fileName' | 'source' | 'mapping' | 'district' | 'province' | 'now'> = {},
): Promise<ImportPreview> {
  requireImportAction(viewer, 'appeal.import');
  const district = await defaultDistrictFor(db.kysely, options.district, viewer);
  const { mapping, saved } = await mappingFor(db.kysely, options.source, options.mapping, viewer, false);
  const [divisions, categories] = await Promise.all([
    Gazetteer.rowsOf(db.kysely, options.province ?? '11'),
    appealQueries.listCategories(db.kysely),
  ]);
  if (divisions.length === 0) {
    throw invalid(
      `尚未载入省 ${options.province ?? '11'} 的区划（mustanswer geo load）`,
      `The divisions of province ${options.province ?? '11'} are not loaded (mustanswer geo load)`,
    );
  }
  const { opened, proposal } = await openInferred({
    file,
    mapping,
    divisions,
    categories: categories.map((c) => ({ code: c.code, name_zh: c.name_zh })),
    defaultDistrict: district,
    now: options.now ?? new Date(),
  });
  await opened.rows.return(undefined);
  const { index: _index, ...shown } = proposal;
  return {
    ...shown,
    fileName: (options.fileName ?? path.basename(file)).slice(0, 255),
    source: options.source ?? null,
    savedMapping: saved,
  };
}

export async function getImport(db: Kysely<Tables>, id: number, viewer: Viewer): Promise<ImportSummary> {
  requireImportAction(viewer, 'appeal.import.read');
  const row = await q.findImport(db, id, viewer.scopeCode);
  if (!row) throw notFound(`未找到导入记录 ${id}`, `No import with id ${id}`);
  const problems = await q.listProblems(db, id, 20);
  return presentImport(row, problems.map(presentProblem));
}

export async function listImports(
  db: Kysely<Tables>,
  input: { limit?: number | undefined; cursor?: string | undefined },
  viewer: Viewer,
): Promise<ImportPage> {
  requireImportAction(viewer, 'appeal.import.read');
  const limit = input.limit ?? 50;
  const before = idCursor(input.cursor);
  const [rows, total] = await Promise.all([q.listImports(db, viewer.scopeCode, limit, before), q.countImports(db, viewer.scopeCode)]);
  return {
    items: rows.map((row) => presentImport(row, [])),
    nextCursor: nextCursor(rows, limit, (row) => row.id),
    total,
  };
}

/** The full report of an import's problems as CSV (UTF-8 with BOM, so Excel opens it in Chinese). */
export async function importProblemsCsv(db: Kysely<Tables>, id: number, viewer: Viewer): Promise<{ fileName: string; csv: string }> {
  requireImportAction(viewer, 'appeal.import.read');
  const row = await q.findImport(db, id, viewer.scopeCode);
  if (!row) throw notFound(`未找到导入记录 ${id}`, `No import with id ${id}`);
  const problems = await q.listProblems(db, id, MAX_STORED_PROBLEMS);
  return { fileName: `import-${id}-errors.csv`, csv: problemsCsv(problems.map(presentProblem)) };
}

export async function listUnmatched(
  db: Kysely<Tables>,
  input: { importId?: number | undefined; district?: string | undefined; limit?: number | undefined; cursor?: string | undefined },
  viewer: Viewer,
): Promise<UnmatchedPage> {
  requireImportAction(viewer, 'appeal.import.read');
  const limit = input.limit ?? 50;
  const after = input.cursor === undefined ? undefined : Number(input.cursor);
  const district = input.district === undefined ? undefined : naturalCode(input.district);
  const errors = [];
  if (after !== undefined && !Number.isInteger(after)) errors.push({ ...cursorProblem });
  if (input.district !== undefined && !district) errors.push({ field: 'district', message: '应为区划代码 / a division code' });
  if (errors.length > 0) throw invalid('查询条件有误', 'Invalid filters', errors);
  const filter = { importId: input.importId, district };
  const [rows, total] = await Promise.all([
    q.listUnmatched(db, viewer.scopeCode, filter, limit, after),
    q.countUnmatched(db, viewer.scopeCode, filter),
  ]);
  return { items: rows.map(presentUnmatched), nextCursor: nextCursor(rows, limit, (row) => row.id), total };
}

/**
 * Someone picked the community of a queued row: the appeal gets it (and its street), leaves the
 * queue, and the rollups it counted in move from the district's open place to the community.
 */
export async function matchUnmatched(db: Kysely<Tables>, id: number, communityCode: string, viewer: Viewer): Promise<UnmatchedItem> {
  requireImportAction(viewer, 'appeal.import.match');
  await transact(db, async (trx) => {
    const queued = await q.findQueued(trx, id);
    if (!queued || !inScope(viewer, queued.street_code ?? queued.district_code))
      throw notFound(`未找到待匹配记录 ${id}`, `No unmatched row ${id}`);
    if (queued.resolved_at) throw conflict(`待匹配记录 ${id} 已处理`, `Unmatched row ${id} has already been resolved`);
    const code = naturalCode(communityCode);
    const division = code ? await findDivision(trx, code) : undefined;
    const within = queued.street_code ?? queued.district_code;
    if (division?.level !== 'community' || !code?.startsWith(within)) {
      throw invalid('社区代码有误', 'Invalid community', [
        { field: 'communityCode', message: `须为 ${within} 下的社区代码 / must be a community inside ${within}` },
      ]);
    }
    if (!inScope(viewer, code!)) throw new AppError('forbidden', `${code} 不在您的管辖范围内`, `${code} is outside your scope`);
    // findQueued locked the appeal's row with the queue's: what the rollups counted for it stays put.
    const appeal = (await appealQueries.findAppealForUpdate(trx, queued.appeal_id))!;
    await q.placeAppeal(trx, queued.appeal_id, code!);
    await q.resolveQueued(trx, id, code!, viewer.actor);
    await auditBy(trx, viewer, 'appeal.import.match', 'appeal', queued.appeal_id, {
      unmatchedId: id,
      ticketNo: queued.ticket_no,
      communityCode: code,
    });
    const before = countedOf(appeal);
    await countAppealChange(trx, before, { ...before, communityCode: code!, streetCode: code!.slice(0, 9) });
  });
  const row = await q.findMatchedRow(db, id);
  return presentUnmatched({ ...row, candidates: [] });
}
