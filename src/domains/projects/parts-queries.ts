import { sql, type Selectable } from 'kysely';
import type { OrgUnitType, StakeholderRole, Tables } from '../../db/tables.ts';
import type { Db } from './queries.ts';

/** The SQL of a project's parts: stakeholders, consultations, milestones, funds, outputs, linked appeals. */

// ── stakeholders ────────────────────────────────────────────────────────────────────────────
export interface StakeholderRow {
  id: number;
  unit_id: number;
  unit_name: string;
  unit_type: OrgUnitType;
  role: StakeholderRole;
  note: string | null;
}

export async function listStakeholders(db: Db, projectId: number): Promise<StakeholderRow[]> {
  return db
    .selectFrom('project_stakeholder as ps')
    .innerJoin('unit as u', 'u.id', 'ps.unit_id')
    .select(['ps.id', 'ps.unit_id', 'u.name as unit_name', 'u.type as unit_type', 'ps.role', 'ps.note'])
    .where('ps.project_id', '=', projectId)
    .orderBy('ps.id')
    .execute();
}

export async function findStakeholder(db: Db, projectId: number, unitId: number, role: StakeholderRole) {
  return db
    .selectFrom('project_stakeholder')
    .select('id')
    .where('project_id', '=', projectId)
    .where('unit_id', '=', unitId)
    .where('role', '=', role)
    .executeTakeFirst();
}

export async function insertStakeholder(
  db: Db,
  row: { project_id: number; unit_id: number; role: StakeholderRole; note: string | null; added_by: string },
): Promise<number> {
  return (await db.insertInto('project_stakeholder').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function deleteStakeholder(
  db: Db,
  projectId: number,
  id: number,
): Promise<{ unit_id: number; role: StakeholderRole } | undefined> {
  return db
    .deleteFrom('project_stakeholder')
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .returning(['unit_id', 'role'])
    .executeTakeFirst();
}

// ── consultations ───────────────────────────────────────────────────────────────────────────
const consultationColumns = ['id', 'held_on', 'form', 'participants', 'support', 'oppose', 'abstain', 'summary'] as const;
export type ConsultationRow = Pick<Selectable<Tables['project_consultation']>, (typeof consultationColumns)[number]>;

export async function listConsultations(db: Db, projectId: number): Promise<ConsultationRow[]> {
  return db
    .selectFrom('project_consultation')
    .select(consultationColumns)
    .where('project_id', '=', projectId)
    .orderBy('held_on')
    .orderBy('id')
    .execute();
}

export async function insertConsultation(
  db: Db,
  row: Omit<ConsultationRow, 'id'> & { project_id: number; recorded_by: string },
): Promise<ConsultationRow> {
  return db.insertInto('project_consultation').values(row).returning(consultationColumns).executeTakeFirstOrThrow();
}

/** Consultations held on or before a day: what an approval on that day stands on. */
export async function countConsultationsBy(db: Db, projectId: number, date: string): Promise<number> {
  const row = await db
    .selectFrom('project_consultation')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .where('held_on', '<=', date)
    .executeTakeFirstOrThrow();
  return row.n;
}

// ── milestones ──────────────────────────────────────────────────────────────────────────────
export interface MilestoneRow {
  id: number;
  title: string;
  weight: number;
  planned_on: string | null;
  done_on: string | null;
}

const milestoneColumns = ['id', 'title', 'weight', 'planned_on', 'done_on'] as const;

export async function listMilestones(db: Db, projectId: number): Promise<MilestoneRow[]> {
  return db
    .selectFrom('project_milestone')
    .select(milestoneColumns)
    .where('project_id', '=', projectId)
    .orderBy(sql`coalesce(done_on, planned_on)`, (ob) => ob.asc().nullsLast())
    .orderBy('id')
    .execute();
}

export async function findMilestone(db: Db, projectId: number, id: number): Promise<MilestoneRow | undefined> {
  return db
    .selectFrom('project_milestone')
    .select(milestoneColumns)
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function insertMilestone(
  db: Db,
  row: { project_id: number; title: string; weight: number; planned_on: string | null; created_by: string },
): Promise<number> {
  return (await db.insertInto('project_milestone').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateMilestone(
  db: Db,
  id: number,
  changes: Partial<Pick<MilestoneRow, 'title' | 'weight' | 'planned_on' | 'done_on'>>,
): Promise<void> {
  await db.updateTable('project_milestone').set(changes).where('id', '=', id).execute();
}

/** The earliest done day and how many are not done: what a start date and a completion must respect. */
export async function milestoneDates(
  db: Db,
  projectId: number,
): Promise<{ first_done: string | null; last_done: string | null; open: number }> {
  const row = await db
    .selectFrom('project_milestone')
    .select([
      sql<string | null>`min(done_on)::text`.as('first_done'),
      sql<string | null>`max(done_on)::text`.as('last_done'),
      sql<number>`count(*) FILTER (WHERE done_on IS NULL)::int`.as('open'),
    ])
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return row;
}

// ── funds ───────────────────────────────────────────────────────────────────────────────────
export interface FundRow {
  id: number;
  amount: number;
  source_unit_id: number;
  source_unit_name: string;
  received_on: string;
  note: string | null;
}

export async function listFunds(db: Db, projectId: number): Promise<FundRow[]> {
  return db
    .selectFrom('project_fund as f')
    .innerJoin('unit as u', 'u.id', 'f.source_unit_id')
    .select(['f.id', 'f.amount', 'f.source_unit_id', 'u.name as source_unit_name', 'f.received_on', 'f.note'])
    .where('f.project_id', '=', projectId)
    .orderBy('f.received_on')
    .orderBy('f.id')
    .execute();
}

export async function insertFund(
  db: Db,
  row: { project_id: number; amount: number; source_unit_id: number; received_on: string; note: string | null; recorded_by: string },
): Promise<number> {
  return (await db.insertInto('project_fund').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

// ── outputs ─────────────────────────────────────────────────────────────────────────────────
export interface OutputRow {
  id: number;
  kind: string;
  unit_label: string | null;
  category_code: string;
  target: number;
  achieved: number;
  completed_on: string | null;
  note: string | null;
}

const outputColumns = ['id', 'kind', 'unit_label', 'category_code', 'target', 'achieved', 'completed_on', 'note'] as const;

export async function listOutputs(db: Db, projectId: number): Promise<OutputRow[]> {
  return db.selectFrom('project_output').select(outputColumns).where('project_id', '=', projectId).orderBy('id').execute();
}

export async function findOutput(db: Db, projectId: number, id: number): Promise<OutputRow | undefined> {
  return db
    .selectFrom('project_output')
    .select(outputColumns)
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertOutput(db: Db, row: Omit<OutputRow, 'id'> & { project_id: number; created_by: string }): Promise<number> {
  return (await db.insertInto('project_output').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateOutput(
  db: Db,
  id: number,
  changes: Partial<Pick<OutputRow, 'target' | 'achieved' | 'completed_on' | 'note'>>,
): Promise<void> {
  await db
    .updateTable('project_output')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

// ── linked appeals ──────────────────────────────────────────────────────────────────────────
/** What the link check needs of each appeal: where it happened. */
export async function appealPlaces(
  db: Db,
  ids: number[],
): Promise<Map<number, { community_code: string | null; district_code: string; street_code: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('appeal')
    .select(['id', 'community_code', 'street_code', 'district_code'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function alreadyLinked(db: Db, projectId: number, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('project_appeal')
    .select('appeal_id')
    .where('project_id', '=', projectId)
    .where('appeal_id', 'in', ids)
    .execute();
  return rows.map((r) => r.appeal_id);
}

export async function insertLinks(
  db: Db,
  rows: Array<{ project_id: number; appeal_id: number; linked_on: string; linked_by: string }>,
): Promise<void> {
  if (rows.length > 0) await db.insertInto('project_appeal').values(rows).execute();
}

export async function deleteLink(db: Db, projectId: number, appealId: number): Promise<boolean> {
  const row = await db
    .deleteFrom('project_appeal')
    .where('project_id', '=', projectId)
    .where('appeal_id', '=', appealId)
    .returning('appeal_id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface LinkedAppealRow {
  appeal_id: number;
  ticket_no: string;
  received_at: Date;
  kind: string;
  category_code: string;
  category_name: string;
  status: string;
  solved: boolean | null;
  description: string;
  linked_on: string;
}

/** Newest appeal first, paged on its id. No reporter columns: they never leave through here. */
export async function listLinkedAppeals(
  db: Db,
  projectId: number,
  page: { limit: number; before?: number | undefined },
): Promise<LinkedAppealRow[]> {
  let query = db
    .selectFrom('project_appeal as pa')
    .innerJoin('appeal as a', 'a.id', 'pa.appeal_id')
    .innerJoin('appeal_category as cat', 'cat.code', 'a.category_code')
    .select([
      'pa.appeal_id',
      'a.ticket_no',
      'a.received_at',
      'a.kind',
      'a.category_code',
      'cat.name_zh as category_name',
      'a.status',
      'a.solved',
      sql<string>`left(a.description, 80)`.as('description'),
      'pa.linked_on',
    ])
    .where('pa.project_id', '=', projectId);
  if (page.before !== undefined) query = query.where('pa.appeal_id', '<', page.before);
  return query.orderBy('pa.appeal_id', 'desc').limit(page.limit).execute();
}

export async function countLinkedAppeals(db: Db, projectId: number): Promise<number> {
  const row = await db
    .selectFrom('project_appeal')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return row.n;
}
