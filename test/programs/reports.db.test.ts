import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, mondayOf, shanghaiToday } from '../../src/shared/dates.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { createUnit } from '../../src/domains/units/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { GAOJINGLU, recordShijingshan, shijingshanOrg } from './world.ts';

describe.each(backends)('compliance and roster reports on %s', (backend) => {
  const t = useTestDatabase(backend);
  let sjs: Awaited<ReturnType<typeof recordShijingshan>>;
  let otherCommunity: string;

  beforeAll(async () => {
    sjs = await recordShijingshan(t.db.kysely);
    await programs.renewPosting(t.db.kysely, sjs.liPosting.id, {}, shijingshanOrg);
    // Two more first secretaries of batch 1: one from a new economic organization, one from an agency.
    const codes = await t.db.kysely
      .selectFrom('division')
      .select('code')
      .where('code', 'like', '110107%')
      .where('level', '=', 'community')
      .where('code', '!=', GAOJINGLU)
      .orderBy('code')
      .limit(2)
      .execute();
    otherCommunity = codes[0]!.code;
    await programs.addBatchCommunities(
      t.db.kysely,
      sjs.batch1.id,
      { communities: codes.map((c) => ({ communityCode: c.code })) },
      shijingshanOrg,
    );
    const company = await createUnit(
      t.db.kysely,
      { name: '石景山某科技企业', type: 'new_economic_org', districtCode: '110107' },
      shijingshanOrg,
    );
    const bureau = await createUnit(
      t.db.kysely,
      { name: '石景山区民政局', type: 'party_government_agency', districtCode: '110107' },
      shijingshanOrg,
    );
    const zhang = await programs.createCadre(t.db.kysely, { name: '张企业', unitId: company.id }, shijingshanOrg);
    const wang = await programs.createCadre(t.db.kysely, { name: '王民政', unitId: bureau.id }, shijingshanOrg);
    await programs.createPosting(t.db.kysely, { batchId: sjs.batch1.id, cadreId: zhang.id, communityCode: codes[0]!.code }, shijingshanOrg);
    const wangPosting = await programs.createPosting(
      t.db.kysely,
      { batchId: sjs.batch1.id, cadreId: wang.id, communityCode: codes[1]!.code, startDate: '2022-05-05' },
      shijingshanOrg,
    );
    await programs.endPosting(t.db.kysely, wangPosting.id, { endDate: '2022-05-17', reason: '工作调动' }, shijingshanOrg);

    const log = (postingId: number, date: string) =>
      programs.logDutyDay(t.db.kysely, postingId, { date, hours: 8, work: '入户走访' }, shijingshanOrg);
    for (const date of ['2022-05-03', '2022-05-05', '2022-05-10', '2022-05-12', '2022-05-18']) await log(sjs.liPosting.id, date);
    for (const date of ['2022-05-06', '2022-05-10']) await log(wangPosting.id, date);
  });

  it('catches the week 李昆明 was on site 1 day when 2 are required', async () => {
    const report = await programs.complianceReport(
      t.db.kysely,
      sjs.program.id,
      { batchId: sjs.batch1.id, from: '2022-05-01', to: '2022-05-22' },
      shijingshanOrg,
    );
    expect(report).toMatchObject({ minDutyDaysPerWeek: 2, from: '2022-04-25', to: '2022-05-22' });
    const li = report.postings.find((p) => p.cadreName === '李昆明')!;
    expect(li.weeks.map((w) => [w.week, w.required, w.logged, w.short])).toEqual([
      ['2022-W17', 0, 0, false], // posted on Sunday 1 May
      ['2022-W18', 2, 2, false],
      ['2022-W19', 2, 2, false],
      ['2022-W20', 2, 1, true],
    ]);
    expect(report.shortfalls).toContainEqual({
      postingId: sjs.liPosting.id,
      cadreName: '李昆明',
      communityName: '高井路社区',
      week: '2022-W20',
      monday: '2022-05-16',
      logged: 1,
      required: 2,
    });
    // 王民政 served Thursday 5 May to Tuesday 17 May: one day owed in the first week, none in the last.
    const wang = report.postings.find((p) => p.cadreName === '王民政')!;
    expect(wang.weeks.map((w) => [w.monday, w.coveredDays, w.required, w.logged, w.short])).toEqual([
      ['2022-05-02', 4, 1, 1, false],
      ['2022-05-09', 7, 2, 1, true],
      ['2022-05-16', 2, 0, 0, false],
    ]);
    // 张企业 logged nothing at all.
    expect(report.shortfalls.filter((s) => s.cadreName === '张企业').map((s) => s.week)).toEqual(['2022-W18', '2022-W19', '2022-W20']);
  });

  it('says where the on-site record ends: the last day logged, on the program and on each posting', async () => {
    expect((await programs.getProgram(t.db.kysely, sjs.program.id, shijingshanOrg)).lastDutyDay).toBe('2022-05-18');
    expect((await programs.getPosting(t.db.kysely, sjs.liPosting.id, shijingshanOrg)).lastDutyDay).toBe('2022-05-18');
    const listed = await programs.listPrograms(t.db.kysely, { limit: 10 }, shijingshanOrg);
    expect(listed.items.find((p) => p.id === sjs.program.id)?.lastDutyDay).toBe('2022-05-18');
    const silent = await programs.listPostings(t.db.kysely, { programId: sjs.program.id, limit: 50 }, shijingshanOrg);
    const zhang = silent.items.find((p) => p.cadre.name === '张企业')!;
    expect((await programs.getPosting(t.db.kysely, zhang.id, shijingshanOrg)).lastDutyDay).toBeNull();
  });

  it('judges no week after the program’s on-site record ends, and refuses more than three years', async () => {
    // The record ends on Wednesday 2022-05-18: its week is the last one judged, whatever is asked.
    const today = shanghaiToday();
    const recent = await programs.complianceReport(t.db.kysely, sjs.program.id, { from: addDays(today, -20), to: today }, shijingshanOrg);
    expect(recent).toMatchObject({ from: mondayOf(addDays(today, -20)), recordedUntil: '2022-05-18', postings: [], shortfalls: [] });
    const later = await programs.complianceReport(t.db.kysely, sjs.program.id, { from: '2022-05-09', to: '2022-06-30' }, shijingshanOrg);
    expect([later.from, later.to, later.recordedUntil]).toEqual(['2022-05-09', '2022-05-22', '2022-05-18']);
    expect(later.postings.flatMap((p) => p.weeks.map((w) => w.monday)).every((m) => m <= '2022-05-16')).toBe(true);
    const tooLong = await programs
      .complianceReport(t.db.kysely, sjs.program.id, { from: '2020-01-01', to: '2024-01-01' }, shijingshanOrg)
      .catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ kind: 'invalid' });
  });

  it('counts the roster by origin unit type and community, a renewed cadre once', async () => {
    const roster = await programs.rosterReport(t.db.kysely, sjs.program.id, {}, shijingshanOrg);
    // All of it lies in the past of this machine's clock, so every posting has ended.
    expect(roster.totals).toEqual({ cadres: 3, communities: 3, fromResidentUnitsAndNewOrganizations: 2, postings: 4, active: 0, ended: 4 });
    expect(roster.byUnitType).toEqual(
      expect.arrayContaining([
        { unitType: 'resident_unit', label: '驻区单位', cadres: 1, postings: 2, active: 0, ended: 2 },
        { unitType: 'new_economic_org', label: '新经济组织', cadres: 1, postings: 1, active: 0, ended: 1 },
        { unitType: 'party_government_agency', label: '党政机关', cadres: 1, postings: 1, active: 0, ended: 1 },
      ]),
    );
    expect(roster.byCommunity.find((c) => c.communityCode === GAOJINGLU)).toMatchObject({ communityName: '高井路社区', postings: 2 });
    const batch1 = await programs.rosterReport(t.db.kysely, sjs.program.id, { batchId: sjs.batch1.id }, shijingshanOrg);
    expect(batch1.totals).toMatchObject({ cadres: 3, postings: 3, fromResidentUnitsAndNewOrganizations: 2 });
    expect(batch1.byCommunity.find((c) => c.communityCode === otherCommunity)?.current).toEqual([]);
  });

  it('lists the secretaries’ apprentices in the roster, of the batch asked for', async () => {
    expect((await programs.rosterReport(t.db.kysely, sjs.program.id, {}, shijingshanOrg)).apprentices).toEqual([]);
    const apprentice = await programs.createApprenticeship(
      t.db.kysely,
      { postingId: sjs.liPosting.id, apprenticeName: '王小燕', apprenticePosition: '社区居委会委员', startDate: '2022-06-01' },
      shijingshanOrg,
    );
    const roster = await programs.rosterReport(t.db.kysely, sjs.program.id, {}, shijingshanOrg);
    expect(roster.apprentices).toEqual([
      {
        apprenticeshipId: apprentice.id,
        apprenticeName: '王小燕',
        apprenticePosition: '社区居委会委员',
        status: 'active',
        startDate: '2022-06-01',
        postingId: sjs.liPosting.id,
        secretaryName: '李昆明',
        communityName: '高井路社区',
      },
    ]);
    expect((await programs.rosterReport(t.db.kysely, sjs.program.id, { batchId: sjs.batch1.id }, shijingshanOrg)).apprentices).toHaveLength(
      1,
    );
    expect((await programs.rosterReport(t.db.kysely, sjs.program.id, { batchId: sjs.batch2.id }, shijingshanOrg)).apprentices).toEqual([]);
  });

  it('exports the roster as an Excel workbook with Chinese headers that reads back', async () => {
    const { filename, body } = await programs.rosterWorkbook(t.db.kysely, sjs.program.id, {}, shijingshanOrg);
    expect(filename).toBe('石景山区第一书记名册.xlsx');
    const workbook = new ExcelJS.Workbook();
    // exceljs types its input as its own Buffer; Node's Buffer is what it reads at run time.
    await workbook.xlsx.load(body as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['汇总', '按单位类型', '按社区', '名册']);
    const summary = workbook.getWorksheet('汇总')!;
    expect(summary.getRow(1).values).toEqual([
      undefined,
      '项目',
      '干部人数',
      '社区数',
      '来自驻区单位和两新组织',
      '选派数',
      '在岗',
      '已离任',
    ]);
    expect(summary.getRow(2).values).toEqual([undefined, '石景山区第一书记', 3, 3, 2, 4, 0, 4]);
    const roster = workbook.getWorksheet('名册')!;
    expect(roster.rowCount).toBe(5);
    const header = roster.getRow(1).values as unknown[];
    expect(header.slice(1, 6)).toEqual(['批次', '街道', '社区', '社区代码', '姓名']);
    const li = [2, 3, 4, 5].map((n) => roster.getRow(n).values as unknown[]).filter((v) => v[5] === '李昆明');
    expect(li.map((v) => [v[1], v[7], v[10], v[11]])).toEqual([
      [1, '驻区单位', '新任', '2022-05-01'],
      [2, '驻区单位', '续任', '2023-05-01'],
    ]);
  });
});
