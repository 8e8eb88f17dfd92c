import type { Kysely } from 'kysely';
import type { PostingKind, PostingRole, Tables } from '../../db/tables.ts';
import { AppError, invalid } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { parseCode } from '../geo/service.ts';
import { unitTypeLabels } from '../units/schemas.ts';
import { countDutyDays, lastDutyDayAfter } from './activity-queries.ts';
import { addDays, requireDate, shanghaiToday } from '../../shared/dates.ts';
import { retryingDeadlocks, translateConstraint } from './db-errors.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { requireBatch, requireCommunity, requirePosting, type Db } from './guards.ts';
import { presentHandover, presentPosting } from './present.ts';
import { carryOpenProjects, openItemOf, type CarriedProject } from '../projects/succession.ts';
import * as q from './queries.ts';
import type {
  CommunitySecretaries,
  EndPostingInput,
  Handover,
  HandoverInput,
  Posting,
  PostingDetail,
  PostingInput,
  PostingListInput,
  RenewalInput,
  SuccessionInput,
} from './schemas.ts';

interface Placement {
  program: q.ProgramRow;
  batch: q.BatchRow;
  cadreId: number;
  communityCode: string;
  start: string;
  end: string | null;
}

const labelOf = (type: keyof typeof unitTypeLabels) => unitTypeLabels[type].zh;

/**
 * The rules every new posting obeys, checked before anything is written: the cadre's unit type is
 * one the program accepts, the batch covers the community, the dates lie within the batch, and no
 * other posting of the program holds the community on those dates (the exclusion constraint
 * guards the last one again against races).
 */
async function checkPlacement(trx: Db, p: Placement, viewer: Viewer): Promise<q.CadreRow> {
  const cadre = await q.findCadre(trx, p.cadreId);
  // A cadre the viewer may not read is answered as absent: the reasons below name them and their unit.
  if (!cadre || !(await q.isCadreVisible(trx, p.cadreId, viewer.scopeCode)))
    throw new AppError('not_found', `没有干部 ${p.cadreId}`, `No cadre ${p.cadreId}`, [{ field: 'cadreId', message: 'not found' }]);
  if (!p.program.allowed_unit_types.includes(cadre.unit_type)) {
    const accepted = p.program.allowed_unit_types.map(labelOf).join('、');
    throw invalid(
      `${cadre.name}的派出单位${cadre.unit_name}是${labelOf(cadre.unit_type)}，本项目只接受：${accepted}`,
      `${cadre.name}'s unit type ${cadre.unit_type} is not accepted by the program (accepted: ${p.program.allowed_unit_types.join(', ')})`,
      [{ field: 'cadreId', message: `unit type ${cadre.unit_type} not accepted` }],
    );
  }
  if (!(await q.batchCoversCommunity(trx, p.batch.id, p.communityCode))) {
    throw invalid(
      `第 ${p.batch.number} 批不包括社区 ${p.communityCode}`,
      `Batch ${p.batch.number} does not cover community ${p.communityCode}`,
      [{ field: 'communityCode', message: '先把社区加入批次 / add the community to the batch first' }],
    );
  }
  const batchSpan = `${p.batch.start_date} — ${p.batch.end_date ?? '…'}`;
  if (p.start < p.batch.start_date || (p.batch.end_date !== null && p.start > p.batch.end_date)) {
    throw invalid(
      `开始日期 ${p.start} 不在第 ${p.batch.number} 批的期间（${batchSpan}）内`,
      `Start ${p.start} is outside batch ${p.batch.number} (${batchSpan})`,
      [{ field: 'startDate', message: batchSpan }],
    );
  }
  if (p.end !== null && (p.end < p.start || (p.batch.end_date !== null && p.end > p.batch.end_date))) {
    throw invalid(
      `结束日期 ${p.end} 应在 ${p.start} 至 ${p.batch.end_date ?? '…'} 之间`,
      `End ${p.end} must lie between ${p.start} and ${p.batch.end_date ?? '…'}`,
      [{ field: 'endDate', message: batchSpan }],
    );
  }
  const clash = await q.findOverlappingPosting(trx, {
    programId: p.program.id,
    communityCode: p.communityCode,
    start: p.start,
    end: p.end,
  });
  if (clash) {
    throw new AppError(
      'conflict',
      `${clash.community_name}在 ${clash.start_date} 至 ${clash.end_date ?? '今'} 已有书记${clash.cadre_name}（选派 ${clash.id}），同一时间只能有一名`,
      `${clash.community_name} already has ${clash.cadre_name} (posting ${clash.id}) from ${clash.start_date} to ${clash.end_date ?? 'now'}`,
      [{ field: 'startDate', message: `overlaps posting ${clash.id}` }],
    );
  }
  return cadre;
}

/** Without an end date a posting ends with its batch; in a batch without an end it stays open. */
const defaultEnd = (end: string | null | undefined, batch: q.BatchRow) => (end === undefined ? batch.end_date : end);

async function insertChecked(
  trx: Db,
  p: Placement & { role: PostingRole; kind: PostingKind; predecessorId: number | null; notes: string | null; actor: string },
): Promise<number> {
  return q
    .insertPosting(trx, {
      program_id: p.program.id,
      batch_id: p.batch.id,
      community_code: p.communityCode,
      cadre_id: p.cadreId,
      role: p.role,
      kind: p.kind,
      predecessor_posting_id: p.predecessorId,
      start_date: p.start,
      end_date: p.end,
      notes: p.notes,
      created_by: p.actor,
    })
    .catch(translateConstraint);
}

async function view(trx: Db, id: number, today: string): Promise<Posting> {
  return presentPosting((await q.findPostingView(trx, id))!, today);
}

export async function createPosting(db: Kysely<Tables>, input: PostingInput, viewer: Viewer): Promise<Posting> {
  const community = await requireCommunity(db, input.communityCode, viewer);
  return retryingDeadlocks(() =>
    db.transaction().execute(async (trx) => {
      const { batch, program } = await requireBatch(trx, input.batchId, viewer, 'read');
      const start = input.startDate !== undefined ? requireDate(input.startDate, 'startDate') : batch.start_date;
      const end = defaultEnd(input.endDate != null ? requireDate(input.endDate, 'endDate') : input.endDate, batch);
      const placement = { program, batch, cadreId: input.cadreId, communityCode: community.code, start, end };
      await checkPlacement(trx, placement, viewer);
      const id = await insertChecked(trx, {
        ...placement,
        role: input.role ?? program.kind,
        kind: 'new',
        predecessorId: null,
        notes: input.notes?.trim() || null,
        actor: viewer.actor,
      });
      await auditBy(trx, viewer, 'posting.create', 'posting', id, {
        batchId: batch.id,
        cadreId: input.cadreId,
        communityCode: community.code,
        start,
        end,
      });
      return view(trx, id, shanghaiToday());
    }),
  );
}

/**
 * Ends a posting before the next one starts: at `lastDay`, or earlier if it already ended. A day
 * already logged after the new end would be stranded outside the posting, so it stops the change.
 */
async function endBefore(trx: Db, posting: q.PostingRow, lastDay: string, reason: string): Promise<boolean> {
  if (posting.end_date !== null && posting.end_date <= lastDay) return false;
  const stranded = await lastDutyDayAfter(trx, posting.id, lastDay);
  if (stranded) {
    throw invalid(
      `选派 ${posting.id} 在 ${stranded} 还有在岗登记，不能在 ${lastDay} 结束`,
      `Posting ${posting.id} has a duty day on ${stranded}; it cannot end on ${lastDay}`,
      [{ field: 'startDate', message: `> ${stranded}` }],
    );
  }
  await q.setPostingEnd(trx, posting.id, lastDay, reason);
  return true;
}

async function requireNoSuccessor(trx: Db, posting: q.PostingRow): Promise<void> {
  const current = await q.findPostingView(trx, posting.id);
  if (current?.successor_posting_id != null) {
    throw new AppError(
      'conflict',
      `选派 ${posting.id} 已有接任或续任（选派 ${current.successor_posting_id}）`,
      `Posting ${posting.id} already continues as posting ${current.successor_posting_id}`,
    );
  }
}

export async function endPosting(db: Kysely<Tables>, id: number, input: EndPostingInput, viewer: Viewer): Promise<Posting> {
  const endDate = requireDate(input.endDate, 'endDate');
  return retryingDeadlocks(() =>
    db.transaction().execute(async (trx) => {
      const posting = await requirePosting(trx, id, viewer, 'manage', true);
      const batch = (await q.findBatch(trx, posting.batch_id))!;
      if (endDate < posting.start_date || (batch.end_date !== null && endDate > batch.end_date)) {
        throw invalid(
          `结束日期应在 ${posting.start_date} 至 ${batch.end_date ?? '…'} 之间`,
          `The end must lie between ${posting.start_date} and ${batch.end_date ?? '…'}`,
          [{ field: 'endDate', message: `${posting.start_date} — ${batch.end_date ?? '…'}` }],
        );
      }
      const stranded = await lastDutyDayAfter(trx, posting.id, endDate);
      if (stranded)
        throw invalid(`${stranded} 还有在岗登记，不能在此之前结束`, `A duty day is logged on ${stranded}, after that end`, [
          { field: 'endDate', message: `≥ ${stranded}` },
        ]);
      const clash = await q.findOverlappingPosting(trx, {
        programId: posting.program_id,
        communityCode: posting.community_code,
        start: posting.start_date,
        end: endDate,
        exceptId: posting.id,
      });
      if (clash)
        throw new AppError(
          'conflict',
          `与选派 ${clash.id}（${clash.cadre_name}）的期间重叠`,
          `Overlaps posting ${clash.id} (${clash.cadre_name})`,
          [{ field: 'endDate', message: `< ${clash.start_date}` }],
        );
      await q.setPostingEnd(trx, posting.id, endDate, input.reason?.trim() || null);
      await auditBy(trx, viewer, 'posting.end', 'posting', id, { from: posting.end_date, to: endDate, reason: input.reason ?? null });
      return view(trx, id, shanghaiToday());
    }),
  );
}

/** The open items are what the predecessor wrote, then the open projects that passed across with the posting. */
function handoverJson(input: HandoverInput | undefined, carried: CarriedProject[]) {
  const contacts = (input?.contacts ?? []).map((c) => ({
    name: c.name.trim(),
    role: c.role?.trim() || null,
    phone: c.phone?.trim() || null,
  }));
  const openItems = [...(input?.openItems ?? []).map((i) => ({ description: i.description.trim() })), ...carried.map(openItemOf)];
  return { contacts: JSON.stringify(contacts), open_items: JSON.stringify(openItems) };
}

/**
 * Another cadre takes over the community (贾岚 → 田慧林): the predecessor ends the day before, the
 * successor's posting names it, and a handover records notes, contacts and open items.
 */
export async function succeedPosting(
  db: Kysely<Tables>,
  id: number,
  input: SuccessionInput,
  viewer: Viewer,
): Promise<{ predecessor: Posting; successor: Posting; handover: Handover }> {
  const start = requireDate(input.startDate, 'startDate');
  const handoverDate = input.handover?.date !== undefined ? requireDate(input.handover.date, 'handover.date') : start;
  return retryingDeadlocks(() =>
    db.transaction().execute(async (trx) => {
      const predecessor = await requirePosting(trx, id, viewer, 'manage', true);
      if (input.cadreId === predecessor.cadre_id) {
        throw invalid('接任者与前任是同一人；同一干部进入下一批请用续任', 'The successor is the same cadre; use a renewal instead', [
          { field: 'cadreId', message: 'same cadre' },
        ]);
      }
      if (start <= predecessor.start_date) {
        throw invalid(
          `接任开始日期应晚于前任的开始日期 ${predecessor.start_date}`,
          `The successor must start after ${predecessor.start_date}`,
          [{ field: 'startDate', message: `> ${predecessor.start_date}` }],
        );
      }
      if (handoverDate < predecessor.start_date) {
        throw invalid(`交接日期不能早于 ${predecessor.start_date}`, `The handover cannot precede ${predecessor.start_date}`, [
          { field: 'handover.date', message: `≥ ${predecessor.start_date}` },
        ]);
      }
      await requireNoSuccessor(trx, predecessor);
      const { batch, program } = await requireBatch(trx, input.batchId ?? predecessor.batch_id, viewer, 'read');
      if (program.id !== predecessor.program_id)
        throw invalid('接任须在同一项目内', 'A succession stays within the program', [{ field: 'batchId', message: 'other program' }]);
      const endedBefore = await endBefore(trx, predecessor, addDays(start, -1), '接任 / succeeded');
      const placement = {
        program,
        batch,
        cadreId: input.cadreId,
        communityCode: predecessor.community_code,
        start,
        end: defaultEnd(undefined, batch),
      };
      const cadre = await checkPlacement(trx, placement, viewer);
      const successorId = await insertChecked(trx, {
        ...placement,
        role: input.role ?? predecessor.role,
        kind: 'succession',
        predecessorId: predecessor.id,
        notes: input.notes?.trim() || null,
        actor: viewer.actor,
      });
      // A project outlives its lead's posting: the open ones pass to the successor and into the handover.
      const carried = await carryOpenProjects(trx, { fromPostingId: predecessor.id, toPostingId: successorId, actor: viewer.actor });
      const handover = await q.insertHandover(trx, {
        from_posting_id: predecessor.id,
        to_posting_id: successorId,
        handover_date: handoverDate,
        notes: input.handover?.notes?.trim() || null,
        ...handoverJson(input.handover, carried),
        recorded_by: viewer.actor,
      });
      await auditBy(trx, viewer, 'posting.succession', 'posting', successorId, {
        predecessorId: predecessor.id,
        cadreId: cadre.id,
        start,
        predecessorEnded: endedBefore ? addDays(start, -1) : predecessor.end_date,
        handoverId: handover.id,
      });
      const today = shanghaiToday();
      return {
        predecessor: await view(trx, predecessor.id, today),
        successor: await view(trx, successorId, today),
        handover: presentHandover(handover, viewer),
      };
    }),
  );
}

/**
 * The same cadre stays for the next batch (李昆明): a new posting in that batch linked to the
 * previous one, which ends the day before if it had not already, so the record reads as one.
 */
export async function renewPosting(
  db: Kysely<Tables>,
  id: number,
  input: RenewalInput,
  viewer: Viewer,
): Promise<{ previous: Posting; renewal: Posting }> {
  return retryingDeadlocks(() =>
    db.transaction().execute(async (trx) => {
      const previous = await requirePosting(trx, id, viewer, 'manage', true);
      await requireNoSuccessor(trx, previous);
      const previousBatch = (await q.findBatch(trx, previous.batch_id))!;
      let next: { batch: q.BatchRow; program: q.ProgramRow };
      if (input.batchId !== undefined) {
        next = await requireBatch(trx, input.batchId, viewer, 'read');
        if (next.program.id !== previous.program_id || next.batch.number <= previousBatch.number) {
          throw invalid('续任须进入同一项目的后续批次', 'A renewal goes into a later batch of the same program', [
            { field: 'batchId', message: `number > ${previousBatch.number}` },
          ]);
        }
      } else {
        const batch = await q.findBatchByNumber(trx, previous.program_id, previousBatch.number + 1);
        if (!batch) {
          throw invalid(`第 ${previousBatch.number + 1} 批尚未建立`, `Batch ${previousBatch.number + 1} does not exist yet`, [
            { field: 'batchId', message: 'create the next batch first' },
          ]);
        }
        next = { batch, program: (await q.findProgram(trx, previous.program_id))! };
      }
      const start = input.startDate !== undefined ? requireDate(input.startDate, 'startDate') : next.batch.start_date;
      if (start <= previous.start_date) {
        throw invalid(`续任开始日期应晚于 ${previous.start_date}`, `The renewal must start after ${previous.start_date}`, [
          { field: 'startDate', message: `> ${previous.start_date}` },
        ]);
      }
      const end = defaultEnd(input.endDate != null ? requireDate(input.endDate, 'endDate') : input.endDate, next.batch);
      await endBefore(trx, previous, addDays(start, -1), '续任 / renewed');
      const placement = {
        program: next.program,
        batch: next.batch,
        cadreId: previous.cadre_id,
        communityCode: previous.community_code,
        start,
        end,
      };
      await checkPlacement(trx, placement, viewer);
      const renewalId = await insertChecked(trx, {
        ...placement,
        role: previous.role,
        kind: 'renewal',
        predecessorId: previous.id,
        notes: input.notes?.trim() || null,
        actor: viewer.actor,
      });
      // The same cadre goes on with the same projects under the new posting.
      await carryOpenProjects(trx, { fromPostingId: previous.id, toPostingId: renewalId, actor: viewer.actor });
      await auditBy(trx, viewer, 'posting.renewal', 'posting', renewalId, { previousId: previous.id, batchId: next.batch.id, start, end });
      const today = shanghaiToday();
      return { previous: await view(trx, previous.id, today), renewal: await view(trx, renewalId, today) };
    }),
  );
}

export async function getPosting(db: Kysely<Tables>, id: number, viewer: Viewer): Promise<PostingDetail> {
  await requirePosting(db, id, viewer, 'read');
  const row = (await q.findPostingView(db, id))!;
  const handovers = await q.handoversOf(db, [id]);
  const into = handovers.find((h) => h.to_posting_id === id);
  const out = handovers.find((h) => h.from_posting_id === id);
  return {
    ...presentPosting(row, shanghaiToday()),
    handoverIn: into ? presentHandover(into, viewer) : null,
    handoverOut: out ? presentHandover(out, viewer) : null,
    dutyDayCount: await countDutyDays(db, id),
    lastDutyDay: (await lastDutyDayAfter(db, id)) ?? null,
  };
}

export async function listPostings(db: Kysely<Tables>, input: PostingListInput, viewer: Viewer) {
  const limit = input.limit ?? 50;
  const today = shanghaiToday();
  const filter = {
    scopeCode: viewer.scopeCode,
    today,
    programId: input.programId,
    batchId: input.batchId,
    communityCode: input.communityCode ? parseCode(input.communityCode, 'communityCode') : undefined,
    cadreId: input.cadreId,
    status: input.status,
  };
  const [rows, total] = await Promise.all([
    q.listPostings(db, filter, { limit, after: idCursor(input.cursor) }),
    q.countPostings(db, filter),
  ]);
  return { items: rows.map((r) => presentPosting(r, today)), nextCursor: nextCursor(rows, limit, (r) => r.id), total };
}

/** A community's secretaries in every program, in order, each with the handover it began with. */
export async function communitySecretaries(db: Kysely<Tables>, code: string, viewer: Viewer): Promise<CommunitySecretaries> {
  const community = await requireCommunity(db, code, viewer, 'code');
  const rows = await q.postingsOfCommunity(db, community.code);
  const handovers = await q.handoversOf(
    db,
    rows.map((r) => r.id),
  );
  const today = shanghaiToday();
  return {
    communityCode: community.code,
    communityName: community.name,
    items: rows.map((row) => {
      const into = handovers.find((h) => h.to_posting_id === row.id);
      return { ...presentPosting(row, today), handoverIn: into ? presentHandover(into, viewer) : null };
    }),
  };
}
