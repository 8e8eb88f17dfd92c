import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { assessmentMonthSql } from './assessment.ts';
import { currentRules, periodStartDayOf, rateKinds, type RateKinds } from './config.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

/**
 * All SQL that writes the monthly rollups. Every write recomputes whole rollup rows from the
 * appeals (never `+= 1`), so a refresh is idempotent and a rebuild is the same query over
 * everything.
 */

/** The day assessment periods start on, under the rules in force. */
const startDayIn = async (db: Db) => periodStartDayOf(await currentRules(db));

/**
 * The rollup rows of the appeals that `where` selects, as one SELECT: volume by received month,
 * callback figures by the month of the latest callback, both grouped by place, category and kind.
 * `now` decides which still-open appeals are past due.
 */
function aggregate(startDay: number, where: ReturnType<typeof sql>, from: (monthOfPart: ReturnType<typeof sql>) => ReturnType<typeof sql> = () => sql`appeal a`) {
  const month = (column: string) => assessmentMonthSql(column, startDay);
  return sql`
    SELECT month, district_code, street_code, community_code, category_code, kind,
           sum(volume)::int AS volume, sum(overdue)::int AS overdue, sum(callbacks)::int AS callbacks,
           sum(contacted)::int AS contacted, sum(solved)::int AS solved, sum(satisfied)::int AS satisfied,
           sum(basically)::int AS basically, sum(unsatisfied)::int AS unsatisfied
    FROM (
      SELECT ${month('a.received_at')} AS month, a.district_code, coalesce(a.street_code, '') AS street_code,
             coalesce(a.community_code, '') AS community_code, a.category_code, a.kind,
             1 AS volume,
             CASE WHEN coalesce(a.responded_at, now()) > a.response_due_at
                    OR coalesce(a.handled_at, now()) > a.handling_due_at THEN 1 ELSE 0 END AS overdue,
             0 AS callbacks, 0 AS contacted, 0 AS solved, 0 AS satisfied, 0 AS basically, 0 AS unsatisfied
      FROM ${from(month('a.received_at'))} WHERE ${where}
      UNION ALL
      SELECT ${month('a.last_callback_at')}, a.district_code, coalesce(a.street_code, ''),
             coalesce(a.community_code, ''), a.category_code, a.kind,
             0, 0, 1,
             CASE WHEN a.contacted THEN 1 ELSE 0 END,
             CASE WHEN a.solved THEN 1 ELSE 0 END,
             CASE WHEN a.satisfaction = 'satisfied' THEN 1 ELSE 0 END,
             CASE WHEN a.satisfaction = 'basically' THEN 1 ELSE 0 END,
             CASE WHEN a.satisfaction = 'unsatisfied' THEN 1 ELSE 0 END
      FROM ${from(month('a.last_callback_at'))} WHERE a.last_callback_at IS NOT NULL AND (${where})
    ) AS parts
    GROUP BY month, district_code, street_code, community_code, category_code, kind`;
}

const figureColumns = ['volume', 'overdue', 'callbacks', 'contacted', 'solved', 'satisfied', 'basically', 'unsatisfied'] as const;
const placeKey = 'month, district_code, street_code, community_code, kind';
const placeSums = sql.raw(`${placeKey}, ${figureColumns.map((c) => `sum(${c})::int AS ${c}`).join(', ')}`);

const placeMonthKey = ['month', 'district_code', 'street_code', 'community_code'] as const;

/** place_month_counts' columns from appeal_month_place rows, each rate taking the rules' kinds. */
function countsOfPlaceRows(kinds: RateKinds) {
  const on = (rate: keyof RateKinds, column: string) => sql`coalesce(sum(${sql.ref(column)}) FILTER (WHERE kind = ANY(${kinds[rate]}::text[])), 0)::int`;
  return sql`${sql.raw(placeMonthKey.join(', '))}, sum(volume)::int, sum(overdue)::int,
    ${on('response', 'callbacks')}, ${on('response', 'contacted')},
    ${on('resolution', 'callbacks')}, ${on('resolution', 'solved')},
    ${on('satisfaction', 'callbacks')}, ${on('satisfaction', 'satisfied')}, ${on('satisfaction', 'basically')}`;
}

/**
 * Derives place_month_counts again for the place-months `keys` selects (month, district_code,
 * street_code, community_code), or for all of them, from the place rollup.
 */
async function deriveCounts(db: Db, keys: RawBuilder<unknown> | 'all', kinds?: RateKinds, options: { afresh?: boolean } = {}): Promise<void> {
  const counts = countsOfPlaceRows(kinds ?? rateKinds(await currentRules(db)));
  if (keys === 'all') {
    if (!options.afresh) await sql`DELETE FROM place_month_counts`.execute(db);
    await sql`INSERT INTO place_month_counts SELECT ${counts} FROM appeal_month_place GROUP BY ${sql.raw(placeMonthKey.join(', '))} ORDER BY month`.execute(db);
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
  // Cell refreshes of other writers wait for it (as for refreshPlaceMonths) until the caller commits.
  await sql`LOCK TABLE appeal_month_rollup IN SHARE ROW EXCLUSIVE MODE`.execute(db);
  if (options.afresh) await sql`TRUNCATE appeal_month_rollup, appeal_month_place, place_month_counts`.execute(db);
  else await sql`DELETE FROM appeal_month_rollup`.execute(db);
  // In month order, so that one month's rows share disk pages: a ranking then reads few of them.
  const result = await sql`INSERT INTO appeal_month_rollup SELECT * FROM (${aggregate(await startDayIn(db), sql`true`)}) AS r ORDER BY month`.execute(db);
  if (!options.afresh) await sql`DELETE FROM appeal_month_place`.execute(db);
  await sql`INSERT INTO appeal_month_place SELECT ${placeSums} FROM appeal_month_rollup GROUP BY ${sql.raw(placeKey)} ORDER BY month`.execute(db);
  await deriveCounts(db, 'all', undefined, options);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The rollup cells an appeal contributes to, as `(month|district|street|community|category|kind)`
 * keys: its received month and, once called back, its callback month. Taken before and after a
 * change, their union is what must be recomputed.
 */
export async function cellsOfAppeals(db: Db, appealIds: number[]): Promise<string[]> {
  if (appealIds.length === 0) return [];
  const startDay = await startDayIn(db);
  const month = (column: string) => assessmentMonthSql(column, startDay);
  const rows = await sql<{ cell: string }>`
    SELECT DISTINCT concat_ws('|', m, a.district_code, coalesce(a.street_code, ''), coalesce(a.community_code, ''), a.category_code, a.kind) AS cell
    FROM appeal a
    CROSS JOIN LATERAL (VALUES (${month('a.received_at')}), (${month('a.last_callback_at')})) AS months(m)
    WHERE a.id = ANY(${appealIds}::bigint[]) AND m IS NOT NULL`.execute(db);
  return rows.rows.map((r) => r.cell);
}

/**
 * Recomputes the given cells from the appeals, inside the caller's transaction (its temp table
 * and locks live as long as that). Each cell is locked first (in a fixed order, so
 * two writers cannot deadlock) so that a concurrent writer's change is committed and visible
 * before this one counts.
 */
export async function refreshCells(db: Transaction<Tables>, cells: string[]): Promise<void> {
  const unique = [...new Set(cells)].sort();
  if (unique.length === 0) return;
  // Locked by place-month, not by cell: cells of one place-month share its place and counts rows.
  const placeMonths = [...new Set(unique.map((cell) => cell.split('|').slice(0, 4).join('|')))].sort();
  await sql`SELECT pg_advisory_xact_lock(hashtext(key)) FROM unnest(${placeMonths}::text[]) AS key ORDER BY key`.execute(db);
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_cell (
      month date, district_code text, street_code text, community_code text, category_code text, kind text
    ) ON COMMIT DROP`.execute(db);
  await sql`TRUNCATE rollup_cell`.execute(db);
  const startDay = await startDayIn(db);
  const month = (column: string) => assessmentMonthSql(column, startDay);
  await sql`INSERT INTO rollup_cell
    SELECT p[1]::date, p[2], p[3], p[4], p[5], p[6] FROM (SELECT string_to_array(cell, '|') AS p FROM unnest(${unique}::text[]) AS cell) AS s`.execute(db);
  await sql`DELETE FROM appeal_month_rollup r USING rollup_cell c
    WHERE r.month = c.month AND r.district_code = c.district_code AND r.street_code = c.street_code
      AND r.community_code = c.community_code AND r.category_code = c.category_code AND r.kind = c.kind`.execute(db);
  const inCells = sql`EXISTS (SELECT 1 FROM rollup_cell c
      WHERE a.district_code = c.district_code AND coalesce(a.street_code, '') = c.street_code
        AND coalesce(a.community_code, '') = c.community_code AND a.category_code = c.category_code AND a.kind = c.kind
        AND (${month('a.received_at')} = c.month OR ${month('a.last_callback_at')} = c.month))`;
  await sql`INSERT INTO appeal_month_rollup
    SELECT r.* FROM (${aggregate(startDay, inCells)}) AS r
    JOIN rollup_cell c ON r.month = c.month AND r.district_code = c.district_code AND r.street_code = c.street_code
      AND r.community_code = c.community_code AND r.category_code = c.category_code AND r.kind = c.kind`.execute(db);
  // The place rollup of the same places and months, summed again from the category rollup.
  const samePlace = sql.raw(['month', 'district_code', 'street_code', 'community_code', 'kind'].map((c) => `p.${c} = k.${c}`).join(' AND '));
  await sql`DELETE FROM appeal_month_place p USING (SELECT DISTINCT ${sql.raw(placeKey)} FROM rollup_cell) AS k WHERE ${samePlace}`.execute(db);
  await sql`INSERT INTO appeal_month_place
    SELECT ${placeSums} FROM appeal_month_rollup p
    WHERE EXISTS (SELECT 1 FROM rollup_cell k WHERE ${samePlace})
    GROUP BY ${sql.raw(placeKey)}`.execute(db);
  await deriveCounts(db, sql`SELECT DISTINCT ${sql.raw(placeMonthKey.join(', '))} FROM rollup_cell`);
}

/**
 * Recomputes whole place-months, set-based: every rollup row of each (month, district, street,
 * community) listed in `table` (a temp table of the caller's, as the appeal import fills it).
 * For bulk writes where cell-by-cell locks would be too many: the rollup table is locked against
 * other writers instead (refreshCells waits for it), and released at the caller's commit.
 */
export async function refreshPlaceMonths(db: Transaction<Tables>, table: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
  const t = sql.table(table);
  await sql`LOCK TABLE appeal_month_rollup IN SHARE ROW EXCLUSIVE MODE`.execute(db);
  const rules = await currentRules(db);
  const startDay = periodStartDayOf(rules);
  // Temp tables have no statistics until analyzed; the planner needs them to pick hash joins for a big import.
  await sql`ANALYZE ${t}`.execute(db);
  await sql`DELETE FROM appeal_month_rollup r USING ${t} p
    WHERE r.month = p.month AND r.district_code = p.district_code AND r.street_code = p.street_code AND r.community_code = p.community_code`.execute(db);
  // Each part joined to the place-months on its own month (received, or latest callback): a hash
  // join on equal keys, so a million-row import aggregates in one pass.
  const inPlaceMonth = (monthOfPart: ReturnType<typeof sql>) => sql`appeal a JOIN ${t} p
      ON p.district_code = a.district_code AND p.street_code = coalesce(a.street_code, '')
     AND p.community_code = coalesce(a.community_code, '') AND p.month = ${monthOfPart}`;
  const samePlace = sql.raw(placeMonthKey.map((c) => `r.${c} = p.${c}`).join(' AND '));
  await sql`DELETE FROM appeal_month_place r USING ${t} p WHERE ${samePlace}`.execute(db);
  await sql`DELETE FROM place_month_counts r USING ${t} p WHERE ${samePlace}`.execute(db);
  // The rows just written are every category row of these place-months: the place rollup and the
  // counts are summed from them as they are returned, without reading the rollup again.
  await sql`WITH category_rows AS (
      INSERT INTO appeal_month_rollup ${aggregate(startDay, sql`true`, inPlaceMonth)}
      RETURNING *
    ), place_rows AS (
      INSERT INTO appeal_month_place SELECT ${placeSums} FROM category_rows GROUP BY ${sql.raw(placeKey)}
      RETURNING *
    )
    INSERT INTO place_month_counts SELECT ${countsOfPlaceRows(rateKinds(rules))} FROM place_rows GROUP BY ${sql.raw(placeMonthKey.join(', '))}`.execute(db);
}

export interface RollupDifference {
  cell: string;
  stored: Record<string, number> | null;
  expected: Record<string, number> | null;
}

/**
 * Compares the stored rollups with a recount from the appeals, and the place rollup with the
 * category rollup; an empty list means consistent. Overdue is left out: it moves with the clock.
 */
export async function checkRollups(db: Db, limit = 100): Promise<RollupDifference[]> {
  return [...(await checkCategoryRollup(db, limit)), ...(await checkPlaceRollup(db, limit)), ...(await checkCounts(db, limit))];
}

const countColumns = ['volume', 'response_valid', 'contacted', 'resolution_valid', 'solved', 'satisfaction_valid', 'satisfied', 'basically'] as const;

/** place_month_counts against the place rollup under the rules in force. */
async function checkCounts(db: Db, limit: number): Promise<RollupDifference[]> {
  const json = (alias: string) => sql.raw(`jsonb_build_object(${countColumns.map((f) => `'${f}', ${alias}.${f}`).join(', ')})`);
  const columns = sql.raw([...placeMonthKey, 'volume', 'overdue', ...countColumns.slice(1)].join(', '));
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
  const figures = figureColumns.filter((f) => f !== 'overdue');
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
  const figures = ['volume', 'callbacks', 'contacted', 'solved', 'satisfied', 'basically', 'unsatisfied'] as const;
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
