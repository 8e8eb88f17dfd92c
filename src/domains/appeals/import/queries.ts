import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Tables } from '../../../db/tables.ts';
import type { DeadlineRule } from '../deadlines.ts';

/** The import's own records: sources, imports, their problems, the unmatched queue. */
type Db = Kysely<Tables> | Transaction<Tables>;

/** Every time-limit rule: the import picks per row in memory (deadlines.ts pickRule). */
export async function listDeadlineRules(db: Db): Promise<DeadlineRule[]> {
  return db
    .selectFrom('deadline_rule')
    .select(['category_code as categoryCode', 'urgency', 'respond_hours as respondHours', 'handle_hours as handleHours'])
    .execute();
}

export async function findSource(db: Db, name: string) {
  return db.selectFrom('import_source').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function saveSource(db: Db, name: string, mapping: object, actor: string): Promise<void> {
  const json = JSON.stringify(mapping);
  await db
    .insertInto('import_source')
    .values({ name, mapping: json, created_by: actor, updated_by: actor })
    .onConflict((oc) => oc.column('name').doUpdateSet({ mapping: json, updated_by: actor, updated_at: sql<Date>`now()` }))
    .execute();
}

export async function listSources(db: Db) {
  return db.selectFrom('import_source').selectAll().orderBy('name').execute();
}

/** What an import's record starts with: the file, who imports it, where; counts, status and times take their defaults. */
export type ImportRecordInsert = Pick<
  Selectable<Tables['appeal_import']>,
  'source_name' | 'file_name' | 'file_bytes' | 'file_sha256' | 'format' | 'encoding' | 'district_code' | 'imported_by' | 'scope_code'
>;

export async function createImport(db: Db, row: ImportRecordInsert): Promise<number> {
  const inserted = await db.insertInto('appeal_import').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export interface ImportCounts {
  rows_total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  unmatched: number;
  bad_rows: number;
  warnings: number;
}

export async function finishImport(db: Db, id: number, counts: ImportCounts & { file_bytes: number; file_sha256: string }): Promise<void> {
  await db
    .updateTable('appeal_import')
    .set({ ...counts, status: 'done', finished_at: sql<Date>`clock_timestamp()` })
    .where('id', '=', id)
    .execute();
}

/** A committed step of an import in steps: what it has landed so far, while it still runs. */
export async function noteImportProgress(db: Db, id: number, counts: ImportCounts): Promise<void> {
  await db.updateTable('appeal_import').set(counts).where('id', '=', id).execute();
}

/**
 * Imports that were still running when their process stopped: on the embedded database only one
 * process ever imports, so at its start any import still `running` was interrupted.
 */
export async function failInterruptedImports(db: Db): Promise<number> {
  const result = await db
    .updateTable('appeal_import')
    .set({
      status: 'failed',
      failure:
        '导入被中断（服务器停止）；重新导入同一文件即可补齐 / interrupted (the server stopped); import the same file again to land the rest',
      finished_at: sql<Date>`now()`,
    })
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function failImport(db: Db, id: number, failure: string): Promise<void> {
  await db
    .updateTable('appeal_import')
    .set({ status: 'failed', failure: failure.slice(0, 2000), finished_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export type ImportRow = Awaited<ReturnType<typeof findImport>> & object;

/** Imports made by users inside `scope` (their scope begins with it). */
export async function findImport(db: Db, id: number, scope: string) {
  return db.selectFrom('appeal_import').selectAll().where('id', '=', id).where('scope_code', 'like', `${scope}%`).executeTakeFirst();
}

export async function listImports(db: Db, scope: string, limit: number, beforeId?: number) {
  let query = db.selectFrom('appeal_import').selectAll().where('scope_code', 'like', `${scope}%`);
  if (beforeId !== undefined) query = query.where('id', '<', beforeId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

export async function countImports(db: Db, scope: string): Promise<number> {
  const row = await db
    .selectFrom('appeal_import')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_code', 'like', `${scope}%`)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function listProblems(db: Db, importId: number, limit: number) {
  return db
    .selectFrom('appeal_import_problem')
    .selectAll()
    .where('import_id', '=', importId)
    .orderBy('row_no')
    .orderBy('severity')
    .limit(limit)
    .execute();
}

/** Open queue rows whose appeal lies inside `scope` (its most specific place begins with it). */
function unmatchedIn(db: Db, scope: string) {
  return db
    .selectFrom('appeal_unmatched as u')
    .innerJoin('appeal as a', 'a.id', 'u.appeal_id')
    .where('u.resolved_at', 'is', null)
    .where(sql<boolean>`coalesce(a.street_code, a.district_code) LIKE ${`${scope}%`}`);
}

/** What the queue's page shows of a row and its appeal (`d` and `s` the appeal's district and street). */
const queueColumns = [
  'u.id',
  'u.appeal_id',
  'u.import_id',
  'u.given_street',
  'u.given_community',
  'u.reason',
  'u.created_at',
  'a.ticket_no',
  'a.received_at',
  'a.description',
  'a.address',
  'a.district_code',
  'a.street_code',
  'd.name as district_name',
  's.name as street_name',
] as const;

export async function listUnmatched(
  db: Db,
  scope: string,
  filter: { importId?: number | undefined; district?: string | undefined },
  limit: number,
  afterId?: number,
) {
  let query = unmatchedIn(db, scope)
    .innerJoin('division as d', 'd.code', 'a.district_code')
    .leftJoin('division as s', 's.code', 'a.street_code')
    .select(queueColumns)
    .select(
      // The likeliest communities: those of the street (or district) whose names look most like what the row said.
      sql<
        Array<{ code: string; name: string }>
      >`(SELECT coalesce(jsonb_agg(jsonb_build_object('code', c.code, 'name', c.name)), '[]'::jsonb) FROM (
          SELECT c.code, c.name FROM division c
          WHERE c.level = 'community' AND c.code LIKE coalesce(a.street_code, a.district_code) || '%'
          ORDER BY similarity(c.short_name, coalesce(u.given_community, a.address, '')) DESC, c.code
          LIMIT 5) c)`.as('candidates'),
    );
  if (filter.importId !== undefined) query = query.where('u.import_id', '=', filter.importId);
  if (filter.district !== undefined) query = query.where('a.district_code', 'like', `${filter.district}%`);
  if (afterId !== undefined) query = query.where('u.id', '>', afterId);
  return query.orderBy('u.id').limit(limit).execute();
}

/** A queue row once matched: as listed, with who matched it, when, and the community they chose. */
export async function findMatchedRow(db: Db, id: number) {
  return db
    .selectFrom('appeal_unmatched as u')
    .innerJoin('appeal as a', 'a.id', 'u.appeal_id')
    .innerJoin('division as d', 'd.code', 'a.district_code')
    .leftJoin('division as s', 's.code', 'a.street_code')
    .leftJoin('division as c', 'c.code', 'a.community_code')
    .select(queueColumns)
    .select(['u.resolved_at', 'u.resolved_by', 'a.community_code', 'c.name as community_name'])
    .where('u.id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function countUnmatched(
  db: Db,
  scope: string,
  filter: { importId?: number | undefined; district?: string | undefined },
): Promise<number> {
  let query = unmatchedIn(db, scope).select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.importId !== undefined) query = query.where('u.import_id', '=', filter.importId);
  if (filter.district !== undefined) query = query.where('a.district_code', 'like', `${filter.district}%`);
  return (await query.executeTakeFirstOrThrow()).n;
}

export async function findQueued(db: Db, id: number) {
  return db
    .selectFrom('appeal_unmatched as u')
    .innerJoin('appeal as a', 'a.id', 'u.appeal_id')
    .select(['u.id', 'u.appeal_id', 'u.resolved_at', 'a.district_code', 'a.street_code', 'a.community_code', 'a.ticket_no'])
    .where('u.id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function placeAppeal(db: Db, appealId: number, communityCode: string): Promise<void> {
  await db
    .updateTable('appeal')
    .set({ community_code: communityCode, street_code: communityCode.slice(0, 9) })
    .where('id', '=', appealId)
    .execute();
}

export async function resolveQueued(db: Db, id: number, communityCode: string, actor: string): Promise<void> {
  await db
    .updateTable('appeal_unmatched')
    .set({ resolved_at: sql<Date>`now()`, resolved_by: actor, community_code: communityCode })
    .where('id', '=', id)
    .execute();
}

const IMPORTED_TABLES = ['appeal', 'appeal_event', 'appeal_unmatched', 'appeal_month_rollup', 'appeal_month_place', 'place_month_counts'];

/** Fresh planner statistics for the tables an import fills. */
export async function analyzeImported(db: Db): Promise<void> {
  await sql`ANALYZE ${sql.raw(IMPORTED_TABLES.join(', '))}`.execute(db);
}

/**
 * The same for an import in steps (PGlite, where ANALYZE holds the server's thread): a table at a
 * time, each in a transaction of its own with a smaller sample (default_statistics_target 25, so
 * 7,500 rows sampled where 100 samples 30,000), and `between` (a turn of the event loop) after each,
 * so requests waiting for the session get it between tables.
 */
export async function analyzeImportedInTurns(db: Kysely<Tables>, between: () => Promise<void>): Promise<void> {
  for (const table of IMPORTED_TABLES) {
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL default_statistics_target = 25`.execute(trx);
      await sql`ANALYZE ${sql.table(table)}`.execute(trx);
    });
    await between();
  }
}

/** How many appeals are stored, counting no further than `limit` (a bounded count stays cheap on a big table). */
export async function countStoredAppeals(db: Db, limit: number): Promise<number> {
  const row = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT 1 FROM appeal LIMIT ${limit}) AS stored`.execute(db);
  return row.rows[0]?.n ?? 0;
}

/**
 * What a bulk import sets aside while it loads, as the catalog defines them: appeal's secondary
 * B-tree indexes (but the partial ones) and the foreign keys of appeal and appeal_event. Read from the catalog, so that
 * an index a later migration adds is set aside and rebuilt like the others. Staying: the key and
 * the ticket's unique index (every chunk looks its tickets up there). The GIN index of the search
 * words stays too unless the table was empty: its pending list takes new rows in batches already,
 * and on PGlite it cost about 18 µs per new appeal kept up to date against 11 µs per stored
 * appeal rebuilt, so its rebuild pays only into a table that is nearly all new.
 */
export interface SetAside {
  indexes: Array<{ name: string; definition: string }>;
  foreignKeys: Array<{ table: string; name: string; definition: string }>;
}

export async function setAsideForBulk(db: Transaction<Tables>, options: { searchIndex: boolean }): Promise<SetAside> {
  const methods = options.searchIndex ? ['btree', 'gin'] : ['btree'];
  const indexes = await sql<{ name: string; definition: string }>`
    SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am m ON m.oid = c.relam
    WHERE i.indrelid = 'appeal'::regclass AND NOT i.indisprimary AND NOT i.indisunique AND m.amname = ANY(${methods}::text[])
      -- A partial index (the overdue lists' few open appeals) costs little kept up to date, and its
      -- rebuild would read the whole table once more for a handful of rows.
      AND i.indpred IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
    ORDER BY c.relname`.execute(db);
  const foreignKeys = await sql<{ table: string; name: string; definition: string }>`
    SELECT (SELECT relname FROM pg_class WHERE oid = conrelid) AS table, conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint
    WHERE contype = 'f' AND conrelid IN ('appeal'::regclass, 'appeal_event'::regclass)
    ORDER BY 1, 2`.execute(db);
  for (const key of foreignKeys.rows) await sql`ALTER TABLE ${sql.id(key.table)} DROP CONSTRAINT ${sql.id(key.name)}`.execute(db);
  if (indexes.rows.length > 0) await sql`DROP INDEX ${sql.join(indexes.rows.map((i) => sql.id(i.name)))}`.execute(db);
  return { indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

/**
 * Empties appeal, appeal_event and every table that refers to appeal, when appeal holds nothing:
 * they hold nothing either, since their keys must name an appeal, so no row is lost. What changes
 * is that they get new files, which a transaction that also fills them need not write to the WAL
 * when the server runs with wal_level = minimal (mustanswer's embedded database does): a first
 * load then writes its rows once, to the tables, instead of twice. Locks the tables until commit,
 * as the bulk load does anyway.
 */
export async function startAfresh(db: Transaction<Tables>): Promise<void> {
  const referring = await sql<{ table: string }>`
    SELECT DISTINCT conrelid::regclass::text AS table FROM pg_constraint
    WHERE contype = 'f' AND confrelid = 'appeal'::regclass AND conrelid <> 'appeal'::regclass
    ORDER BY 1`.execute(db);
  const tables = ['appeal', 'appeal_event', ...referring.rows.map((r) => r.table).filter((t) => t !== 'appeal_event')];
  await sql`TRUNCATE ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db);
}

/** Builds what setAsideForBulk dropped, each index in one pass and each foreign key checked by one join. */
export async function restoreAfterBulk(db: Transaction<Tables>, setAside: SetAside): Promise<void> {
  // maintenance_work_mem stays at its default: on PGlite a GIN build over a million appeals took
  // half as long again with 128 MB or more (measured, BENCHMARKS.md) as with 64 MB.
  for (const index of setAside.indexes) await sql.raw(index.definition).execute(db);
  const byTable = new Map<string, SetAside['foreignKeys']>();
  for (const key of setAside.foreignKeys) byTable.set(key.table, [...(byTable.get(key.table) ?? []), key]);
  for (const [table, keys] of byTable) {
    const adds = keys.map((k) => sql`ADD CONSTRAINT ${sql.id(k.name)} ${sql.raw(k.definition)}`);
    await sql`ALTER TABLE ${sql.id(table)} ${sql.join(adds)}`.execute(db);
  }
}
