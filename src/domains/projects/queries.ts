import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { ProjectOrigin, ProjectStatus, Tables } from '../../db/tables.ts';
import { escapeLike, withinScope } from '../../shared/like.ts';
import { withCommunityNames } from '../geo/queries.ts';
import { pageAfterId, totalOf } from '../../shared/paging.ts';

/**
 * The SQL of projects themselves: one project, lists and the board, status history, and moving
 * open projects to a successor. Their parts are in parts-queries.ts, the report in
 * report-queries.ts. Scope filters are SQL conditions here; who may do what is decided in
 * policy.ts and the services.
 */
export type Db = Kysely<Tables> | Transaction<Tables>;

export interface ProjectRow {
  id: number;
  community_code: string;
  title: string;
  category_code: string;
  status: ProjectStatus;
  lead_posting_id: number | null;
  lead_cadre_id: number | null;
  requires_consultation: boolean | null;
  actual_start_date: string | null;
  actual_end_date: string | null;
  planned_start_date: string | null;
  planned_end_date: string | null;
}

/** The bare project for the guards; `lock` holds it against a concurrent change of status. */
export async function findProject(db: Db, id: number, lock = false): Promise<ProjectRow | undefined> {
  let query = db
    .selectFrom('project as p')
    .leftJoin('posting as lp', 'lp.id', 'p.lead_posting_id')
    .select([
      'p.id',
      'p.community_code',
      'p.title',
      'p.category_code',
      'p.status',
      'p.lead_posting_id',
      'lp.cadre_id as lead_cadre_id',
      'p.requires_consultation',
      'p.actual_start_date',
      'p.actual_end_date',
      'p.planned_start_date',
      'p.planned_end_date',
    ])
    .where('p.id', '=', id);
  // FOR UPDATE cannot lock the nullable side of an outer join: lock the project row only.
  if (lock) query = query.forUpdate('p');
  return query.executeTakeFirst();
}

/** A project as the pages show it: its own columns, the names it points to, its lead and progress. */
export type ProjectViewRow = Pick<
  Selectable<Tables['project']>,
  | 'id'
  | 'community_code'
  | 'title'
  | 'description'
  | 'category_code'
  | 'origin'
  | 'historical'
  | 'status'
  | 'lead_posting_id'
  | 'requires_consultation'
  | 'planned_start_date'
  | 'planned_end_date'
  | 'actual_start_date'
  | 'actual_end_date'
  | 'expected_completion_date'
  | 'households_benefited'
> & {
  community_name: string;
  street_name: string;
  category_name: string;
  lead_cadre_id: number | null;
  lead_cadre_name: string | null;
  lead_program_id: number | null;
  lead_batch_id: number | null;
  lead_start_date: string | null;
  lead_end_date: string | null;
  /** Done weight over total weight; null without milestones. */
  progress: number | null;
};

function viewQuery(db: Db) {
  return withCommunityNames(db.selectFrom('project as p'), 'p.community_code')
    .innerJoin('appeal_category as cat', 'cat.code', 'p.category_code')
    .leftJoin('posting as lp', 'lp.id', 'p.lead_posting_id')
    .leftJoin('cadre as cd', 'cd.id', 'lp.cadre_id')
    .select([
      'p.id',
      'p.community_code',
      'p.title',
      'p.description',
      'p.category_code',
      'cat.name_zh as category_name',
      'p.origin',
      'p.historical',
      'p.status',
      'p.lead_posting_id',
      'lp.cadre_id as lead_cadre_id',
      'cd.name as lead_cadre_name',
      'lp.program_id as lead_program_id',
      'lp.batch_id as lead_batch_id',
      'lp.start_date as lead_start_date',
      'lp.end_date as lead_end_date',
      'p.requires_consultation',
      'p.planned_start_date',
      'p.planned_end_date',
      'p.actual_start_date',
      'p.actual_end_date',
      'p.expected_completion_date',
      'p.households_benefited',
    ])
    .select(
      sql<number | null>`(SELECT sum(m.weight) FILTER (WHERE m.done_on IS NOT NULL) / nullif(sum(m.weight), 0)
      FROM project_milestone m WHERE m.project_id = p.id)`.as('progress'),
    );
}

export async function findProjectView(db: Db, id: number): Promise<ProjectViewRow | undefined> {
  return viewQuery(db).where('p.id', '=', id).executeTakeFirst();
}

export interface ProjectFilter {
  scopeCode: string;
  communityCode?: string | undefined;
  statuses?: ProjectStatus[] | undefined;
  programId?: number | undefined;
  batchId?: number | undefined;
  /** This category and everything under it. */
  category?: string | undefined;
  historical?: boolean | undefined;
  text?: string | undefined;
}

function filtered(db: Db, filter: ProjectFilter) {
  let query = viewQuery(db).where('p.community_code', 'like', withinScope(filter.scopeCode));
  if (filter.communityCode) query = query.where('p.community_code', '=', filter.communityCode);
  if (filter.statuses && filter.statuses.length > 0) query = query.where('p.status', 'in', filter.statuses);
  if (filter.programId !== undefined) query = query.where('lp.program_id', '=', filter.programId);
  if (filter.batchId !== undefined) query = query.where('lp.batch_id', '=', filter.batchId);
  if (filter.category) {
    const category = filter.category;
    query = query.where((eb) => eb.or([eb('p.category_code', '=', category), eb('p.category_code', 'like', `${escapeLike(category)}.%`)]));
  }
  if (filter.historical !== undefined) query = query.where('p.historical', '=', filter.historical);
  if (filter.text) query = query.where('p.title', 'ilike', `%${escapeLike(filter.text)}%`);
  return query;
}

export async function listProjects(
  db: Db,
  filter: ProjectFilter,
  page: { limit: number; after?: number | undefined },
): Promise<ProjectViewRow[]> {
  return pageAfterId(filtered(db, filter), 'p.id', page);
}

export async function countProjects(db: Db, filter: ProjectFilter): Promise<number> {
  return totalOf(db, filtered(db, filter));
}

export async function countByStatus(db: Db, filter: ProjectFilter): Promise<Map<ProjectStatus, number>> {
  const rows = await db
    .selectFrom(filtered(db, filter).as('x'))
    .select(['x.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('x.status')
    .execute();
  return new Map(rows.map((r) => [r.status, r.n]));
}

/** The first `perStatus` projects of each status (newest first), in one query. */
export async function boardCards(db: Db, filter: ProjectFilter, perStatus: number): Promise<ProjectViewRow[]> {
  const numbered = filtered(db, filter).select(sql<number>`row_number() OVER (PARTITION BY p.status ORDER BY p.id DESC)`.as('place'));
  return db.selectFrom(numbered.as('x')).selectAll().where('x.place', '<=', perStatus).orderBy('x.id', 'desc').execute();
}

export type ProjectInsert = {
  community_code: string;
  title: string;
  description: string | null;
  category_code: string;
  origin: ProjectOrigin;
  historical: boolean;
  lead_posting_id: number | null;
  requires_consultation: boolean | null;
  planned_start_date: string | null;
  planned_end_date: string | null;
  expected_completion_date: string | null;
  households_benefited: number | null;
  created_by: string;
};

export async function insertProject(db: Db, project: ProjectInsert): Promise<number> {
  return (await db.insertInto('project').values(project).returning('id').executeTakeFirstOrThrow()).id;
}

export type ProjectUpdate = Partial<Omit<ProjectInsert, 'community_code' | 'created_by'>> & {
  status?: ProjectStatus;
  actual_start_date?: string | null;
  actual_end_date?: string | null;
};

export async function updateProject(db: Db, id: number, changes: ProjectUpdate): Promise<void> {
  await db
    .updateTable('project')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

// ── status history ──────────────────────────────────────────────────────────────────────────
export interface StatusChangeRow {
  from_status: ProjectStatus | null;
  to_status: ProjectStatus;
  changed_on: string;
  note: string | null;
  actor: string;
}

export async function insertStatusChange(db: Db, change: StatusChangeRow & { project_id: number }): Promise<void> {
  await db.insertInto('project_status_change').values(change).execute();
}

export async function statusHistory(db: Db, projectId: number): Promise<StatusChangeRow[]> {
  return db
    .selectFrom('project_status_change')
    .select(['from_status', 'to_status', 'changed_on', 'note', 'actor'])
    .where('project_id', '=', projectId)
    .orderBy('id')
    .execute();
}

/** The day of the latest change: a status cannot change on an earlier day than the one before. */
export async function lastChangeDate(db: Db, projectId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('project_status_change')
    .select('changed_on')
    .where('project_id', '=', projectId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.changed_on;
}

// ── succession ──────────────────────────────────────────────────────────────────────────────
/** Projects a posting leads that are still open, locked: they are about to change hands. */
export async function openProjectsLedBy(db: Db, postingId: number): Promise<Array<{ id: number; title: string; status: ProjectStatus }>> {
  return db
    .selectFrom('project')
    .select(['id', 'title', 'status'])
    .where('lead_posting_id', '=', postingId)
    .where('status', 'not in', ['completed', 'cancelled'])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function setLeadPosting(db: Db, projectIds: number[], postingId: number): Promise<void> {
  if (projectIds.length === 0) return;
  await db.updateTable('project').set({ lead_posting_id: postingId, updated_at: sql<Date>`now()` }).where('id', 'in', projectIds).execute();
}

// ── lookups ─────────────────────────────────────────────────────────────────────────────────
export async function findCategoryName(db: Db, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('appeal_category').select('name_zh').where('code', '=', code).executeTakeFirst();
  return row?.name_zh;
}

export async function findPostingPlace(db: Db, id: number) {
  return db
    .selectFrom('posting as ps')
    .innerJoin('cadre as cd', 'cd.id', 'ps.cadre_id')
    .select(['ps.id', 'ps.community_code', 'ps.cadre_id', 'cd.name as cadre_name', 'ps.start_date', 'ps.end_date'])
    .where('ps.id', '=', id)
    .executeTakeFirst();
}
