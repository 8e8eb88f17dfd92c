import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { prepared } from '../../db/prepared.ts';
import { assessmentMonthSql } from './assessment.ts';
import {
  currentRules,
  defaultEvaluationConfig,
  parseEvaluationConfig,
  periodStartDayOf,
  rateKinds,
  type EvaluationConfig,
  type RateKinds,
} from './config.ts';
import { loadConfig } from './queries.ts';
import {
  figureNames,
  rollupDeltas,
  rollupDeltasOf,
  sameCounted,
  type CellDelta,
  type CountedAppeal,
  type CountedChange,
} from './rollup-delta.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

/**
 * All SQL that writes the monthly rollups. A live write (one appeal created, moved a step, or
 * matched to its community) moves the rows it changes by the difference it makes
 * (countAppealChange), and an import by the differences its rows make, summed set-based
 * (countImportedAppeals): their cost does not grow with the table. A first load, a change of the
 * period start day and a rebuild recompute every row from the appeals; `evaluation check` holds
 * the ways equal.
 */

/** The day assessment periods start on, under the rules in force. */
const startDayIn = async (db: Db) => periodStartDayOf(await currentRules(db));

/**
 * The rollup rows of the appeals that `where` selects, as one SELECT: volume by received month,
 * callback figures by the month of the latest callback, both grouped by place, category and kind.
 * Overdue is the flag each appeal keeps of what the rollups count for it (rollup-delta.ts).
 * `sign` is what each row counts for: 1, or a column of `from` saying whether a row is counted in
 * (1) or taken out (-1), for the differences an import makes (countImportedAppeals).
 */
function aggregate(
  startDay: number,
  where: ReturnType<typeof sql>,
  from: (monthOfPart: ReturnType<typeof sql>) => ReturnType<typeof sql> = () => sql`appeal a`,
  sign: ReturnType<typeof sql> = sql`1`,
) {
  const month = (column: string) => assessmentMonthSql(column, startDay);
  return sql`
    SELECT month, district_code, street_code, community_code, category_code, kind,
           sum(volume)::int AS volume, sum(overdue)::int AS overdue, sum(callbacks)::int AS callbacks,
           sum(contacted)::int AS contacted, sum(solved)::int AS solved, sum(satisfied)::int AS satisfied,
           sum(basically)::int AS basically, sum(unsatisfied)::int AS unsatisfied
    FROM (
      SELECT ${month('a.received_at')} AS month, a.district_code, coalesce(a.street_code, '') AS street_code,
             coalesce(a.community_code, '') AS community_code, a.category_code, a.kind,
             ${sign} AS volume,
             CASE WHEN a.overdue_counted THEN ${sign} ELSE 0 END AS overdue,
             0 AS callbacks, 0 AS contacted, 0 AS solved, 0 AS satisfied, 0 AS basically, 0 AS unsatisfied
      FROM ${from(month('a.received_at'))} WHERE ${where}
      UNION ALL
      SELECT ${month('a.last_callback_at')}, a.district_code, coalesce(a.street_code, ''),
             coalesce(a.community_code, ''), a.category_code, a.kind,
             0, 0, ${sign},
             CASE WHEN a.contacted THEN ${sign} ELSE 0 END,
             CASE WHEN a.solved THEN ${sign} ELSE 0 END,
             CASE WHEN a.satisfaction = 'satisfied' THEN ${sign} ELSE 0 END,
             CASE WHEN a.satisfaction = 'basically' THEN ${sign} ELSE 0 END,
             CASE WHEN a.satisfaction = 'unsatisfied' THEN ${sign} ELSE 0 END
      FROM ${from(month('a.last_callback_at'))} WHERE a.last_callback_at IS NOT NULL AND (${where})
    ) AS parts
    GROUP BY month, district_code, street_code, community_code, category_code, kind`;
}

const figureColumns = figureNames;
const placeKey = 'month, district_code, street_code, community_code, kind';
const countColumns = [
  'volume',
  'overdue',
  'response_valid',
  'contacted',
  'resolution_valid',
  'solved',
  'satisfaction_valid',
  'satisfied',
  'basically',
] as const;
const placeSums = sql.raw(`${placeKey}, ${figureColumns.map((c) => `sum(${c})::int AS ${c}`).join(', ')}`);

const placeMonthKey = ['month', 'district_code', 'street_code', 'community_code'] as const;

/** place_month_counts' columns from appeal_month_place rows, each rate taking the rules' kinds. */
function countsOfPlaceRows(kinds: RateKinds) {
  const on = (rate: keyof RateKinds, column: string) =>
    sql`coalesce(sum(${sql.ref(column)}) FILTER (WHERE kind = ANY(${kinds[rate]}::text[])), 0)::int`;
  return sql`${sql.raw(placeMonthKey.join(', '))}, sum(volume)::int, sum(overdue)::int,
    ${on('response', 'callbacks')}, ${on('response', 'contacted')},
    ${on('resolution', 'callbacks')}, ${on('resolution', 'solved')},
    ${on('satisfaction', 'callbacks')}, ${on('satisfaction', 'satisfied')}, ${on('satisfaction', 'basically')}`;
}

/**
 * Derives place_month_counts again for the place-months `keys` selects (month, district_code,
 * street_code, community_code), or for all of them, from the place rollup.
 */
async function deriveCounts(
  db: Db,
  keys: RawBuilder<unknown> | 'all',
  kinds?: RateKinds,
  options: { afresh?: boolean } = {},
): Promise<void> {
  const counts = countsOfPlaceRows(kinds ?? rateKinds(await currentRules(db)));
  if (keys === 'all') {
    if (!options.afresh) await sql`DELETE FROM place_month_counts`.execute(db);
    await sql`INSERT INTO place_month_counts SELECT ${counts} FROM appeal_month_place GROUP BY ${sql.raw(placeMonthKey.join(', '))} ORDER BY month`.execute(
      db,
    );
    return;
  }
  const same = (a: string, b: string) => sql.raw(placeMonthKey.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND '));
  await sql`DELETE FROM place_month_counts c USING (${keys}) AS k WHERE ${same('c', 'k')}`.execute(db);
  await sql`INSERT INTO place_month_counts
    SELECT ${counts} FROM appeal_month_place p
    WHERE EXISTS (SELECT 1 FROM (${keys}) AS k WHERE ${same('p', 'k')})
    GROUP BY ${sql.raw(placeMonthKey.join(', '))}`.execute(db);
}

/** The rules changed: every place-month's counts again, in the caller's transaction. */
export async function rederiveCounts(db: Transaction<Tables>, kinds: RateKinds): Promise<void> {
  await sql`LOCK TABLE appeal_month_rollup IN SHARE ROW EXCLUSIVE MODE`.execute(db);
  await deriveCounts(db, 'all', kinds);
}

/**
 * Recomputes everything: what `mustanswer evaluation rebuild` runs, and a first import. A first
 * bulk load (`afresh`) empties the rollups with TRUNCATE rather than DELETE: it holds the tables
 * locked already, and new files are written without the WAL under wal_level = minimal.
 */
export async function rebuildRollups(db: Transaction<Tables>, options: { afresh?: boolean } = {}): Promise<number> {
  // Other writers' upserts wait for it until the caller commits.
  await sql`LOCK TABLE appeal_month_rollup IN SHARE ROW EXCLUSIVE MODE`.execute(db);
  if (options.afresh) await sql`TRUNCATE appeal_month_rollup, appeal_month_place, place_month_counts`.execute(db);
  else await sql`DELETE FROM appeal_month_rollup`.execute(db);
  // In month order, so that one month's rows share disk pages: a ranking then reads few of them.
  const result =
    await sql`INSERT INTO appeal_month_rollup SELECT * FROM (${aggregate(await startDayIn(db), sql`true`)}) AS r ORDER BY month`.execute(
      db,
    );
  if (!options.afresh) await sql`DELETE FROM appeal_month_place`.execute(db);
  await sql`INSERT INTO appeal_month_place SELECT ${placeSums} FROM appeal_month_rollup GROUP BY ${sql.raw(placeKey)} ORDER BY month`.execute(
    db,
  );
  await deriveCounts(db, 'all', undefined, options);
  return Number(result.numAffectedRows ?? 0);
}

/** `work` in the caller's transaction, or in one of its own. */
function inTransaction<T>(db: Db, work: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Tables>) : (db as Kysely<Tables>).transaction().execute(work);
}

/** The columns of a cell's key, in the order writers lock rows in. */
const cellKey = ['month', 'district_code', 'street_code', 'community_code', 'category_code', 'kind'] as const;

/**
 * Counts one appeal's change in the rollups, in the caller's transaction, at its end: `before`
 * is the appeal as the rollups last counted it (read under its row lock; null for a new appeal),
 * `after` as it is now stored. Only the rollup rows of its own place-months are read or written,
 * whatever the size of the table: the difference is added under the row locks that
 * `INSERT … ON CONFLICT DO UPDATE` takes, in key order (so that concurrent writers cannot deadlock
 * on them), and rows left empty are removed, as a recount would not have them.
 *
 * Called last before the commit, so a busy place-month's rows stay locked only for the commit.
 */
export async function countAppealChange(db: Transaction<Tables>, before: CountedAppeal | null, after: CountedAppeal | null): Promise<void> {
  // Most steps (dispatch, respond, handle) change nothing the rollups count: no statement at all.
  if (sameCounted(before, after)) return;
  for (;;) {
    rulesSeen ??= await readRules(db);
    const seen = rulesSeen;
    const cells = rollupDeltas(before, after, periodStartDayOf(seen.rules));
    if (await applyDeltas(db, cells, rateKinds(seen.rules), seen.stored)) {
      if (cells.some((cell) => figureNames.some((f) => cell[f] < 0))) await removeEmptied(db, cells);
      return;
    }
    // The rules changed since they were read. The statement that found out holds the lock that
    // keeps them from changing again before the commit: read them and count again.
    rulesSeen = undefined;
  }
}

/**
 * The rules the last write counted by, kept between writes to spare each write two round trips
 * (a lock and a read). Only a guess: every write's own statement checks it against the stored
 * rules (see applyDeltas), so a guess from another database or from before a change of rules
 * costs one more try, never a wrong count.
 */
let rulesSeen: { stored: unknown; rules: EvaluationConfig } | undefined;

async function readRules(db: Db): Promise<{ stored: unknown; rules: EvaluationConfig }> {
  const stored = await loadConfig(db);
  return { stored, rules: stored === undefined ? defaultEvaluationConfig : parseEvaluationConfig(stored) };
}

/**
 * The cells as `unnest(…) AS d(…)`: one parameter per column, however many cells; with `items`,
 * a first column `item` saying which change each cell is of.
 */
function cellsTable(cells: CellDelta[], withFigures: boolean, items?: number[]) {
  const text = (pick: (c: CellDelta) => string) => sql`${cells.map(pick)}::text[]`;
  const keys = [
    sql`${cells.map((c) => c.month)}::date[]`,
    text((c) => c.districtCode),
    text((c) => c.streetCode),
    text((c) => c.communityCode),
    text((c) => c.categoryCode),
    text((c) => c.kind),
  ];
  const figures = withFigures ? figureNames.map((f) => sql`${cells.map((c) => c[f])}::int[]`) : [];
  const numbered = items ? [sql`${items}::int[]`] : [];
  const names = [...(items ? ['item'] : []), ...cellKey, ...(withFigures ? figureNames : [])].join(', ');
  return sql`unnest(${sql.join([...numbered, ...keys, ...figures])}) AS d(${sql.raw(names)})`;
}

const plus = (table: string, columns: readonly string[]) => sql.raw(columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', '));

/** The first CTE of a counting statement: whether the stored rules are still those the deltas were worked out by. */
const rulesStill = (storedRules: unknown) =>
  sql`rules AS (
    SELECT (SELECT config FROM evaluation_config WHERE id = 1) IS NOT DISTINCT FROM ${storedRules === undefined ? null : JSON.stringify(storedRules)}::jsonb AS same
  )`;

/**
 * The CTEs that add `cells` to the three rollup tables, if the `rules` CTE found the rules
 * unchanged. Every writer sends them in this shape, so all of them take these rows' locks in the
 * same order: within each table by key (the ORDER BY), and the tables as the one plan runs them.
 */
function deltaUpserts(cells: RawBuilder<unknown>, kinds: RateKinds, written: RawBuilder<boolean> = sql<boolean>`true`) {
  const placeColumns = sql.raw(placeKey);
  const on = (rate: keyof RateKinds, column: string) =>
    sql`coalesce(sum(${sql.ref(column)}) FILTER (WHERE kind = ANY(${kinds[rate]}::text[])), 0)::int`;
  return sql`d AS (SELECT * FROM ${cells} WHERE (SELECT same FROM rules) AND ${written}),
    category_rows AS (
      INSERT INTO appeal_month_rollup AS r (${sql.raw([...cellKey, ...figureNames].join(', '))})
      SELECT * FROM d ORDER BY ${sql.raw(cellKey.join(', '))}
      ON CONFLICT (${sql.raw(cellKey.join(', '))}) DO UPDATE SET ${plus('r', figureNames)}
      RETURNING 1
    ), place_rows AS (
      INSERT INTO appeal_month_place AS r (${placeColumns}, ${sql.raw(figureColumns.join(', '))})
      SELECT ${placeSums} FROM d GROUP BY ${placeColumns} ORDER BY ${placeColumns}
      ON CONFLICT (${placeColumns}) DO UPDATE SET ${plus('r', figureColumns)}
      RETURNING 1
    ), count_rows AS (
      INSERT INTO place_month_counts AS r (${sql.raw([...placeMonthKey, ...countColumns].join(', '))})
      SELECT ${sql.raw(placeMonthKey.join(', '))}, sum(volume)::int, sum(overdue)::int,
        ${on('response', 'callbacks')}, ${on('response', 'contacted')},
        ${on('resolution', 'callbacks')}, ${on('resolution', 'solved')},
        ${on('satisfaction', 'callbacks')}, ${on('satisfaction', 'satisfied')}, ${on('satisfaction', 'basically')}
      FROM d GROUP BY ${sql.raw(placeMonthKey.join(', '))} ORDER BY ${sql.raw(placeMonthKey.join(', '))}
      ON CONFLICT (${sql.raw(placeMonthKey.join(', '))}) DO UPDATE SET ${plus('r', countColumns)}
      RETURNING 1
    )`;
}

/**
 * Adds `cells` to the three rollup tables in one statement, if the stored rules are still
 * `storedRules` (as loadConfig read them). The cells are a live write's, as parameters, or an
 * import's, as a SELECT of the cell key's columns then the figures': one statement shape for
 * both, so that imports and live writes lock rollup rows in the same order. The statement locks the rollup tables (ROW EXCLUSIVE)
 * before its snapshot is taken, so the rules it compares are those in force for this write: a
 * change of rules recounts under SHARE ROW EXCLUSIVE and either waits for this transaction or
 * has committed before the comparison. False, and nothing written, when they differ.
 */
async function applyDeltas(db: Db, cells: CellDelta[] | RawBuilder<unknown>, kinds: RateKinds, storedRules: unknown): Promise<boolean> {
  const source = Array.isArray(cells) ? cellsTable(cells, true) : sql`(${cells}) AS cells`;
  const result = await sql<{ same: boolean }>`WITH ${rulesStill(storedRules)}, ${deltaUpserts(source, kinds)}
    SELECT same FROM rules`.execute(db);
  return result.rows[0]?.same === true;
}

/**
 * What a write on appeals puts into the statement that also counts it (writeAndCountAll): its
 * own CTEs, each of which must write nothing unless `guard` holds; whether it wrote (over those
 * CTEs: the count is added only then, so a write refused by its own guard counts nothing); and
 * the SELECT whose rows the statement returns.
 */
export interface CountedWrite {
  ctes: RawBuilder<unknown>;
  written: RawBuilder<boolean>;
  select: RawBuilder<unknown>;
  /**
   * For a write on several appeals that each have a guard of their own (steps taken together:
   * some may find their appeal moved on): a SELECT of the numbers of the changes written, from 1
   * in the order given. Only their differences are counted. Without it, all or none are.
   */
  writtenItems?: RawBuilder<unknown>;
}

/**
 * A write on appeals and the count of the changes it makes, as ONE statement: the caller's CTEs
 * (`write`) beside the rollup upserts of countAppealChange, under the same check of the rules.
 * Outside a transaction it commits alone, in one round trip: no BEGIN, no COMMIT, no connection
 * held between statements while the server's thread serves other requests (what bounded filings
 * at 50 connections). Each change's `before` and `after` are as for countAppealChange. Several
 * appeals filed or stepped together (appeals/filing-queue.ts, step-queue.ts) are counted as one
 * difference, each rollup row moved once however many of them fall in it. Where the write names
 * the changes it wrote (`writtenItems`), `itemOf` tells which change a returned row is of.
 *
 * Returns the rows of `write`'s select; none when the write wrote nothing (its own guard, such as
 * a version, did not hold). A change that may empty rollup rows (a callback moved to another
 * month, a reopening) needs a second statement (removeEmptied): that write is a transaction.
 */
export async function writeAndCountAll<Row>(
  db: Db,
  changes: ReadonlyArray<CountedChange>,
  write: (guard: RawBuilder<boolean>) => CountedWrite,
  itemOf?: (row: Row) => number,
): Promise<Row[]> {
  if (changes.every(({ before, after }) => sameCounted(before, after))) {
    const plain = write(sql<boolean>`true`);
    return (await prepared(sql<Row>`WITH ${plain.ctes} ${plain.select}`).execute(db)).rows;
  }
  for (;;) {
    rulesSeen ??= await readRules(db);
    const seen = rulesSeen;
    const startDay = periodStartDayOf(seen.rules);
    const counted = write(sql<boolean>`(SELECT same FROM rules)`);
    const perChange = counted.writtenItems ? changes.map(({ before, after }) => rollupDeltas(before, after, startDay)) : undefined;
    const cells = perChange ? perChange.flat() : rollupDeltasOf(changes, startDay);
    const upserts =
      perChange && counted.writtenItems
        ? deltaUpserts(writtenCells(perChange, counted.writtenItems), rateKinds(seen.rules))
        : deltaUpserts(cellsTable(cells, true), rateKinds(seen.rules), counted.written);
    const statement = prepared(sql<Row>`WITH ${rulesStill(seen.stored)}, ${counted.ctes}, ${upserts} ${counted.select}`);
    // A change that may empty rollup rows removes them in a second statement, in the same transaction.
    const emptying = cells.some((cell) => figureNames.some((f) => cell[f] < 0));
    const rows = emptying
      ? await inTransaction(db, async (trx) => {
          const written = (await statement.execute(trx)).rows;
          if (written.length > 0) {
            const items = perChange && itemOf ? new Set(written.map(itemOf)) : undefined;
            await removeEmptied(trx, perChange && items ? perChange.filter((_, i) => items.has(i + 1)).flat() : cells);
          }
          return written;
        })
      : (await statement.execute(db)).rows;
    if (rows.length > 0) return rows;
    // Nothing written: either the write's own guard did not hold, or the rules changed since
    // they were read (then nothing was counted either). Only the second is worth another try.
    const now = await readRules(db);
    if (JSON.stringify(now.stored) === JSON.stringify(seen.stored)) return [];
    rulesSeen = now;
  }
}

/**
 * The cells of the changes `writtenItems` selects, summed per cell, as a table of the cell key's
 * columns then the figures: each change's cells go as parameters numbered by the change.
 */
function writtenCells(perChange: CellDelta[][], writtenItems: RawBuilder<unknown>): RawBuilder<unknown> {
  const items = perChange.flatMap((cells, i) => cells.map(() => i + 1));
  const sums = sql.raw(figureNames.map((f) => `sum(${f})::int AS ${f}`).join(', '));
  const key = sql.raw(cellKey.join(', '));
  return sql`(SELECT ${key}, ${sums} FROM ${cellsTable(perChange.flat(), true, items)}
    WHERE d.item IN (${writtenItems}) GROUP BY ${key}) AS cells`;
}

/**
 * Rows an appeal left (a callback moved to another month, a community found) may now count
 * nothing: removed, as a recount would not have them. The rows are locked by this transaction
 * already, so no other writer can refill them in between. The keys are spelt out (an appeal
 * leaves at most two cells) so that each is an index lookup whatever the planner guesses.
 */
async function removeEmptied(db: Transaction<Tables>, cells: CellDelta[]): Promise<void> {
  const matches = (alias: string, columns: readonly (keyof typeof keyField)[]) => {
    const distinct = new Map(cells.map((cell) => [columns.map((c) => cell[keyField[c]]).join('|'), cell]));
    return sql.join(
      [...distinct.values()].map(
        (cell) =>
          sql`(${sql.join(
            columns.map((c) =>
              c === 'month'
                ? sql`${sql.ref(`${alias}.${c}`)} = ${cell.month}::date`
                : sql`${sql.ref(`${alias}.${c}`)} = ${cell[keyField[c]]}`,
            ),
            sql` AND `,
          )})`,
      ),
      sql` OR `,
    );
  };
  const placeColumns = ['month', 'district_code', 'street_code', 'community_code', 'kind'] as const;
  const same = (a: string, b: string) => sql.raw(placeMonthKey.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND '));
  await sql`DELETE FROM appeal_month_rollup r WHERE (${matches('r', cellKey)}) AND r.volume = 0 AND r.callbacks = 0`.execute(db);
  await sql`DELETE FROM appeal_month_place r WHERE (${matches('r', placeColumns)}) AND r.volume = 0 AND r.callbacks = 0`.execute(db);
  await sql`DELETE FROM place_month_counts r WHERE (${matches('r', placeMonthKey)})
    AND NOT EXISTS (SELECT 1 FROM appeal_month_place x WHERE ${same('x', 'r')})`.execute(db);
}

/** A day of overlap: a write that committed late took its flag at its start, and the sweep before it could not see it. */
const SWEEP_OVERLAP = "interval '1 day'";

/**
 * Turns on the overdue flag of appeals whose deadline passed since they were last written, and
 * counts each in the rollups: what keeps "overdue" current between writes. It reads only the
 * deadlines that fell due since the last sweep (through the partial due-date indexes), so it
 * costs the same however many appeals are stored. The server runs it every minute; `evaluation
 * check` runs it first. Returns how many appeals turned overdue.
 */
export async function sweepOverdue(db: Kysely<Tables>, now: Date = new Date()): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // One sweep at a time: two would lock the same appeals in different orders.
    await sql`SELECT pg_advisory_xact_lock(hashtext('overdue_sweep'))`.execute(trx);
    const since = await sql<{ at: Date }>`SELECT swept_to - ${sql.raw(SWEEP_OVERLAP)} AS at FROM overdue_sweep WHERE id = 1`.execute(trx);
    const from = since.rows[0]?.at ?? new Date(0);
    // An appeal another transaction holds is skipped, not waited for: holding the others while
    // waiting for it is how the sweep would deadlock with an import, which locks its appeals
    // statement by statement (and would fail). The sweep then records itself as done only up to
    // the earliest deadline it skipped, so the next one finds that appeal again.
    const turned = await sql<{
      received_at: Date;
      district_code: string;
      street_code: string | null;
      community_code: string | null;
      category_code: string;
      kind: string;
    }>`WITH due AS MATERIALIZED (
        SELECT id FROM appeal
        WHERE NOT overdue_counted
          AND ((responded_at IS NULL AND response_due_at > ${from} AND response_due_at < ${now})
            OR (handled_at IS NULL AND handling_due_at > ${from} AND handling_due_at < ${now}))
        FOR UPDATE SKIP LOCKED
      )
      UPDATE appeal a SET overdue_counted = true FROM due
      WHERE a.id = due.id AND NOT a.overdue_counted
        AND ((a.responded_at IS NULL AND a.response_due_at < ${now}) OR (a.handled_at IS NULL AND a.handling_due_at < ${now}))
      RETURNING a.received_at, a.district_code, a.street_code, a.community_code, a.category_code, a.kind`.execute(trx);
    const skipped = await sql<{ at: Date | null }>`SELECT min(least(
        CASE WHEN responded_at IS NULL AND response_due_at > ${from} AND response_due_at < ${now} THEN response_due_at END,
        CASE WHEN handled_at IS NULL AND handling_due_at > ${from} AND handling_due_at < ${now} THEN handling_due_at END)) AS at
      FROM appeal
      WHERE NOT overdue_counted
        AND ((responded_at IS NULL AND response_due_at > ${from} AND response_due_at < ${now})
          OR (handled_at IS NULL AND handling_due_at > ${from} AND handling_due_at < ${now}))`.execute(trx);
    const sweptTo = skipped.rows[0]?.at ?? now;
    await sql`INSERT INTO overdue_sweep (id, swept_to) VALUES (1, ${sweptTo})
      ON CONFLICT (id) DO UPDATE SET swept_to = greatest(overdue_sweep.swept_to, excluded.swept_to)`.execute(trx);
    if (turned.rows.length === 0) return 0;
    await sql`LOCK TABLE appeal_month_rollup IN ROW EXCLUSIVE MODE`.execute(trx);
    const { stored, rules } = await readRules(trx);
    const startDay = periodStartDayOf(rules);
    // Each appeal's received month gains one overdue; summed per cell by the same difference as a write.
    const cells = new Map<string, CellDelta>();
    for (const row of turned.rows) {
      const counted: CountedAppeal = {
        receivedAt: row.received_at,
        lastCallbackAt: null,
        districtCode: row.district_code,
        streetCode: row.street_code,
        communityCode: row.community_code,
        categoryCode: row.category_code,
        kind: row.kind,
        overdue: false,
        contacted: null,
        solved: null,
        satisfaction: null,
      };
      for (const cell of rollupDeltas(counted, { ...counted, overdue: true }, startDay)) {
        const key = cellKey.map((c) => cell[keyField[c]]).join('|');
        const sum = cells.get(key);
        if (sum) sum.overdue += cell.overdue;
        else cells.set(key, cell);
      }
    }
    // Under the lock taken before the rules were read, they cannot differ.
    await applyDeltas(trx, [...cells.values()], rateKinds(rules), stored);
    return turned.rows.length;
  });
}

const keyField = {
  month: 'month',
  district_code: 'districtCode',
  street_code: 'streetCode',
  community_code: 'communityCode',
  category_code: 'categoryCode',
  kind: 'kind',
} as const satisfies Record<(typeof cellKey)[number], keyof CellDelta>;

/**
 * The columns of the table an import fills for countImportedAppeals: `sign`, then appeal's own
 * columns that the rollups count, under appeal's names and types.
 */
export const importCountedColumns = [
  'sign',
  'received_at',
  'last_callback_at',
  'district_code',
  'street_code',
  'community_code',
  'category_code',
  'kind',
  'overdue_counted',
  'contacted',
  'solved',
  'satisfaction',
] as const;

/**
 * Counts what an import changed, by differences, in the caller's transaction: `table` (a temp
 * table of the caller's, columns importCountedColumns) holds each appeal the import inserted, with
 * sign 1, and each stored appeal it changed twice: as the rollups counted it before (-1, read
 * under its row lock before the update) and as it is now (1). Their sums are added to the rollup
 * rows of their cells with the live writes' statement (the rows locked in the same order, under
 * the same check of the rules), and rows left empty are removed. Only `table` and the rollup rows
 * of its place-months are read: the cost follows the import, not the table it lands in.
 *
 * The months are worked out here, under the rules the statement checks, not when the rows were
 * noted: a change of the period start day during the import then costs another try, not a count
 * in the wrong month.
 */
export async function countImportedAppeals(db: Transaction<Tables>, table: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  const counted = (startDay: number, rows: RawBuilder<unknown>) => aggregate(startDay, rows, () => sql`${sql.table(table)} a`, sql`a.sign`);
  let startDay: number;
  for (;;) {
    const { stored, rules } = await readRules(db);
    startDay = periodStartDayOf(rules);
    // Cells whose figures cancel out (an appeal re-imported as it was counted) move nothing.
    const cells = sql`SELECT * FROM (${counted(startDay, sql`true`)}) AS c WHERE ${sql.raw(figureNames.map((f) => `${f} <> 0`).join(' OR '))}`;
    if (await applyDeltas(db, cells, rateKinds(rules), stored)) break;
    // The rules changed since they were read, and the statement wrote nothing: read them again.
  }
  // Only cells that something was taken out of can have emptied: those of the changed appeals' old states.
  const left = sql`SELECT DISTINCT ${sql.raw(cellKey.join(', '))} FROM (${counted(startDay, sql`a.sign < 0`)}) AS c`;
  const same = (columns: readonly string[]) => sql.raw(columns.map((c) => `r.${c} = k.${c}`).join(' AND '));
  const placeColumns = ['month', 'district_code', 'street_code', 'community_code', 'kind'] as const;
  await sql`WITH k AS MATERIALIZED (${left}),
    category_rows AS (
      DELETE FROM appeal_month_rollup r USING k WHERE ${same(cellKey)} AND r.volume = 0 AND r.callbacks = 0
    )
    DELETE FROM appeal_month_place r USING (SELECT DISTINCT ${sql.raw(placeColumns.join(', '))} FROM k) AS k
    WHERE ${same(placeColumns)} AND r.volume = 0 AND r.callbacks = 0`.execute(db);
  await sql`DELETE FROM place_month_counts r USING (SELECT DISTINCT ${sql.raw(placeMonthKey.join(', '))} FROM (${left}) AS c) AS k
    WHERE ${same(placeMonthKey)}
      AND NOT EXISTS (SELECT 1 FROM appeal_month_place x WHERE ${sql.raw(placeMonthKey.map((c) => `x.${c} = r.${c}`).join(' AND '))})`.execute(
    db,
  );
}

export interface RollupDifference {
  cell: string;
  stored: Record<string, number> | null;
  expected: Record<string, number> | null;
}

/**
 * Compares the stored rollups with a recount from the appeals, and the place rollup with the
 * category rollup; an empty list means consistent. Overdue is compared too: both count the flags
 * the appeals keep (sweepOverdue keeps those current).
 */
export async function checkRollups(db: Db, limit = 100): Promise<RollupDifference[]> {
  return [...(await checkCategoryRollup(db, limit)), ...(await checkPlaceRollup(db, limit)), ...(await checkCounts(db, limit))];
}

/** place_month_counts against the place rollup under the rules in force. */
async function checkCounts(db: Db, limit: number): Promise<RollupDifference[]> {
  const json = (alias: string) => sql.raw(`jsonb_build_object(${countColumns.map((f) => `'${f}', ${alias}.${f}`).join(', ')})`);
  const columns = sql.raw([...placeMonthKey, ...countColumns].join(', '));
  const rows = await sql<RollupDifference>`
    WITH expected (${columns}) AS (SELECT ${countsOfPlaceRows(rateKinds(await currentRules(db)))} FROM appeal_month_place GROUP BY ${sql.raw(placeMonthKey.join(', '))})
    SELECT concat_ws('|', 'counts', coalesce(s.month, e.month), coalesce(s.district_code, e.district_code), coalesce(s.street_code, e.street_code),
                     coalesce(s.community_code, e.community_code)) AS cell,
           CASE WHEN s.month IS NULL THEN NULL ELSE ${json('s')} END AS stored,
           CASE WHEN e.month IS NULL THEN NULL ELSE ${json('e')} END AS expected
    FROM place_month_counts s FULL JOIN expected e
      ON ${sql.raw(placeMonthKey.map((c) => `s.${c} = e.${c}`).join(' AND '))}
    WHERE ${sql.raw(countColumns.map((f) => `s.${f} IS DISTINCT FROM e.${f}`).join(' OR '))}
    ORDER BY 1 LIMIT ${limit}`.execute(db);
  return rows.rows;
}

async function checkPlaceRollup(db: Db, limit: number): Promise<RollupDifference[]> {
  const figures = figureColumns;
  const json = (alias: string) => sql.raw(`jsonb_build_object(${figures.map((f) => `'${f}', ${alias}.${f}`).join(', ')})`);
  const rows = await sql<RollupDifference>`
    WITH expected AS (SELECT ${placeSums} FROM appeal_month_rollup GROUP BY ${sql.raw(placeKey)})
    SELECT concat_ws('|', 'place', coalesce(s.month, e.month), coalesce(s.community_code, e.community_code), coalesce(s.street_code, e.street_code),
                     coalesce(s.district_code, e.district_code), coalesce(s.kind, e.kind)) AS cell,
           CASE WHEN s.month IS NULL THEN NULL ELSE ${json('s')} END AS stored,
           CASE WHEN e.month IS NULL THEN NULL ELSE ${json('e')} END AS expected
    FROM appeal_month_place s FULL JOIN expected e
      ON s.month = e.month AND s.district_code = e.district_code AND s.street_code = e.street_code
     AND s.community_code = e.community_code AND s.kind = e.kind
    WHERE ${sql.raw(figures.map((f) => `s.${f} IS DISTINCT FROM e.${f}`).join(' OR '))}
    ORDER BY 1 LIMIT ${limit}`.execute(db);
  return rows.rows;
}

async function checkCategoryRollup(db: Db, limit: number): Promise<RollupDifference[]> {
  const figures = figureColumns;
  const rows = await sql<{ cell: string; stored: Record<string, number> | null; expected: Record<string, number> | null }>`
    WITH expected AS (${aggregate(await startDayIn(db), sql`true`)}),
    stored AS (SELECT * FROM appeal_month_rollup)
    SELECT concat_ws('|', coalesce(s.month, e.month), coalesce(s.district_code, e.district_code), coalesce(s.street_code, e.street_code),
                     coalesce(s.community_code, e.community_code), coalesce(s.category_code, e.category_code), coalesce(s.kind, e.kind)) AS cell,
           CASE WHEN s.month IS NULL THEN NULL ELSE jsonb_build_object(${sql.raw(figures.map((f) => `'${f}', s.${f}`).join(', '))}) END AS stored,
           CASE WHEN e.month IS NULL THEN NULL ELSE jsonb_build_object(${sql.raw(figures.map((f) => `'${f}', e.${f}`).join(', '))}) END AS expected
    FROM stored s FULL JOIN expected e
      ON s.month = e.month AND s.district_code = e.district_code AND s.street_code = e.street_code
     AND s.community_code = e.community_code AND s.category_code = e.category_code AND s.kind = e.kind
    WHERE ${sql.raw(figures.map((f) => `s.${f} IS DISTINCT FROM e.${f}`).join(' OR '))}
    ORDER BY 1
    LIMIT ${limit}`.execute(db);
  return rows.rows;
}
