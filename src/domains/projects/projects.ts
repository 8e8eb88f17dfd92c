import type { Kysely } from 'kysely';
import type { ProjectStatus, Tables } from '../../db/tables.ts';
import { AppError, invalid } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { findDivision } from '../geo/queries.ts';
import { parseCode } from '../geo/service.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { getProjectConfig } from './config.ts';
import { optionalDate, ownCadreOf, requirePastDate, requireProject } from './guards.ts';
import { consultationRequired, projectStatuses, statusLabels, transitions } from './lifecycle.ts';
import { countConsultationsBy, milestoneDates } from './parts-queries.ts';
import { mayManageProject, refuseManage } from './policy.ts';
import { presentProject } from './present.ts';
import * as q from './queries.ts';
import type { Board, BoardInput, Project, ProjectChanges, ProjectInput, ProjectListInput, TransitionInput } from './schemas.ts';

type Db = Kysely<Tables>;

async function requireCategory(db: q.Db, code: string, field = 'categoryCode'): Promise<string> {
  if (!(await q.findCategoryName(db, code))) {
    throw invalid(`没有问题类别“${code}”`, `No category "${code}"`, [
      { field, message: '见 /api/v1/appeal-categories / see /api/v1/appeal-categories' },
    ]);
  }
  return code;
}

/** The lead must be a posting in the project's own community; a secretary names only their own. */
async function requireLead(db: q.Db, postingId: number, communityCode: string, viewer: Viewer, ownCadre: number | null) {
  const posting = await q.findPostingPlace(db, postingId);
  if (!posting) throw invalid(`没有选派 ${postingId}`, `No posting ${postingId}`, [{ field: 'leadPostingId', message: 'not found' }]);
  if (posting.community_code !== communityCode) {
    throw invalid(
      `选派 ${postingId}（${posting.cadre_name}）在社区 ${posting.community_code}，不在本项目所在社区 ${communityCode}`,
      `Posting ${postingId} (${posting.cadre_name}) is in community ${posting.community_code}, not the project's ${communityCode}`,
      [{ field: 'leadPostingId', message: `应为社区 ${communityCode} 的选派 / a posting in ${communityCode}` }],
    );
  }
  if (viewer.role === 'secretary' && posting.cadre_id !== ownCadre) {
    throw new AppError('forbidden', '书记只能以本人的选派牵头项目', 'A secretary leads projects only through their own posting');
  }
  return posting;
}

function requireOrder(start: string | null | undefined, end: string | null | undefined, field: string): void {
  if (start && end && end < start) throw invalid(`${end} 早于 ${start}`, `${end} is before ${start}`, [{ field, message: `≥ ${start}` }]);
}

async function view(db: q.Db, id: number): Promise<Project> {
  return presentProject((await q.findProjectView(db, id))!, await getProjectConfig(db));
}

/** A new project starts as proposed, on the day given (history is recorded after the fact too). */
export async function createProject(db: Db, input: ProjectInput, viewer: Viewer): Promise<Project> {
  const code = parseCode(input.communityCode, 'communityCode');
  const community = await findDivision(db, code);
  if (community?.level !== 'community') {
    throw new AppError('not_found', `没有社区（村）${input.communityCode}`, `No community ${input.communityCode}`, [
      { field: 'communityCode', message: 'not found' },
    ]);
  }
  const ownCadre = await ownCadreOf(db, viewer);
  if (viewer.role === 'secretary' && input.leadPostingId == null) {
    throw invalid('书记新建项目须以本人的选派牵头', 'A secretary’s project is led by their own posting', [
      { field: 'leadPostingId', message: 'required' },
    ]);
  }
  return db.transaction().execute(async (trx) => {
    const lead = input.leadPostingId != null ? await requireLead(trx, input.leadPostingId, community.code, viewer, ownCadre) : null;
    if (!mayManageProject(viewer, { communityCode: community.code, leadCadreId: lead?.cadre_id ?? null }, ownCadre))
      throw refuseManage(viewer, community.name, community.name);
    const title = input.title.trim();
    if (!title) throw invalid('项目名称不能为空', 'A project needs a title', [{ field: 'title', message: 'empty' }]);
    const fields: q.ProjectInsert = {
      community_code: community.code,
      title,
      description: input.description?.trim() || null,
      category_code: await requireCategory(trx, input.categoryCode),
      origin: input.origin,
      // A project taken on as a historical problem is one unless said otherwise.
      historical: input.historical ?? input.origin === 'historical_problem',
      lead_posting_id: lead?.id ?? null,
      requires_consultation: input.requiresConsultation ?? null,
      planned_start_date: optionalDate(input.plannedStartDate, 'plannedStartDate') ?? null,
      planned_end_date: optionalDate(input.plannedEndDate, 'plannedEndDate') ?? null,
      expected_completion_date: optionalDate(input.expectedCompletionDate, 'expectedCompletionDate') ?? null,
      households_benefited: input.householdsBenefited ?? null,
      created_by: viewer.actor,
    };
    requireOrder(fields.planned_start_date, fields.planned_end_date, 'plannedEndDate');
    const proposedOn = requirePastDate(input.proposedOn, 'proposedOn');
    const id = await q.insertProject(trx, fields);
    await q.insertStatusChange(trx, {
      project_id: id,
      from_status: null,
      to_status: 'proposed',
      changed_on: proposedOn,
      note: null,
      actor: viewer.actor,
    });
    await auditBy(trx, viewer, 'project.create', 'project', id, { ...fields, proposedOn });
    return view(trx, id);
  });
}

/**
 * Changes what a project is about. The actual dates are set by the status changes; here they
 * may only be corrected, and never so that a milestone would be done before the start.
 */
export async function updateProject(db: Db, id: number, input: ProjectChanges, viewer: Viewer): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const project = await requireProject(trx, id, viewer, 'manage', true);
    const changes: q.ProjectUpdate = {};
    if (input.title !== undefined) {
      changes.title = input.title.trim();
      if (!changes.title) throw invalid('项目名称不能为空', 'A project needs a title', [{ field: 'title', message: 'empty' }]);
    }
    if (input.description !== undefined) changes.description = input.description?.trim() || null;
    if (input.categoryCode !== undefined) changes.category_code = await requireCategory(trx, input.categoryCode);
    if (input.origin !== undefined) changes.origin = input.origin;
    if (input.historical !== undefined) changes.historical = input.historical;
    if (input.requiresConsultation !== undefined) changes.requires_consultation = input.requiresConsultation;
    if (input.householdsBenefited !== undefined) changes.households_benefited = input.householdsBenefited;
    if (input.expectedCompletionDate !== undefined)
      changes.expected_completion_date = optionalDate(input.expectedCompletionDate, 'expectedCompletionDate');
    if (input.plannedStartDate !== undefined) changes.planned_start_date = optionalDate(input.plannedStartDate, 'plannedStartDate');
    if (input.plannedEndDate !== undefined) changes.planned_end_date = optionalDate(input.plannedEndDate, 'plannedEndDate');
    requireOrder(
      changes.planned_start_date ?? project.planned_start_date,
      changes.planned_end_date ?? project.planned_end_date,
      'plannedEndDate',
    );
    if (input.leadPostingId !== undefined) {
      if (viewer.role === 'secretary')
        throw new AppError(
          'forbidden',
          '牵头选派由街道、社区或组织部调整',
          'The street, the community or the organization department changes the lead',
        );
      changes.lead_posting_id =
        input.leadPostingId === null ? null : (await requireLead(trx, input.leadPostingId, project.community_code, viewer, null)).id;
    }
    await correctActualDates(trx, project, input, changes);
    await q.updateProject(trx, id, changes);
    await auditBy(trx, viewer, 'project.update', 'project', id, { ...changes });
    return view(trx, id);
  });
}

async function correctActualDates(trx: q.Db, project: q.ProjectRow, input: ProjectChanges, changes: q.ProjectUpdate): Promise<void> {
  if (input.actualStartDate === undefined && input.actualEndDate === undefined) return;
  const marks = await milestoneDates(trx, project.id);
  if (input.actualStartDate !== undefined) {
    if (project.actual_start_date === null) {
      throw new AppError('conflict', '项目尚未开工；开工请变更状态为“推进中”', 'The project has not started; start it by a status change', [
        { field: 'actualStartDate', message: 'not started' },
      ]);
    }
    const start = requirePastDate(input.actualStartDate, 'actualStartDate');
    if (marks.first_done !== null && start > marks.first_done) {
      throw invalid(
        `已有里程碑在 ${marks.first_done} 完成，开工日不能晚于它`,
        `A milestone was done on ${marks.first_done}; the start cannot be later`,
        [{ field: 'actualStartDate', message: `≤ ${marks.first_done}` }],
      );
    }
    changes.actual_start_date = start;
  }
  if (input.actualEndDate !== undefined) {
    if (project.status !== 'completed') {
      throw new AppError(
        'conflict',
        '项目尚未完成；完工请变更状态为“已完成”',
        'The project is not completed; complete it by a status change',
        [{ field: 'actualEndDate', message: 'not completed' }],
      );
    }
    changes.actual_end_date = requirePastDate(input.actualEndDate, 'actualEndDate');
    if (marks.last_done !== null && changes.actual_end_date < marks.last_done) {
      throw invalid(`最后一个里程碑在 ${marks.last_done} 完成，完工日不能早于它`, `The last milestone was done on ${marks.last_done}`, [
        { field: 'actualEndDate', message: `≥ ${marks.last_done}` },
      ]);
    }
  }
  requireOrder(changes.actual_start_date ?? project.actual_start_date, changes.actual_end_date ?? project.actual_end_date, 'actualEndDate');
}

const statusNames = (list: readonly ProjectStatus[]) => (list.length > 0 ? list.map((s) => statusLabels[s].zh).join('、') : '无（已结束）');

/**
 * Moves a project along its lifecycle. Approval stands on a resident consultation held by that
 * day (unless the project or the global rule says otherwise); starting sets the actual start,
 * completing the actual end, and only when every milestone is done.
 */
export async function transitionProject(db: Db, id: number, input: TransitionInput, viewer: Viewer): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const project = await requireProject(trx, id, viewer, 'manage', true);
    const to = input.to;
    const legal = transitions[project.status];
    if (!legal.includes(to)) {
      throw new AppError(
        'conflict',
        `项目状态不能从“${statusLabels[project.status].zh}”变为“${statusLabels[to].zh}”；可变为：${statusNames(legal)}`,
        `A project cannot go from ${project.status} to ${to}; allowed: ${legal.join(', ') || 'none'}`,
        [{ field: 'to', message: legal.join(' | ') || 'final' }],
      );
    }
    const date = requirePastDate(input.date, 'date');
    const last = await q.lastChangeDate(trx, id);
    if (last !== undefined && date < last) {
      throw invalid(`上一次状态变更在 ${last}，这次不能更早`, `The previous status change was on ${last}`, [
        { field: 'date', message: `≥ ${last}` },
      ]);
    }
    const changes: q.ProjectUpdate = { status: to };
    if (to === 'approved' && consultationRequired(project.requires_consultation, await getProjectConfig(trx))) {
      if ((await countConsultationsBy(trx, id, date)) === 0) {
        throw new AppError(
          'conflict',
          `立项前须征求居民意见：${date} 前没有征求意见记录`,
          `Approval needs a resident consultation on or before ${date}`,
          [{ field: 'to', message: '先登记征求意见 / record a consultation first' }],
        );
      }
    }
    if (to === 'in_progress' && project.actual_start_date === null) changes.actual_start_date = date;
    if (to === 'completed') {
      const marks = await milestoneDates(trx, id);
      if (marks.open > 0) {
        throw new AppError('conflict', `还有 ${marks.open} 个里程碑未完成`, `${marks.open} milestones are not done yet`, [
          { field: 'to', message: 'milestones open' },
        ]);
      }
      const floor = [project.actual_start_date, marks.last_done]
        .filter((d): d is string => d !== null)
        .sort()
        .at(-1);
      if (floor && date < floor)
        throw invalid(`完工日不能早于 ${floor}`, `The completion cannot precede ${floor}`, [{ field: 'date', message: `≥ ${floor}` }]);
      changes.actual_end_date = date;
    }
    await q.updateProject(trx, id, changes);
    await q.insertStatusChange(trx, {
      project_id: id,
      from_status: project.status,
      to_status: to,
      changed_on: date,
      note: input.note?.trim() || null,
      actor: viewer.actor,
    });
    await auditBy(trx, viewer, 'project.transition', 'project', id, { from: project.status, to, date });
    return view(trx, id);
  });
}

function filterOf(input: Omit<BoardInput, 'perStatus'>, viewer: Viewer): q.ProjectFilter {
  return {
    scopeCode: viewer.scopeCode,
    communityCode: input.communityCode ? parseCode(input.communityCode, 'communityCode') : undefined,
    programId: input.programId,
    batchId: input.batchId,
    category: input.category,
    historical: input.historical,
    text: input.q?.trim() || undefined,
  };
}

export async function listProjects(db: Db, input: ProjectListInput, viewer: Viewer) {
  const limit = input.limit ?? 50;
  const filter = { ...filterOf(input, viewer), statuses: input.status };
  const config = await getProjectConfig(db);
  const [rows, total] = await Promise.all([
    q.listProjects(db, filter, { limit, after: idCursor(input.cursor) }),
    q.countProjects(db, filter),
  ]);
  return { items: rows.map((r) => presentProject(r, config)), nextCursor: nextCursor(rows, limit, (r) => r.id), total };
}

/** The board: one column per status, in lifecycle order, each with its count and newest cards. */
export async function projectBoard(db: Db, input: BoardInput, viewer: Viewer): Promise<Board> {
  const filter = filterOf(input, viewer);
  const config = await getProjectConfig(db);
  const [counts, cards] = await Promise.all([q.countByStatus(db, filter), q.boardCards(db, filter, input.perStatus ?? 50)]);
  const columns = projectStatuses.map((status) => ({
    status,
    label: statusLabels[status].zh,
    count: counts.get(status) ?? 0,
    items: cards.filter((c) => c.status === status).map((c) => presentProject(c, config)),
  }));
  return { columns, total: columns.reduce((sum, c) => sum + c.count, 0) };
}
