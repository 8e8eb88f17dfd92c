import ExcelJS from 'exceljs';
import { tableSheet } from '../../shared/xlsx.ts';
import type { Kysely } from 'kysely';
import type { OrgUnitType, Tables } from '../../db/tables.ts';
import { invalid } from '../../errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { unitTypeLabels } from '../units/schemas.ts';
import * as aq from './activity-queries.ts';
import type { Roster } from './activity-schemas.ts';
import { shanghaiToday } from '../../shared/dates.ts';
import { requireBatch, requireProgram } from './guards.ts';
import { postingStatus } from './present.ts';
import * as q from './queries.ts';

/** The article's figure: cadres "from resident units and the two new organizations" (53 of Shijingshan's 151). */
export const residentAndNewOrgTypes: OrgUnitType[] = ['resident_unit', 'new_economic_org', 'new_social_org'];

async function scopeOf(db: Kysely<Tables>, programId: number, batchId: number | undefined, viewer: Viewer) {
  const program = await requireProgram(db, programId, viewer, 'read');
  let batch: q.BatchRow | undefined;
  if (batchId !== undefined) {
    batch = (await requireBatch(db, batchId, viewer, 'read')).batch;
    if (batch.program_id !== program.id)
      throw invalid('批次不属于该项目', 'The batch belongs to another program', [{ field: 'batchId', message: 'other program' }]);
  }
  const filter: q.PostingFilter = { scopeCode: viewer.scopeCode, today: shanghaiToday(), programId: program.id, batchId };
  return { program, batch, filter };
}

/** Counts by origin unit type and by community, active against ended, for a program or one batch, inside the viewer's scope. */
export async function rosterReport(
  db: Kysely<Tables>,
  programId: number,
  input: { batchId?: number | undefined },
  viewer: Viewer,
): Promise<Roster> {
  return countRoster(db, await scopeOf(db, programId, input.batchId, viewer));
}

async function countRoster(db: Kysely<Tables>, { program, batch, filter }: Awaited<ReturnType<typeof scopeOf>>): Promise<Roster> {
  const [totals, byType, byCommunity, apprentices] = await Promise.all([
    aq.rosterTotals(db, filter, residentAndNewOrgTypes),
    aq.rosterByUnitType(db, filter),
    aq.rosterByCommunity(db, filter),
    aq.listApprenticeships(db, { scopeCode: filter.scopeCode, programId: program.id, batchId: batch?.id }, { limit: 500 }),
  ]);
  return {
    programId: program.id,
    programName: program.name,
    batchId: batch?.id ?? null,
    batchNumber: batch?.number ?? null,
    totals: {
      cadres: totals.cadres,
      communities: totals.communities,
      fromResidentUnitsAndNewOrganizations: totals.grouped,
      postings: totals.postings,
      active: totals.active,
      ended: totals.ended,
    },
    byUnitType: byType.map((r) => ({
      unitType: r.unit_type,
      label: unitTypeLabels[r.unit_type].zh,
      cadres: r.cadres,
      postings: r.postings,
      active: r.active,
      ended: r.ended,
    })),
    apprentices: apprentices.map((a) => ({
      apprenticeshipId: a.id,
      apprenticeName: a.apprentice_name,
      apprenticePosition: a.apprentice_position,
      status: a.status,
      startDate: a.start_date,
      postingId: a.posting_id,
      secretaryName: a.cadre_name,
      communityName: a.community_name,
    })),
    byCommunity: byCommunity.map((r) => ({
      communityCode: r.community_code,
      communityName: r.community_name,
      streetName: r.street_name,
      current: r.current ?? [],
      postings: r.postings,
      active: r.active,
      ended: r.ended,
    })),
  };
}

const roleLabels = { governance_secretary: '治理书记', first_secretary: '第一书记', custom: '其他' } as const;
const kindLabels = { new: '新任', renewal: '续任', succession: '接任' } as const;

const PAGE = 1000;

/** The roster as an Excel workbook with Chinese headers: summary, by community, and every posting. Phones stay out. */
export async function rosterWorkbook(
  db: Kysely<Tables>,
  programId: number,
  input: { batchId?: number | undefined },
  viewer: Viewer,
): Promise<{ filename: string; body: Buffer }> {
  const scope = await scopeOf(db, programId, input.batchId, viewer);
  const roster = await countRoster(db, scope);
  const { filter } = scope;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '必答题 mustanswer';

  const t = roster.totals;
  tableSheet(
    workbook,
    '汇总',
    [
      ['项目', 24],
      ['干部人数', 12],
      ['社区数', 10],
      ['来自驻区单位和两新组织', 24],
      ['选派数', 10],
      ['在岗', 10],
      ['已离任', 10],
    ],
    [
      [
        roster.batchNumber ? `${roster.programName} 第${roster.batchNumber}批` : roster.programName,
        t.cadres,
        t.communities,
        t.fromResidentUnitsAndNewOrganizations,
        t.postings,
        t.active,
        t.ended,
      ],
    ],
  );
  tableSheet(
    workbook,
    '按单位类型',
    [
      ['单位类型', 20],
      ['干部人数', 12],
      ['选派数', 10],
      ['在岗', 10],
      ['已离任', 10],
    ],
    roster.byUnitType.map((r) => [r.label, r.cadres, r.postings, r.active, r.ended]),
  );
  tableSheet(
    workbook,
    '按社区',
    [
      ['社区代码', 16],
      ['社区', 20],
      ['街道', 16],
      ['在岗书记', 20],
      ['选派数', 10],
      ['在岗', 10],
      ['已离任', 10],
    ],
    roster.byCommunity.map((r) => [r.communityCode, r.communityName, r.streetName, r.current.join('、'), r.postings, r.active, r.ended]),
  );

  const rows: unknown[][] = [];
  for (let after: number | undefined; ; ) {
    const page = await q.listPostings(db, filter, { limit: PAGE, after });
    for (const p of page) {
      rows.push([
        p.batch_number,
        p.street_name,
        p.community_name,
        p.community_code,
        p.cadre_name,
        p.unit_name,
        unitTypeLabels[p.unit_type].zh,
        p.cadre_position ?? '',
        roleLabels[p.role],
        kindLabels[p.kind],
        p.start_date,
        p.end_date ?? '',
        postingStatus(p.end_date, filter.today) === 'active' ? '在岗' : '已离任',
        p.predecessor_posting_id ?? '',
      ]);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  tableSheet(
    workbook,
    '名册',
    [
      ['批次', 8],
      ['街道', 16],
      ['社区', 20],
      ['社区代码', 16],
      ['姓名', 10],
      ['派出单位', 28],
      ['单位类型', 14],
      ['职务', 20],
      ['角色', 10],
      ['类型', 8],
      ['开始日期', 12],
      ['结束日期', 12],
      ['状态', 8],
      ['前任选派', 10],
    ],
    rows,
  );

  const body = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
  const filename = `${roster.programName}${roster.batchNumber ? `第${roster.batchNumber}批` : ''}名册.xlsx`;
  return { filename, body };
}
