import type { Kysely } from 'kysely';
import type { OrgUnitType, ProgramKind, Tables } from '../../db/tables.ts';
import { AppError, invalid } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { findDivisionNames } from '../geo/queries.ts';
import { parseCode } from '../geo/service.ts';
import { parseDistrict } from '../units/service.ts';
import { addDays, addMonths, maxDate, minDate, requireDate, shanghaiToday } from '../../shared/dates.ts';
import { translateConstraint } from './db-errors.ts';
import { badCursor, idCursor, nextCursor } from '../../shared/paging.ts';
import { requireBatch, requireProgram } from './guards.ts';
import { mayManageDistrict, outOfScope } from './policy.ts';
import * as q from './queries.ts';
import type { Batch, BatchCommunitiesInputType, BatchCommunity, BatchInput, Program, ProgramInput, ProgramListInput } from './schemas.ts';

type Db = Kysely<Tables>;

/**
 * Beijing's practice as the default rules of each kind: governance secretaries are agency and
 * street cadres; first secretaries also come from resident units and the two new organizations
 * and are on site at least 2 days a week (Shijingshan).
 */
export const defaultRules: Record<ProgramKind, { minDutyDaysPerWeek: number; allowedUnitTypes: OrgUnitType[] }> = {
  governance_secretary: { minDutyDaysPerWeek: 0, allowedUnitTypes: ['party_government_agency', 'street_office'] },
  first_secretary: {
    minDutyDaysPerWeek: 2,
    allowedUnitTypes: ['party_government_agency', 'street_office', 'resident_unit', 'new_economic_org', 'new_social_org'],
  },
  custom: {
    minDutyDaysPerWeek: 0,
    allowedUnitTypes: ['party_government_agency', 'street_office', 'resident_unit', 'new_economic_org', 'new_social_org', 'other'],
  },
};

export function presentProgram(row: q.ProgramRow): Program {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    districtCode: row.district_code,
    districtName: row.district_name,
    minDutyDaysPerWeek: row.min_duty_days_per_week,
    termMonths: row.term_months,
    allowedUnitTypes: row.allowed_unit_types,
    batchCount: row.batch_count,
    lastDutyDay: row.last_duty_day,
  };
}

function presentBatch(row: q.BatchRow): Batch {
  return {
    id: row.id,
    programId: row.program_id,
    number: row.number,
    startDate: row.start_date,
    endDate: row.end_date,
    notes: row.notes,
    communityCount: row.community_count,
    postingCount: row.posting_count,
  };
}

export async function createProgram(db: Db, input: ProgramInput, viewer: Viewer): Promise<Program> {
  const name = input.name.trim();
  if (!name) throw invalid('项目名称不能为空', 'A program needs a name', [{ field: 'name', message: 'empty' }]);
  const district = await parseDistrict(db, input.districtCode);
  if (!mayManageDistrict(viewer, district.code)) throw outOfScope(district.name, district.name);
  const defaults = defaultRules[input.kind];
  const fields = {
    kind: input.kind,
    name,
    district_code: district.code,
    min_duty_days_per_week: input.minDutyDaysPerWeek ?? defaults.minDutyDaysPerWeek,
    term_months: input.termMonths ?? null,
    allowed_unit_types: input.allowedUnitTypes ?? defaults.allowedUnitTypes,
    created_by: viewer.actor,
  };
  return db.transaction().execute(async (trx) => {
    if (await q.findProgramByName(trx, district.code, name)) {
      throw new AppError('conflict', `${district.name}已有项目“${name}”`, `${district.name} already has a program "${name}"`, [
        { field: 'name', message: 'taken' },
      ]);
    }
    const id = await q.insertProgram(trx, fields);
    await auditBy(trx, viewer, 'program.create', 'program', id, fields);
    return presentProgram((await q.findProgram(trx, id))!);
  });
}

export async function getProgram(db: Db, id: number, viewer: Viewer): Promise<Program> {
  return presentProgram(await requireProgram(db, id, viewer, 'read'));
}

export async function listPrograms(db: Db, input: ProgramListInput, viewer: Viewer) {
  const limit = input.limit ?? 50;
  const filter = {
    scopeCode: viewer.scopeCode,
    districtCode: input.districtCode ? (await parseDistrict(db, input.districtCode)).code : undefined,
    kind: input.kind,
  };
  const [rows, total] = await Promise.all([
    q.listPrograms(db, filter, { limit, after: idCursor(input.cursor) }),
    q.countPrograms(db, filter),
  ]);
  return { items: rows.map(presentProgram), nextCursor: nextCursor(rows, limit, (r) => r.id), total };
}

/**
 * Opens a batch. Numbers follow time: batch n starts no earlier than batch n−1 and no later than
 * batch n+1. Without an end date, a program with a term length ends the batch a term later.
 */
export async function createBatch(db: Db, programId: number, input: BatchInput, viewer: Viewer): Promise<Batch> {
  const start = requireDate(input.startDate, 'startDate');
  return db.transaction().execute(async (trx) => {
    const program = await requireProgram(trx, programId, viewer, 'manage');
    const batches = await q.listBatches(trx, program.id);
    const number = input.number ?? (batches.length > 0 ? Math.max(...batches.map((b) => b.number)) + 1 : 1);
    if (batches.some((b) => b.number === number)) {
      throw new AppError('conflict', `第 ${number} 批已存在`, `Batch ${number} already exists`, [{ field: 'number', message: 'taken' }]);
    }
    const end =
      input.endDate != null
        ? requireDate(input.endDate, 'endDate')
        : input.endDate === undefined && program.term_months !== null
          ? addDays(addMonths(start, program.term_months), -1)
          : null;
    if (end !== null && end < start)
      throw invalid('结束日期早于开始日期', 'The batch ends before it starts', [{ field: 'endDate', message: `≥ ${start}` }]);
    const before = batches.filter((b) => b.number < number).at(-1);
    const after = batches.find((b) => b.number > number);
    if ((before && before.start_date > start) || (after && after.start_date < start)) {
      throw invalid('批次编号与开始日期的先后不一致', 'Batch numbers must follow their start dates', [
        {
          field: 'startDate',
          message: `第 ${before?.number ?? '-'} 批始于 ${before?.start_date ?? '-'}，第 ${after?.number ?? '-'} 批始于 ${after?.start_date ?? '-'}`,
        },
      ]);
    }
    const fields = {
      program_id: program.id,
      number,
      start_date: start,
      end_date: end,
      notes: input.notes?.trim() || null,
      created_by: viewer.actor,
    };
    const id = await q.insertBatch(trx, fields).catch(translateConstraint);
    await auditBy(trx, viewer, 'batch.create', 'batch', id, fields);
    return presentBatch((await q.findBatch(trx, id))!);
  });
}

export async function listBatches(db: Db, programId: number, viewer: Viewer): Promise<{ items: Batch[]; total: number }> {
  const program = await requireProgram(db, programId, viewer, 'read');
  const rows = await q.listBatches(db, program.id);
  return { items: rows.map(presentBatch), total: rows.length };
}

/** Evidence is a snapshot kept with the choice; a few kilobytes is plenty for rank appearances and a note. */
const MAX_EVIDENCE_CHARS = 10_000;

/**
 * Adds communities to a batch, all or none. Each must be a community of the program's district
 * and not in the batch yet: the evidence stored with it is what it was at the time of choice.
 */
export async function addBatchCommunities(
  db: Db,
  batchId: number,
  input: BatchCommunitiesInputType,
  viewer: Viewer,
): Promise<{ added: number }> {
  const codes = input.communities.map((c, i) => parseCode(c.communityCode, `communities.${i}.communityCode`));
  return db.transaction().execute(async (trx) => {
    const { batch, program } = await requireBatch(trx, batchId, viewer, 'manage');
    const known = new Map((await findDivisionNames(trx, codes)).map((d) => [d.code, d]));
    const errors = codes.flatMap((code, i) => {
      const field = `communities.${i}.communityCode`;
      const division = known.get(code);
      if (division?.level !== 'community') return [{ field, message: `没有社区 ${code} / no community ${code}` }];
      if (!code.startsWith(program.district_code))
        return [{ field, message: `${division.name}不在${program.district_name} / not in ${program.district_name}` }];
      if (codes.indexOf(code) !== i) return [{ field, message: `${division.name}重复 / listed twice` }];
      const evidence = JSON.stringify(input.communities[i]!.selectionEvidence ?? {});
      if (evidence.length > MAX_EVIDENCE_CHARS)
        return [{ field: `communities.${i}.selectionEvidence`, message: `≤ ${MAX_EVIDENCE_CHARS} chars` }];
      return [];
    });
    const joinedOn =
      input.joinedOn !== undefined
        ? requireDate(input.joinedOn, 'joinedOn')
        : minDate(maxDate(shanghaiToday(), batch.start_date), batch.end_date ?? '9999-12-31');
    if (joinedOn < batch.start_date || (batch.end_date !== null && joinedOn > batch.end_date)) {
      errors.push({ field: 'joinedOn', message: `${batch.start_date} — ${batch.end_date ?? '…'}` });
    }
    if (errors.length > 0) throw invalid('有社区不能加入该批次', 'Some communities cannot join the batch', errors);
    const already = await q.coveredAmong(trx, batch.id, codes);
    if (already.length > 0) {
      const names = already.map((c) => known.get(c)?.name ?? c).join('、');
      throw new AppError(
        'conflict',
        `${names}已在第 ${batch.number} 批中`,
        `Already in batch ${batch.number}: ${already.join(', ')}`,
        already.map((c) => ({ field: `communities.${codes.indexOf(c)}.communityCode`, message: 'already in the batch' })),
      );
    }
    await q.insertBatchCommunities(
      trx,
      codes.map((code, i) => ({
        batch_id: batch.id,
        community_code: code,
        selection_evidence: JSON.stringify(input.communities[i]!.selectionEvidence ?? {}),
        added_by: viewer.actor,
        joined_on: joinedOn,
      })),
    );
    await auditBy(trx, viewer, 'batch.add_communities', 'batch', batch.id, { communities: codes });
    return { added: codes.length };
  });
}

export async function listBatchCommunities(
  db: Db,
  batchId: number,
  page: { limit?: number | undefined; cursor?: string | undefined },
  viewer: Viewer,
) {
  const { batch } = await requireBatch(db, batchId, viewer, 'read');
  const limit = page.limit ?? 50;
  if (page.cursor !== undefined && !/^\d{12}$/.test(page.cursor)) throw badCursor();
  const input = { scopeCode: viewer.scopeCode, today: shanghaiToday(), limit, after: page.cursor };
  const [rows, total] = await Promise.all([
    q.listBatchCommunities(db, batch.id, input),
    q.countBatchCommunities(db, batch.id, viewer.scopeCode),
  ]);
  const items: BatchCommunity[] = rows.map((r) => ({
    batchId: r.batch_id,
    communityCode: r.community_code,
    communityName: r.community_name,
    streetName: r.street_name,
    selectionEvidence: (r.selection_evidence ?? {}) as Record<string, unknown>,
    addedAt: r.added_at.toISOString(),
    joinedOn: r.joined_on,
    currentSecretary: r.posting_id !== null ? { postingId: r.posting_id, cadreId: r.cadre_id!, cadreName: r.cadre_name! } : null,
  }));
  return { items, nextCursor: nextCursor(rows, limit, (r) => r.community_code), total };
}
