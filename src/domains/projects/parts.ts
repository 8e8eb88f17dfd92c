import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { requireUnit } from '../units/service.ts';
import { getProjectConfig } from './config.ts';
import { requirePastDate, requireProject } from './guards.ts';
import { hasAtMostTwoDecimals, isOpen, outputBoundProblem, outputKinds, roleLabels, type OutputKind } from './lifecycle.ts';
import * as pq from './parts-queries.ts';
import type {
  Consultation,
  ConsultationInput,
  Fund,
  FundInput,
  Milestone,
  MilestoneChanges,
  MilestoneDoneInput,
  MilestoneInput,
  Output,
  OutputChanges,
  OutputInput,
  Stakeholder,
  StakeholderInput,
} from './parts-schemas.ts';
import { presentConsultation, presentFund, presentMilestone, presentOutput, presentStakeholder } from './present.ts';
import * as q from './queries.ts';

/**
 * A project's parts, one operation one transaction each: the project is locked and checked
 * first (existence, then scope), then the input against the rules, so a refusal writes nothing.
 */
type Db = Kysely<Tables>;

const audit = (trx: q.Db, viewer: Viewer, projectId: number, action: string, changes: Record<string, unknown>) =>
  auditBy(trx, viewer, action, 'project', projectId, changes);

// ── stakeholders ────────────────────────────────────────────────────────────────────────────
export async function addStakeholder(db: Db, projectId: number, input: StakeholderInput, viewer: Viewer): Promise<Stakeholder> {
  return db.transaction().execute(async (trx) => {
    await requireProject(trx, projectId, viewer, 'manage', true);
    const unit = await requireUnit(trx, input.unitId, viewer);
    if (await pq.findStakeholder(trx, projectId, unit.id, input.role)) {
      throw new AppError(
        'conflict',
        `${unit.name}已是本项目的${roleLabels[input.role].zh}单位`,
        `${unit.name} is already ${input.role} on this project`,
        [{ field: 'unitId', message: 'duplicate' }],
      );
    }
    const id = await pq.insertStakeholder(trx, {
      project_id: projectId,
      unit_id: unit.id,
      role: input.role,
      note: input.note?.trim() || null,
      added_by: viewer.actor,
    });
    await audit(trx, viewer, projectId, 'project.stakeholder_add', { stakeholderId: id, unitId: unit.id, role: input.role });
    return presentStakeholder((await pq.listStakeholders(trx, projectId)).find((s) => s.id === id)!);
  });
}

export async function removeStakeholder(db: Db, projectId: number, stakeholderId: number, viewer: Viewer): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireProject(trx, projectId, viewer, 'manage', true);
    const removed = await pq.deleteStakeholder(trx, projectId, stakeholderId);
    if (!removed)
      throw notFound(`项目 ${projectId} 没有参与单位 ${stakeholderId}`, `Project ${projectId} has no stakeholder ${stakeholderId}`);
    await audit(trx, viewer, projectId, 'project.stakeholder_remove', { stakeholderId, unitId: removed.unit_id, role: removed.role });
  });
}

// ── consultations ───────────────────────────────────────────────────────────────────────────
export async function addConsultation(db: Db, projectId: number, input: ConsultationInput, viewer: Viewer): Promise<Consultation> {
  return db.transaction().execute(async (trx) => {
    await requireProject(trx, projectId, viewer, 'manage', true);
    const heldOn = requirePastDate(input.heldOn, 'heldOn');
    const votes = { support: input.support ?? 0, oppose: input.oppose ?? 0, abstain: input.abstain ?? 0 };
    const cast = votes.support + votes.oppose + votes.abstain;
    if (cast > input.participants) {
      throw invalid(
        `赞成、反对、弃权共 ${cast} 人，多于参与的 ${input.participants} 人`,
        `${cast} votes from ${input.participants} participants`,
        [{ field: 'participants', message: `≥ ${cast}` }],
      );
    }
    const row = await pq.insertConsultation(trx, {
      project_id: projectId,
      held_on: heldOn,
      form: input.form,
      participants: input.participants,
      ...votes,
      summary: input.summary?.trim() || null,
      recorded_by: viewer.actor,
    });
    await audit(trx, viewer, projectId, 'project.consultation_add', {
      consultationId: row.id,
      heldOn,
      form: input.form,
      participants: input.participants,
      ...votes,
    });
    return presentConsultation(row);
  });
}

// ── milestones ──────────────────────────────────────────────────────────────────────────────
/** Milestones of a finished project are history: changing them would rewrite its progress. */
function requireMilestonesOpen(project: q.ProjectRow): void {
  if (!isOpen(project.status)) {
    throw new AppError('conflict', '项目已结束，里程碑不能再改', 'The project is closed; its milestones cannot change', [
      { field: 'id', message: project.status },
    ]);
  }
}

function requireWeight(weight: number | undefined): number {
  const value = weight ?? 1;
  if (!Number.isFinite(value) || value <= 0 || value > 1000 || !hasAtMostTwoDecimals(value)) {
    throw invalid('权重应大于 0、不超过 1000，最多两位小数', 'A weight is more than 0, at most 1000, with up to 2 decimals', [
      { field: 'weight', message: '0 < weight ≤ 1000' },
    ]);
  }
  return value;
}

export async function addMilestone(db: Db, projectId: number, input: MilestoneInput, viewer: Viewer): Promise<Milestone> {
  return db.transaction().execute(async (trx) => {
    requireMilestonesOpen(await requireProject(trx, projectId, viewer, 'manage', true));
    const title = input.title.trim();
    if (!title) throw invalid('里程碑名称不能为空', 'A milestone needs a title', [{ field: 'title', message: 'empty' }]);
    const weight = requireWeight(input.weight);
    const id = await pq.insertMilestone(trx, {
      project_id: projectId,
      title,
      weight,
      planned_on: input.plannedOn ?? null,
      created_by: viewer.actor,
    });
    await audit(trx, viewer, projectId, 'project.milestone_add', { milestoneId: id, title, weight, plannedOn: input.plannedOn ?? null });
    return presentMilestone((await pq.findMilestone(trx, projectId, id))!);
  });
}

async function requireMilestone(trx: q.Db, projectId: number, milestoneId: number): Promise<pq.MilestoneRow> {
  const milestone = await pq.findMilestone(trx, projectId, milestoneId);
  if (!milestone) throw notFound(`项目 ${projectId} 没有里程碑 ${milestoneId}`, `Project ${projectId} has no milestone ${milestoneId}`);
  return milestone;
}

export async function updateMilestone(
  db: Db,
  projectId: number,
  milestoneId: number,
  input: MilestoneChanges,
  viewer: Viewer,
): Promise<Milestone> {
  return db.transaction().execute(async (trx) => {
    requireMilestonesOpen(await requireProject(trx, projectId, viewer, 'manage', true));
    const before = await requireMilestone(trx, projectId, milestoneId);
    const changes: Parameters<typeof pq.updateMilestone>[2] = {};
    if (input.title !== undefined) {
      changes.title = input.title.trim();
      if (!changes.title) throw invalid('里程碑名称不能为空', 'A milestone needs a title', [{ field: 'title', message: 'empty' }]);
    }
    if (input.weight !== undefined) changes.weight = requireWeight(input.weight);
    if (input.plannedOn !== undefined) changes.planned_on = input.plannedOn;
    await pq.updateMilestone(trx, milestoneId, changes);
    await audit(trx, viewer, projectId, 'project.milestone_update', { milestoneId, from: before, to: changes });
    return presentMilestone((await pq.findMilestone(trx, projectId, milestoneId))!);
  });
}

/** Done on a day that has come, on or after the project's actual start: work is not done before it begins. */
export async function markMilestoneDone(
  db: Db,
  projectId: number,
  milestoneId: number,
  input: MilestoneDoneInput,
  viewer: Viewer,
): Promise<Milestone> {
  return db.transaction().execute(async (trx) => {
    const project = await requireProject(trx, projectId, viewer, 'manage', true);
    requireMilestonesOpen(project);
    const milestone = await requireMilestone(trx, projectId, milestoneId);
    if (milestone.done_on !== null) {
      throw new AppError(
        'conflict',
        `里程碑“${milestone.title}”已于 ${milestone.done_on} 完成`,
        `The milestone was done on ${milestone.done_on}`,
        [{ field: 'date', message: 'already done' }],
      );
    }
    const date = requirePastDate(input.date, 'date');
    if (project.actual_start_date === null) {
      throw new AppError('conflict', '项目尚未开工，里程碑不能完成', 'The project has not started; no milestone can be done yet', [
        { field: 'date', message: 'not started' },
      ]);
    }
    if (date < project.actual_start_date) {
      throw invalid(
        `里程碑不能在项目开工（${project.actual_start_date}）之前完成`,
        `A milestone cannot be done before the project started on ${project.actual_start_date}`,
        [{ field: 'date', message: `≥ ${project.actual_start_date}` }],
      );
    }
    await pq.updateMilestone(trx, milestoneId, { done_on: date });
    await audit(trx, viewer, projectId, 'project.milestone_done', { milestoneId, date });
    return presentMilestone((await pq.findMilestone(trx, projectId, milestoneId))!);
  });
}

// ── funds ───────────────────────────────────────────────────────────────────────────────────
export async function addFund(db: Db, projectId: number, input: FundInput, viewer: Viewer): Promise<Fund> {
  return db.transaction().execute(async (trx) => {
    await requireProject(trx, projectId, viewer, 'manage', true);
    if (!Number.isFinite(input.amount) || input.amount <= 0) {
      throw invalid('金额应大于 0', 'The amount must be more than 0', [{ field: 'amount', message: '> 0' }]);
    }
    if (input.amount > 10_000_000_000 || !hasAtMostTwoDecimals(input.amount)) {
      throw invalid('金额以元计，最多两位小数，不超过一百亿', 'Yuan with up to 2 decimals, at most 10 billion', [
        { field: 'amount', message: '0.01 – 10,000,000,000' },
      ]);
    }
    const receivedOn = requirePastDate(input.receivedOn, 'receivedOn');
    const unit = await requireUnit(trx, input.sourceUnitId, viewer, 'sourceUnitId');
    const id = await pq.insertFund(trx, {
      project_id: projectId,
      amount: input.amount,
      source_unit_id: unit.id,
      received_on: receivedOn,
      note: input.note?.trim() || null,
      recorded_by: viewer.actor,
    });
    await audit(trx, viewer, projectId, 'project.fund_add', { fundId: id, amount: input.amount, sourceUnitId: unit.id, receivedOn });
    return presentFund((await pq.listFunds(trx, projectId)).find((f) => f.id === id)!);
  });
}

// ── outputs ─────────────────────────────────────────────────────────────────────────────────
function requireSane(target: number, achieved: number, bounds: Parameters<typeof outputBoundProblem>[2], field: string): void {
  const problem = outputBoundProblem(target, achieved, bounds);
  if (problem) throw invalid(problem.zh, problem.en, [{ field, message: problem.en }]);
  if (!hasAtMostTwoDecimals(target) || !hasAtMostTwoDecimals(achieved)) {
    throw invalid('数量最多两位小数', 'Quantities have at most 2 decimals', [{ field, message: '0.01' }]);
  }
}

/** The day the target was reached: kept once set, cleared when the quantity falls short again. */
const completedOn = (target: number, achieved: number, previous: string | null, asOf: string) =>
  achieved >= target ? (previous ?? asOf) : null;

export async function addOutput(db: Db, projectId: number, input: OutputInput, viewer: Viewer): Promise<Output> {
  return db.transaction().execute(async (trx) => {
    const project = await requireProject(trx, projectId, viewer, 'manage', true);
    const kind = input.kind as OutputKind;
    const unitLabel = input.unitLabel?.trim() || null;
    if (kind === 'custom' && !unitLabel) {
      throw invalid('自定义成果须填写计量单位', 'A custom output needs a unit label', [
        { field: 'unitLabel', message: 'required for custom' },
      ]);
    }
    const achieved = input.achieved ?? 0;
    requireSane(input.target, achieved, (await getProjectConfig(trx)).outputBounds, input.achieved !== undefined ? 'achieved' : 'target');
    const asOf = requirePastDate(input.asOf, 'asOf');
    const category = input.categoryCode ?? outputKinds[kind].category ?? project.category_code;
    if (!(await q.findCategoryName(trx, category)))
      throw invalid(`没有问题类别“${category}”`, `No category "${category}"`, [{ field: 'categoryCode', message: 'not found' }]);
    const row = {
      kind,
      unit_label: unitLabel,
      category_code: category,
      target: input.target,
      achieved,
      completed_on: completedOn(input.target, achieved, null, asOf),
      note: input.note?.trim() || null,
    };
    const id = await pq.insertOutput(trx, { ...row, project_id: projectId, created_by: viewer.actor });
    await audit(trx, viewer, projectId, 'project.output_add', { outputId: id, ...row });
    return presentOutput((await pq.findOutput(trx, projectId, id))!);
  });
}

export async function updateOutput(db: Db, projectId: number, outputId: number, input: OutputChanges, viewer: Viewer): Promise<Output> {
  return db.transaction().execute(async (trx) => {
    await requireProject(trx, projectId, viewer, 'manage', true);
    const before = await pq.findOutput(trx, projectId, outputId);
    if (!before) throw notFound(`项目 ${projectId} 没有成果 ${outputId}`, `Project ${projectId} has no output ${outputId}`);
    const target = input.target ?? before.target;
    const achieved = input.achieved ?? before.achieved;
    requireSane(target, achieved, (await getProjectConfig(trx)).outputBounds, input.achieved !== undefined ? 'achieved' : 'target');
    const asOf = requirePastDate(input.asOf, 'asOf');
    const changes = {
      target,
      achieved,
      completed_on: completedOn(target, achieved, before.completed_on, asOf),
      ...(input.note !== undefined ? { note: input.note?.trim() || null } : {}),
    };
    await pq.updateOutput(trx, outputId, changes);
    await audit(trx, viewer, projectId, 'project.output_update', {
      outputId,
      from: { target: before.target, achieved: before.achieved },
      to: changes,
    });
    return presentOutput((await pq.findOutput(trx, projectId, outputId))!);
  });
}
