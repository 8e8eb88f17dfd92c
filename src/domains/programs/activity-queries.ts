import { sql, type Selectable } from 'kysely';
import type { ApprenticeshipStatus, OrgUnitType, Tables } from '../../db/tables.ts';
import { withinScope } from '../../shared/like.ts';
import { filteredPostings, type Db, type PostingFilter } from './queries.ts';
import { pageAfterId, totalOf } from '../../shared/paging.ts';

/** The SQL of duty days, apprenticeships and the two reports (compliance, roster). */

// ── duty days ───────────────────────────────────────────────────────────────────────────────
const dutyColumns = ['id', 'posting_id', 'duty_date', 'hours', 'work', 'with_whom', 'logged_by', 'logged_at'] as const;
/** A logged on-site day, as stored. */
export type DutyDayRow = Selectable<Tables['duty_day']>;

/** Which of the given days are logged on the posting already. */
export async function loggedDays(db: Db, postingId: number, dates: string[]): Promise<Set<string>> {
  if (dates.length === 0) return new Set();
  const rows = await db
    .selectFrom('duty_day')
    .select('duty_date')
    .where('posting_id', '=', postingId)
    .where('duty_date', 'in', dates)
    .execute();
  return new Set(rows.map((r) => r.duty_date));
}

export async function insertDutyDays(
  db: Db,
  days: Array<{ posting_id: number; duty_date: string; hours: number; work: string; with_whom: string | null; logged_by: string }>,
): Promise<DutyDayRow[]> {
  if (days.length === 0) return [];
  const rows = await db.insertInto('duty_day').values(days).returning(dutyColumns).execute();
  return rows.sort((a, b) => (a.duty_date < b.duty_date ? -1 : a.duty_date > b.duty_date ? 1 : 0));
}

export async function listDutyDays(
  db: Db,
  postingId: number,
  input: { from?: string | undefined; to?: string | undefined; limit: number; after?: string | undefined },
): Promise<DutyDayRow[]> {
  let query = db.selectFrom('duty_day').select(dutyColumns).where('posting_id', '=', postingId);
  if (input.from) query = query.where('duty_date', '>=', input.from);
  if (input.to) query = query.where('duty_date', '<=', input.to);
  if (input.after) query = query.where('duty_date', '>', input.after);
  return query.orderBy('duty_date').limit(input.limit).execute();
}

export async function countDutyDays(
  db: Db,
  postingId: number,
  input: { from?: string | undefined; to?: string | undefined } = {},
): Promise<number> {
  let query = db
    .selectFrom('duty_day')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('posting_id', '=', postingId);
  if (input.from) query = query.where('duty_date', '>=', input.from);
  if (input.to) query = query.where('duty_date', '<=', input.to);
  return (await query.executeTakeFirstOrThrow()).n;
}

/**
 * The last day logged on the posting, or the last after the given date (ending the posting
 * before that would strand the day), if any.
 */
export async function lastDutyDayAfter(db: Db, postingId: number, date?: string): Promise<string | undefined> {
  let query = db.selectFrom('duty_day').select('duty_date').where('posting_id', '=', postingId);
  if (date !== undefined) query = query.where('duty_date', '>', date);
  const row = await query.orderBy('duty_date', 'desc').limit(1).executeTakeFirst();
  return row?.duty_date;
}

// ── compliance ──────────────────────────────────────────────────────────────────────────────
export interface CompliancePostingRow {
  id: number;
  cadre_id: number;
  cadre_name: string;
  community_code: string;
  community_name: string;
  start_date: string;
  end_date: string | null;
}

/** Postings of the program (or batch) inside the scope whose dates meet [from, to]. */
export async function compliancePostings(db: Db, filter: PostingFilter & { from: string; to: string }): Promise<CompliancePostingRow[]> {
  return filteredPostings(db, filter)
    .where('p.start_date', '<=', filter.to)
    .where((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>=', filter.from)]))
    .clearSelect()
    .select(['p.id', 'p.cadre_id', 'cd.name as cadre_name', 'p.community_code', 'c.name as community_name', 'p.start_date', 'p.end_date'])
    .orderBy('c.name')
    .orderBy('p.start_date')
    .execute();
}

/** Days logged per posting and ISO week; the Monday is computed on the date itself, free of any time zone. */
export async function dutyDaysPerWeek(db: Db, postingIds: number[], from: string, to: string) {
  if (postingIds.length === 0) return [];
  const monday = sql<string>`(duty_date - (extract(isodow from duty_date)::int - 1))`;
  return db
    .selectFrom('duty_day')
    .select(['posting_id', monday.as('monday'), (eb) => eb.fn.countAll<number>().as('days')])
    .where('posting_id', 'in', postingIds)
    .where('duty_date', '>=', from)
    .where('duty_date', '<=', to)
    .groupBy(['posting_id', monday])
    .execute();
}

// ── roster ──────────────────────────────────────────────────────────────────────────────────
const activeCount = (today: string) => sql<number>`count(*) FILTER (WHERE p.end_date IS NULL OR p.end_date >= ${today})`;
const endedCount = (today: string) => sql<number>`count(*) FILTER (WHERE p.end_date < ${today})`;

export async function rosterByUnitType(db: Db, filter: PostingFilter) {
  return filteredPostings(db, filter)
    .clearSelect()
    .select([
      'u.type as unit_type',
      sql<number>`count(DISTINCT p.cadre_id)`.as('cadres'),
      sql<number>`count(*)`.as('postings'),
      activeCount(filter.today).as('active'),
      endedCount(filter.today).as('ended'),
    ])
    .groupBy('u.type')
    .orderBy('u.type')
    .execute() as Promise<Array<{ unit_type: OrgUnitType; cadres: number; postings: number; active: number; ended: number }>>;
}

export async function rosterByCommunity(db: Db, filter: PostingFilter) {
  const current = sql<
    string[] | null
  >`array_agg(cd.name ORDER BY p.start_date) FILTER (WHERE p.end_date IS NULL OR p.end_date >= ${filter.today})`;
  return filteredPostings(db, filter)
    .clearSelect()
    .select([
      'p.community_code',
      'c.name as community_name',
      's.name as street_name',
      current.as('current'),
      sql<number>`count(*)`.as('postings'),
      activeCount(filter.today).as('active'),
      endedCount(filter.today).as('ended'),
    ])
    .groupBy(['p.community_code', 'c.name', 's.name'])
    .orderBy('p.community_code')
    .execute();
}

export async function rosterTotals(db: Db, filter: PostingFilter, groupTypes: OrgUnitType[]) {
  return filteredPostings(db, filter)
    .clearSelect()
    .select([
      sql<number>`count(DISTINCT p.cadre_id)`.as('cadres'),
      sql<number>`count(DISTINCT p.community_code)`.as('communities'),
      sql<number>`count(DISTINCT p.cadre_id) FILTER (WHERE u.type IN (${sql.join(groupTypes)}))`.as('grouped'),
      sql<number>`count(*)`.as('postings'),
      activeCount(filter.today).as('active'),
      endedCount(filter.today).as('ended'),
    ])
    .executeTakeFirstOrThrow();
}

// ── apprenticeships ─────────────────────────────────────────────────────────────────────────
export interface ApprenticeshipRow {
  id: number;
  posting_id: number;
  community_code: string;
  community_name: string;
  cadre_id: number;
  cadre_name: string;
  apprentice_name: string;
  apprentice_position: string | null;
  start_date: string;
  status: ApprenticeshipStatus;
  end_date: string | null;
  notes: string | null;
}

const apprenticeshipQuery = (db: Db) =>
  db
    .selectFrom('apprenticeship as a')
    .innerJoin('posting as p', 'p.id', 'a.posting_id')
    .innerJoin('division as c', 'c.code', 'p.community_code')
    .innerJoin('cadre as cd', 'cd.id', 'p.cadre_id')
    .select([
      'a.id',
      'a.posting_id',
      'p.community_code',
      'c.name as community_name',
      'cd.id as cadre_id',
      'cd.name as cadre_name',
      'a.apprentice_name',
      'a.apprentice_position',
      'a.start_date',
      'a.status',
      'a.end_date',
      'a.notes',
    ]);

export async function findApprenticeship(db: Db, id: number, lock = false): Promise<ApprenticeshipRow | undefined> {
  let query = apprenticeshipQuery(db).where('a.id', '=', id);
  if (lock) query = query.forUpdate('a');
  return query.executeTakeFirst();
}

export interface ApprenticeshipFilter {
  scopeCode: string;
  postingId?: number | undefined;
  communityCode?: string | undefined;
  status?: ApprenticeshipStatus | undefined;
  programId?: number | undefined;
  batchId?: number | undefined;
}

function filteredApprenticeships(db: Db, filter: ApprenticeshipFilter) {
  let query = apprenticeshipQuery(db).where('p.community_code', 'like', withinScope(filter.scopeCode));
  if (filter.postingId !== undefined) query = query.where('a.posting_id', '=', filter.postingId);
  if (filter.communityCode) query = query.where('p.community_code', '=', filter.communityCode);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.programId !== undefined) query = query.where('p.program_id', '=', filter.programId);
  if (filter.batchId !== undefined) query = query.where('p.batch_id', '=', filter.batchId);
  return query;
}

export async function listApprenticeships(
  db: Db,
  filter: ApprenticeshipFilter,
  page: { limit: number; after?: number | undefined },
): Promise<ApprenticeshipRow[]> {
  return pageAfterId(filteredApprenticeships(db, filter), 'a.id', page);
}

export async function countApprenticeships(db: Db, filter: ApprenticeshipFilter): Promise<number> {
  return totalOf(db, filteredApprenticeships(db, filter));
}

export async function insertApprenticeship(
  db: Db,
  row: {
    posting_id: number;
    apprentice_name: string;
    apprentice_position: string | null;
    start_date: string;
    notes: string | null;
    created_by: string;
  },
): Promise<number> {
  return (await db.insertInto('apprenticeship').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateApprenticeship(
  db: Db,
  id: number,
  changes: Partial<{ status: ApprenticeshipStatus; end_date: string | null; apprentice_position: string | null; notes: string | null }>,
): Promise<void> {
  if (Object.keys(changes).length > 0) await db.updateTable('apprenticeship').set(changes).where('id', '=', id).execute();
}

export async function insertTraining(
  db: Db,
  row: { apprenticeship_id: number; training_date: string; topic: string; hours: number; recorded_by: string },
) {
  return db.insertInto('apprenticeship_training').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function insertTask(db: Db, row: { apprenticeship_id: number; description: string; since_date: string; recorded_by: string }) {
  return db.insertInto('apprenticeship_task').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function trainingsOf(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('apprenticeship_training')
    .select(['id', 'apprenticeship_id', 'training_date', 'topic', 'hours'])
    .where('apprenticeship_id', 'in', ids)
    .orderBy('training_date')
    .orderBy('id')
    .execute();
}

export async function tasksOf(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('apprenticeship_task')
    .select(['id', 'apprenticeship_id', 'description', 'since_date'])
    .where('apprenticeship_id', 'in', ids)
    .orderBy('since_date')
    .orderBy('id')
    .execute();
}
