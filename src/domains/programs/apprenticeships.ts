import type { Kysely, Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { invalid, notFound } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { parseCode } from '../geo/service.ts';
import * as aq from './activity-queries.ts';
import type {
  Apprenticeship,
  ApprenticeshipChanges,
  ApprenticeshipInput,
  ApprenticeshipListInput,
  TaskInput,
  TrainingInput,
} from './activity-schemas.ts';
import { requireDate, shanghaiToday } from '../../shared/dates.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { requirePosting, type Db } from './guards.ts';

/** The secretary leads apprentices (带徒弟); their trainings and the tasks they now handle alone. */

async function present(db: Db, rows: aq.ApprenticeshipRow[]): Promise<Apprenticeship[]> {
  const ids = rows.map((r) => r.id);
  const [trainings, tasks] = await Promise.all([aq.trainingsOf(db, ids), aq.tasksOf(db, ids)]);
  return rows.map((r) => ({
    id: r.id,
    postingId: r.posting_id,
    communityCode: r.community_code,
    communityName: r.community_name,
    secretary: { cadreId: r.cadre_id, name: r.cadre_name },
    apprenticeName: r.apprentice_name,
    apprenticePosition: r.apprentice_position,
    startDate: r.start_date,
    status: r.status,
    endDate: r.end_date,
    notes: r.notes,
    trainings: trainings
      .filter((t) => t.apprenticeship_id === r.id)
      .map((t) => ({ id: t.id, date: t.training_date, topic: t.topic, hours: t.hours })),
    tasks: tasks.filter((t) => t.apprenticeship_id === r.id).map((t) => ({ id: t.id, description: t.description, since: t.since_date })),
  }));
}

async function presentOne(db: Db, id: number): Promise<Apprenticeship> {
  return (await present(db, [(await aq.findApprenticeship(db, id))!]))[0]!;
}

/** The apprenticeship and its posting, for reading or for the posting's secretary (or a manager in scope) to change. */
async function requireApprenticeship(db: Db, id: number, viewer: Viewer, mode: 'read' | 'log'): Promise<aq.ApprenticeshipRow> {
  const row = await aq.findApprenticeship(db, id, mode === 'log');
  if (!row) throw notFound(`没有带徒记录 ${id}`, `No apprenticeship ${id}`);
  await requirePosting(db, row.posting_id, viewer, mode);
  return row;
}

/** A date of the apprenticeship's life: not before it began and not after today. */
function pastDate(value: string, field: string, notBefore: string): string {
  const date = requireDate(value, field);
  const today = shanghaiToday();
  if (date > today)
    throw invalid(`${date} 还没到（今天是 ${today}）`, `${date} is in the future (today is ${today})`, [{ field, message: `≤ ${today}` }]);
  if (date < notBefore)
    throw invalid(`${date} 早于带徒开始日 ${notBefore}`, `${date} precedes the apprenticeship's start ${notBefore}`, [
      { field, message: `≥ ${notBefore}` },
    ]);
  return date;
}

export async function createApprenticeship(db: Kysely<Tables>, input: ApprenticeshipInput, viewer: Viewer): Promise<Apprenticeship> {
  const name = input.apprenticeName.trim();
  if (!name) throw invalid('请填写徒弟姓名', "The apprentice's name is missing", [{ field: 'apprenticeName', message: 'empty' }]);
  const start = requireDate(input.startDate, 'startDate');
  return db.transaction().execute(async (trx) => {
    const posting = await requirePosting(trx, input.postingId, viewer, 'log');
    if (start < posting.start_date || (posting.end_date !== null && start > posting.end_date)) {
      const span = `${posting.start_date} — ${posting.end_date ?? '…'}`;
      throw invalid(`带徒开始日 ${start} 不在选派期间（${span}）内`, `${start} is outside the posting (${span})`, [
        { field: 'startDate', message: span },
      ]);
    }
    const id = await aq.insertApprenticeship(trx, {
      posting_id: posting.id,
      apprentice_name: name,
      apprentice_position: input.apprenticePosition?.trim() || null,
      start_date: start,
      notes: input.notes?.trim() || null,
      created_by: viewer.actor,
    });
    await auditBy(trx, viewer, 'apprenticeship.create', 'apprenticeship', id, { postingId: posting.id, apprenticeName: name, start });
    return presentOne(trx, id);
  });
}

/**
 * A change to an apprenticeship the viewer may log on, in one transaction: `change` checks and
 * writes it (with its audit entry); the answer is the apprenticeship as it now stands.
 */
async function changeApprenticeship(
  db: Kysely<Tables>,
  id: number,
  viewer: Viewer,
  change: (trx: Transaction<Tables>, row: aq.ApprenticeshipRow) => Promise<void>,
): Promise<Apprenticeship> {
  return db.transaction().execute(async (trx) => {
    await change(trx, await requireApprenticeship(trx, id, viewer, 'log'));
    return presentOne(trx, id);
  });
}

/** Completing or ending sets the end date (today unless given); going back to active clears it. */
export async function updateApprenticeship(
  db: Kysely<Tables>,
  id: number,
  changes: ApprenticeshipChanges,
  viewer: Viewer,
): Promise<Apprenticeship> {
  return changeApprenticeship(db, id, viewer, async (trx, row) => {
    const status = changes.status ?? row.status;
    if (status === 'active' && changes.endDate !== undefined) {
      throw invalid('带教中的记录没有结束日期', 'An active apprenticeship has no end date', [
        { field: 'endDate', message: 'set status to completed or ended' },
      ]);
    }
    const endDate =
      status === 'active'
        ? null
        : changes.endDate !== undefined
          ? pastDate(changes.endDate, 'endDate', row.start_date)
          : (row.end_date ?? shanghaiToday());
    const fields = {
      status,
      end_date: endDate,
      ...(changes.apprenticePosition !== undefined ? { apprentice_position: changes.apprenticePosition?.trim() || null } : {}),
      ...(changes.notes !== undefined ? { notes: changes.notes?.trim() || null } : {}),
    };
    await aq.updateApprenticeship(trx, id, fields);
    await auditBy(trx, viewer, 'apprenticeship.update', 'apprenticeship', id, {
      ...fields,
      before: { status: row.status, endDate: row.end_date },
    });
  });
}

export async function addTraining(db: Kysely<Tables>, id: number, input: TrainingInput, viewer: Viewer): Promise<Apprenticeship> {
  return changeApprenticeship(db, id, viewer, async (trx, row) => {
    const date = pastDate(input.date, 'date', row.start_date);
    const topic = input.topic.trim();
    if (!topic) throw invalid('请填写培训内容', 'The training needs a topic', [{ field: 'topic', message: 'empty' }]);
    if (!(input.hours > 0 && input.hours <= 24))
      throw invalid('时长应大于 0 且不超过 24 小时', 'Hours must be more than 0 and at most 24', [
        { field: 'hours', message: '0 < hours ≤ 24' },
      ]);
    await aq.insertTraining(trx, { apprenticeship_id: id, training_date: date, topic, hours: input.hours, recorded_by: viewer.actor });
    await auditBy(trx, viewer, 'apprenticeship.training', 'apprenticeship', id, { date, topic, hours: input.hours });
  });
}

export async function addTask(db: Kysely<Tables>, id: number, input: TaskInput, viewer: Viewer): Promise<Apprenticeship> {
  return changeApprenticeship(db, id, viewer, async (trx, row) => {
    const since = pastDate(input.since, 'since', row.start_date);
    const description = input.description.trim();
    if (!description) throw invalid('请写明独立承担的工作', 'Describe the task', [{ field: 'description', message: 'empty' }]);
    await aq.insertTask(trx, { apprenticeship_id: id, description, since_date: since, recorded_by: viewer.actor });
    await auditBy(trx, viewer, 'apprenticeship.task', 'apprenticeship', id, { description, since });
  });
}

export async function getApprenticeship(db: Kysely<Tables>, id: number, viewer: Viewer): Promise<Apprenticeship> {
  await requireApprenticeship(db, id, viewer, 'read');
  return presentOne(db, id);
}

export async function listApprenticeships(db: Kysely<Tables>, input: ApprenticeshipListInput, viewer: Viewer) {
  const limit = input.limit ?? 50;
  const filter = {
    scopeCode: viewer.scopeCode,
    postingId: input.postingId,
    communityCode: input.communityCode ? parseCode(input.communityCode, 'communityCode') : undefined,
    status: input.status,
  };
  const [rows, total] = await Promise.all([
    aq.listApprenticeships(db, filter, { limit, after: idCursor(input.cursor) }),
    aq.countApprenticeships(db, filter),
  ]);
  return { items: await present(db, rows), nextCursor: nextCursor(rows, limit, (r) => r.id), total };
}
