import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { withCommunityNames } from '../geo/queries.ts';
import type { PanelRow } from './panel.ts';

/** All SQL of the impact domain: it reads postings and the community-month counts, writes nothing. */
export type Db = Kysely<Tables>;

export interface ProgramPostingRow {
  id: number;
  batch_id: number;
  batch_number: number;
  community_code: string;
  community_name: string;
  street_name: string;
  start_date: string;
  end_date: string | null;
}

/** Every posting of a program with its community's names, oldest first. */
export async function programPostings(db: Db, programId: number): Promise<ProgramPostingRow[]> {
  const postings = db.selectFrom('posting as p').innerJoin('batch as b', 'b.id', 'p.batch_id');
  return withCommunityNames(postings, 'p.community_code')
    .select(['p.id', 'p.batch_id', 'b.number as batch_number', 'p.community_code', 'p.start_date', 'p.end_date'])
    .where('p.program_id', '=', programId)
    .orderBy('p.start_date')
    .orderBy('p.id')
    .execute();
}

/** The first and last month with counts under a division prefix (a district, or the city). */
export async function dataMonths(db: Db, prefix: string): Promise<{ from: string | null; to: string | null }> {
  const rows = await sql<{ from: string | null; to: string | null }>`
    SELECT to_char(min(month), 'YYYY-MM') AS "from", to_char(max(month), 'YYYY-MM') AS "to"
    FROM place_month_counts WHERE ${prefixCondition(prefix)} AND community_code <> ''`.execute(db);
  return rows.rows[0] ?? { from: null, to: null };
}

function prefixCondition(prefix: string) {
  return prefix.length === 6 ? sql`district_code = ${prefix}` : sql`district_code LIKE ${`${prefix}%`}`;
}

/**
 * The community-month counts under a prefix over [from, to] ('YYYY-MM'), for the communities
 * asked for or, with `codes` null, for every community there. Read through the (district, month)
 * index: a district's three years are some 15,000 rows.
 */
export async function panelRows(db: Db, prefix: string, from: string, to: string): Promise<PanelRow[]> {
  const rows = await sql<PanelRow>`
    SELECT community_code AS "communityCode", to_char(month, 'YYYY-MM') AS month, volume,
           response_valid AS "responseValid", contacted, resolution_valid AS "resolutionValid", solved,
           satisfaction_valid AS "satisfactionValid", satisfied, basically
    FROM place_month_counts
    WHERE ${prefixCondition(prefix)} AND community_code <> ''
      AND month BETWEEN ${`${from}-01`}::date AND ${`${to}-01`}::date`.execute(db);
  return rows.rows;
}

export interface CommunityRow {
  code: string;
  name: string;
  street_name: string;
  residents: number | null;
}

/**
 * The communities under a prefix that no program posted anyone to between two days: the pool
 * comparison communities are matched from.
 */
export async function untreatedCommunities(db: Db, prefix: string, from: string, to: string): Promise<CommunityRow[]> {
  const rows = await sql<CommunityRow>`
    SELECT c.code, c.name, s.name AS street_name, cp.residents
    FROM division c
    JOIN division s ON s.code = c.parent_code
    LEFT JOIN community_profile cp ON cp.community_code = c.code
    WHERE c.level = 'community' AND c.code LIKE ${`${prefix}%`}
      AND NOT EXISTS (SELECT 1 FROM posting p WHERE p.community_code = c.code
                      AND p.start_date <= ${to}::date AND coalesce(p.end_date, 'infinity'::date) >= ${from}::date)
    ORDER BY c.code`.execute(db);
  return rows.rows;
}

/** Residents of some communities, where their profile records them. */
export async function residentsOf(db: Db, codes: readonly string[]): Promise<Map<string, number | null>> {
  if (codes.length === 0) return new Map();
  const rows = await db
    .selectFrom('community_profile')
    .select(['community_code', 'residents'])
    .where('community_code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.community_code, r.residents]));
}
