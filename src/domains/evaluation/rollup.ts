import { sql, type Kysely, type Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

/**
 * All SQL that writes the monthly rollups. Every write recomputes whole rollup rows from the
 * appeals (never `+= 1`), so a refresh is idempotent and a rebuild is the same query over
 * everything.
 */

const month = (column: string) => sql.raw(`date_trunc('month', ${column} AT TIME ZONE 'Asia/Shanghai')::date`);

/**
 * The rollup rows of the appeals that `where` selects, as one SELECT: volume by received month,
 * callback figures by the month of the latest callback, both grouped by place, category and kind.
 * `now` decides which still-open appeals are past due.
 */
function aggregate(where: ReturnType<typeof sql>) {
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
      FROM appeal a WHERE ${where}
      UNION ALL
      SELECT ${month('a.last_callback_at')}, a.district_code, coalesce(a.street_code, ''),
             coalesce(a.community_code, ''), a.category_code, a.kind,
             0, 0, 1,
             CASE WHEN a.contacted THEN 1 ELSE 0 END,
             CASE WHEN a.solved THEN 1 ELSE 0 END,
             CASE WHEN a.satisfaction = 'satisfied' THEN 1 ELSE 0 END,
             CASE WHEN a.satisfaction = 'basically' THEN 1 ELSE 0 END,
             CASE WHEN a.satisfaction = 'unsatisfied' THEN 1 ELSE 0 END
      FROM appeal a WHERE a.last_callback_at IS NOT NULL AND (${where})
    ) AS parts
    GROUP BY month, district_code, street_code, community_code, category_code, kind`;
}

/** Recomputes everything: what `mustanswer evaluation rebuild` and a changed rule run. */
export async function rebuildRollups(db: Db): Promise<number> {
  await sql`DELETE FROM appeal_month_rollup`.execute(db);
  const result = await sql`INSERT INTO appeal_month_rollup ${aggregate(sql`true`)}`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The rollup cells an appeal contributes to, as `(month|district|street|community|category|kind)`
 * keys: its received month and, once called back, its callback month. Taken before and after a
 * change, their union is what must be recomputed.
 */
export async function cellsOfAppeals(db: Db, appealIds: number[]): Promise<string[]> {
  if (appealIds.length === 0) return [];
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
  await sql`SELECT pg_advisory_xact_lock(hashtext(cell)) FROM unnest(${unique}::text[]) AS cell ORDER BY cell`.execute(db);
  await sql`CREATE TEMP TABLE IF NOT EXISTS rollup_cell (
      month date, district_code text, street_code text, community_code text, category_code text, kind text
    ) ON COMMIT DROP`.execute(db);
  await sql`TRUNCATE rollup_cell`.execute(db);
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
    SELECT r.* FROM (${aggregate(inCells)}) AS r
    JOIN rollup_cell c ON r.month = c.month AND r.district_code = c.district_code AND r.street_code = c.street_code
      AND r.community_code = c.community_code AND r.category_code = c.category_code AND r.kind = c.kind`.execute(db);
}

export interface RollupDifference {
  cell: string;
  stored: Record<string, number> | null;
  expected: Record<string, number> | null;
}

/** Compares the stored rollups with a recount from the appeals; an empty list means consistent. */
export async function checkRollups(db: Db, limit = 100): Promise<RollupDifference[]> {
  const figures = ['volume', 'callbacks', 'contacted', 'solved', 'satisfied', 'basically', 'unsatisfied'] as const;
  const rows = await sql<{ cell: string; stored: Record<string, number> | null; expected: Record<string, number> | null }>`
    WITH expected AS (${aggregate(sql`true`)}),
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
