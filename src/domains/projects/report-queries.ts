import { sql, type RawBuilder } from 'kysely';
import type { ProjectStatus } from '../../db/tables.ts';
import { withinScope } from '../../shared/like.ts';
import type { Db } from './queries.ts';

/**
 * The SQL of the achievement report. A project's work counts for the posting that led it on the
 * day the work happened: the lead chain is the project's lead posting and its predecessors (a
 * succession or renewal moves open projects forward along it), and a fund, a completion, an
 * output or a linked appeal counts for a program or batch when a posting of it held the project
 * on that day. So 贾岚's parking lot stays hers after 田慧林 takes over the elevators.
 */
export interface ReportFilter {
  programId: number;
  batchId: number | null;
  scopeCode: string;
  from: string;
  to: string;
}

function held(f: ReportFilter): RawBuilder<unknown> {
  const batch = f.batchId === null ? sql`` : sql`AND batch_id = ${f.batchId}`;
  return sql`WITH RECURSIVE chain AS (
      SELECT p.id AS project_id, ps.id AS posting_id, ps.predecessor_posting_id, ps.program_id, ps.batch_id, ps.start_date, ps.end_date
      FROM project p JOIN posting ps ON ps.id = p.lead_posting_id
      WHERE p.community_code LIKE ${withinScope(f.scopeCode)}
      UNION ALL
      SELECT c.project_id, pr.id, pr.predecessor_posting_id, pr.program_id, pr.batch_id, pr.start_date, pr.end_date
      FROM chain c JOIN posting pr ON pr.id = c.predecessor_posting_id
    ), held AS (
      SELECT project_id, start_date, coalesce(end_date, 'infinity'::date) AS end_date FROM chain WHERE program_id = ${f.programId} ${batch}
    )`;
}

/** The project was held by a posting of the program (batch) on `day`. */
const heldOn = (project: RawBuilder<unknown>, day: RawBuilder<unknown>) =>
  sql`EXISTS (SELECT 1 FROM held h WHERE h.project_id = ${project} AND ${day} BETWEEN h.start_date AND h.end_date)`;
const inPeriod = (day: RawBuilder<unknown>, f: ReportFilter) => sql`${day} BETWEEN ${f.from}::date AND ${f.to}::date`;

export async function fundsSecured(db: Db, f: ReportFilter): Promise<{ total: number; count: number }> {
  const rows = await sql<{ total: number; count: number }>`${held(f)}
    SELECT coalesce(sum(fu.amount), 0)::numeric AS total, count(*)::int AS count
    FROM project_fund fu
    WHERE ${inPeriod(sql`fu.received_on`, f)} AND ${heldOn(sql`fu.project_id`, sql`fu.received_on`)}`.execute(db);
  return rows.rows[0]!;
}

export interface SolvedRow {
  category: string;
  historical: boolean;
  source: 'project' | 'output';
  solved: number;
  households: number;
}

/**
 * Problems solved in the period, by top-level category: a completed project is one problem; an
 * output that reached its target is one more only while its project as a whole is not yet
 * completed (one building's gas in a district-wide project), so nothing is counted twice.
 */
export async function problemsSolved(db: Db, f: ReportFilter): Promise<SolvedRow[]> {
  const rows = await sql<SolvedRow>`${held(f)}
    SELECT split_part(p.category_code, '.', 1) AS category, p.historical, 'project' AS source, count(*)::int AS solved,
           coalesce(sum(p.households_benefited), 0)::int AS households
    FROM project p
    WHERE p.status = 'completed' AND ${inPeriod(sql`p.actual_end_date`, f)} AND ${heldOn(sql`p.id`, sql`p.actual_end_date`)}
    GROUP BY 1, 2
    UNION ALL
    SELECT split_part(o.category_code, '.', 1), p.historical, 'output', count(*)::int, 0
    FROM project_output o JOIN project p ON p.id = o.project_id
    WHERE ${inPeriod(sql`o.completed_on`, f)} AND (p.actual_end_date IS NULL OR p.actual_end_date > ${f.to}::date)
      AND ${heldOn(sql`o.project_id`, sql`o.completed_on`)}
    GROUP BY 1, 2`.execute(db);
  return rows.rows;
}

/**
 * Appeals assisted, each once: linked to a project on a day a posting of the program held it,
 * or acted on (filed, handled, …) in its community by the posted cadre's own login while posted.
 */
export async function appealsAssisted(db: Db, f: ReportFilter): Promise<{ total: number; linked: number; acted: number }> {
  const batch = f.batchId === null ? sql`` : sql`AND ps.batch_id = ${f.batchId}`;
  const rows = await sql<{ total: number; linked: number; acted: number }>`${held(f)}, linked AS (
      SELECT pa.appeal_id FROM project_appeal pa
      WHERE ${inPeriod(sql`pa.linked_on`, f)} AND ${heldOn(sql`pa.project_id`, sql`pa.linked_on`)}
    ), acted AS (
      SELECT DISTINCT e.appeal_id
      FROM posting ps
      JOIN app_user u ON u.cadre_id = ps.cadre_id
      JOIN appeal a ON a.community_code = ps.community_code
      JOIN appeal_event e ON e.appeal_id = a.id AND e.actor = u.login
      WHERE ps.program_id = ${f.programId} ${batch} AND ps.community_code LIKE ${withinScope(f.scopeCode)}
        AND (e.at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN greatest(ps.start_date, ${f.from}::date)
                                                          AND least(coalesce(ps.end_date, 'infinity'::date), ${f.to}::date)
    )
    SELECT (SELECT count(*) FROM (SELECT appeal_id FROM linked UNION SELECT appeal_id FROM acted) AS u)::int AS total,
           (SELECT count(DISTINCT appeal_id) FROM linked)::int AS linked,
           (SELECT count(*) FROM acted)::int AS acted`.execute(db);
  return rows.rows[0]!;
}

export interface OutputTotalRow {
  kind: string;
  unit_label: string | null;
  outputs: number;
  done: number;
  target: number;
  achieved: number;
}

/** The quantities of the program's projects as recorded now (achieved has no history), by kind and measure. */
export async function outputTotals(db: Db, f: ReportFilter): Promise<OutputTotalRow[]> {
  const rows = await sql<OutputTotalRow>`${held(f)}
    SELECT o.kind, o.unit_label, count(*)::int AS outputs, count(o.completed_on)::int AS done,
           sum(o.target)::numeric AS target, sum(o.achieved)::numeric AS achieved
    FROM project_output o JOIN project p ON p.id = o.project_id
    WHERE p.status <> 'cancelled' AND EXISTS (SELECT 1 FROM held h WHERE h.project_id = o.project_id)
    GROUP BY o.kind, o.unit_label ORDER BY o.kind, o.unit_label`.execute(db);
  return rows.rows;
}

export interface ReportProjectRow {
  id: number;
  community_name: string;
  title: string;
  category_code: string;
  category_name: string;
  historical: boolean;
  status: ProjectStatus;
  lead_cadre_name: string | null;
  actual_start_date: string | null;
  actual_end_date: string | null;
  households_benefited: number | null;
  progress: number | null;
  funds: number;
}

/** Every project a posting of the program (batch) has led, for the report's list. */
export async function reportProjects(db: Db, f: ReportFilter, limit: number): Promise<ReportProjectRow[]> {
  const rows = await sql<ReportProjectRow>`${held(f)}
    SELECT p.id, c.name AS community_name, p.title, p.category_code, cat.name_zh AS category_name, p.historical, p.status,
           cd.name AS lead_cadre_name, p.actual_start_date::text, p.actual_end_date::text, p.households_benefited,
           (SELECT sum(m.weight) FILTER (WHERE m.done_on IS NOT NULL) / nullif(sum(m.weight), 0) FROM project_milestone m WHERE m.project_id = p.id) AS progress,
           (SELECT coalesce(sum(fu.amount), 0) FROM project_fund fu WHERE fu.project_id = p.id) AS funds
    FROM project p
    JOIN division c ON c.code = p.community_code
    JOIN appeal_category cat ON cat.code = p.category_code
    LEFT JOIN posting lp ON lp.id = p.lead_posting_id
    LEFT JOIN cadre cd ON cd.id = lp.cadre_id
    WHERE EXISTS (SELECT 1 FROM held h WHERE h.project_id = p.id)
    ORDER BY p.community_code, p.id
    LIMIT ${limit}`.execute(db);
  return rows.rows;
}

export async function countReportProjects(db: Db, f: ReportFilter): Promise<number> {
  const rows = await sql<{ n: number }>`${held(f)}
    SELECT count(DISTINCT project_id)::int AS n FROM held`.execute(db);
  return rows.rows[0]!.n;
}

export interface ReportCommunityRow {
  community_code: string;
  community_name: string;
  street_name: string;
  first_start: string;
}

/** The communities the program (batch) posted to, inside the scope, with the program's first posting there. */
export async function reportCommunities(
  db: Db,
  f: Pick<ReportFilter, 'programId' | 'batchId' | 'scopeCode'>,
): Promise<ReportCommunityRow[]> {
  const batch = f.batchId === null ? sql`` : sql`AND ps.batch_id = ${f.batchId}`;
  const rows = await sql<ReportCommunityRow>`
    SELECT ps.community_code, c.name AS community_name, s.name AS street_name,
           (SELECT min(p2.start_date) FROM posting p2 WHERE p2.program_id = ${f.programId} AND p2.community_code = ps.community_code)::text AS first_start
    FROM posting ps
    JOIN division c ON c.code = ps.community_code
    JOIN division s ON s.code = c.parent_code
    WHERE ps.program_id = ${f.programId} ${batch} AND ps.community_code LIKE ${withinScope(f.scopeCode)}
    GROUP BY ps.community_code, c.name, s.name
    ORDER BY ps.community_code`.execute(db);
  return rows.rows;
}

/**
 * The latest day, up to `until`, on which anything was recorded for a program's work or in its
 * district: appeals received, project steps, funds, milestones and outputs reached, days on site.
 * A report without an end runs to it, not to today, when the record stops earlier.
 */
export async function lastRecordedDay(db: Db, programId: number, districtCode: string, until: string): Promise<string | null> {
  const rows = await sql<{ day: string | null }>`
    WITH projects AS (
      SELECT p.id FROM project p JOIN posting po ON po.id = p.lead_posting_id WHERE po.program_id = ${programId}
    )
    SELECT to_char(greatest(
      (SELECT (max(received_at) AT TIME ZONE 'Asia/Shanghai')::date FROM appeal
        WHERE district_code = ${districtCode} AND received_at < (${until}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'),
      (SELECT max(changed_on) FROM project_status_change WHERE project_id IN (SELECT id FROM projects) AND changed_on <= ${until}::date),
      (SELECT max(received_on) FROM project_fund WHERE project_id IN (SELECT id FROM projects) AND received_on <= ${until}::date),
      (SELECT max(done_on) FROM project_milestone WHERE project_id IN (SELECT id FROM projects) AND done_on <= ${until}::date),
      (SELECT max(completed_on) FROM project_output WHERE project_id IN (SELECT id FROM projects) AND completed_on <= ${until}::date),
      (SELECT max(d.duty_date) FROM duty_day d JOIN posting po ON po.id = d.posting_id WHERE po.program_id = ${programId} AND d.duty_date <= ${until}::date)
    ), 'YYYY-MM-DD') AS day`.execute(db);
  return rows.rows[0]?.day ?? null;
}
