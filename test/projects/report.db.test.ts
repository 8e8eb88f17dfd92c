import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppeal } from '../../src/domains/appeals/service.ts';
import { createUser } from '../../src/domains/accounts/service.ts';
import { systemViewer, type Viewer } from '../../src/domains/accounts/viewer.ts';
import { rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import type { Tables } from '../../src/db/tables.ts';
import * as programs from '../../src/domains/programs/service.ts';
import * as projects from '../../src/domains/projects/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, JINGTIE, recordFengtai, recordShijingshan, recordSuccession, shijingshanOrg } from '../programs/world.ts';
import { recordElevators, recordGas, recordJingtieUnits, recordParkingLot } from './world.ts';

interface Seed {
  community: string;
  category: string;
  /** Received and called back in this month. */
  month: string;
  n: number;
  solved: number;
}

/**
 * Appeals called back in the months around batch 1's start (2021-11-30: before is 2020-12 to
 * 2021-11, after 2021-12 to 2022-11). Pooled, 26 of 35 were solved before and 22 of 23 after:
 * 74.29% → 95.65%, +21.37 points, +28.76% as the article says. The parking appeals of 2021-06
 * and 2023-03 are also the parking lot's before and after.
 */
function seeds(other: string): Seed[] {
  return [
    { community: JINGTIE, category: 'parking.shortage', month: '2021-06', n: 8, solved: 3 },
    { community: JINGTIE, category: 'property.service', month: '2021-02', n: 12, solved: 11 },
    { community: other, category: 'heating.insufficient', month: '2021-01', n: 15, solved: 12 },
    { community: JINGTIE, category: 'property.service', month: '2022-05', n: 12, solved: 12 },
    { community: other, category: 'heating.insufficient', month: '2022-01', n: 11, solved: 10 },
    { community: JINGTIE, category: 'parking.shortage', month: '2023-03', n: 3, solved: 3 },
  ];
}

async function insertAppeals(db: Kysely<Tables>, rows: Seed[]): Promise<void> {
  for (const [i, s] of rows.entries()) {
    // The n appeals of a seed row in one statement; the first `solved` of them solved.
    await sql`INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                                  status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
      SELECT 'RPT-' || ${i} || '-' || g, 'phone', ${`${s.month}-10T02:00:00Z`}::timestamptz, 'complaint', ${s.category}, '成效报告测试', ${s.community},
             ${s.community.slice(0, 9)}, ${s.community.slice(0, 6)}, 'called_back', true, g <= ${s.solved}, 'satisfied',
             ${`${s.month}-12T02:00:00Z`}::timestamptz, ${`${s.month}-12T02:00:00Z`}::timestamptz, 'test'
      FROM generate_series(1, ${s.n}) AS g`.execute(db);
  }
}

describe.each(backends)('achievement reports on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  let shijingshan: Awaited<ReturnType<typeof recordShijingshan>>;
  let parking: Awaited<ReturnType<typeof recordParkingLot>>;
  let elevators: Awaited<ReturnType<typeof recordElevators>>;
  let other: string;

  beforeAll(async () => {
    const db = t.db.kysely;
    fengtai = await recordFengtai(db);
    shijingshan = await recordShijingshan(db);
    other = fengtai.communities[1]!;
    const cadre = await programs.createCadre(db, { name: '丰台干部乙', unitId: fengtai.units.housing.id }, fengtaiOrg);
    await programs.createPosting(db, { batchId: fengtai.batch1.id, cadreId: cadre.id, communityCode: other }, fengtaiOrg);
    await insertAppeals(db, seeds(other));

    const units = await recordJingtieUnits(db, fengtai);
    parking = await recordParkingLot(db, fengtai, units);
    elevators = await recordElevators(db, fengtai);
    // Three of the 2021 parking appeals are what the parking lot answers.
    const parkingAppeals = await db
      .selectFrom('appeal')
      .select('id')
      .where('ticket_no', 'like', 'RPT-0-%')
      .orderBy('id')
      .limit(3)
      .execute();
    await projects.linkAppeals(db, parking.id, { appealIds: parkingAppeals.map((a) => a.id), linkedOn: '2022-02-01' }, fengtaiOrg);

    const { successor } = await recordSuccession(db, fengtai);
    await projects.addFund(
      db,
      elevators.id,
      { amount: 800_000, sourceUnitId: units.propertyManagement.id, receivedOn: '2023-03-01' },
      fengtaiOrg,
    );
    // 田慧林 files an appeal for a resident through her own login, and links it to the elevators.
    const { user } = await createUser(
      db,
      { login: 'tian-huilin', role: 'secretary', scope: JINGTIE, password: 'Qv8#zLm2!wTr5kPx' },
      systemViewer,
    );
    await programs.linkCadreUser(db, fengtai.tianHuilin.id, user.id, systemViewer);
    const tian: Viewer = { userId: user.id, actor: 'tian-huilin', role: 'secretary', scopeCode: JINGTIE };
    const filed = await createAppeal(
      db,
      {
        channel: 'walk_in',
        kind: 'help',
        categoryCode: 'elevator.fault',
        description: '3号楼电梯停运，老人下楼难',
        communityCode: JINGTIE,
        receivedAt: '2023-03-02T01:00:00Z',
      },
      tian,
    );
    await projects.linkAppeals(db, elevators.id, { appealIds: [filed.id], linkedOn: '2023-03-05' }, tian);
    // Piled-up materials cleared: an output reached while its project goes on counts as a problem solved.
    const clutter = await projects.createProject(
      db,
      {
        communityCode: JINGTIE,
        title: '清理楼道堆物',
        categoryCode: 'sanitation.clutter',
        origin: 'assignment',
        leadPostingId: successor.id,
        requiresConsultation: false,
        proposedOn: '2023-02-10',
      },
      tian,
    );
    await projects.transitionProject(db, clutter.id, { to: 'approved', date: '2023-02-15' }, tian);
    await projects.transitionProject(db, clutter.id, { to: 'in_progress', date: '2023-02-20' }, tian);
    await projects.addOutput(db, clutter.id, { kind: 'clutter_cleared', target: 30, achieved: 30, asOf: '2023-04-01' }, tian);

    const gas = await recordGas(db, shijingshan);
    await programs.renewPosting(db, shijingshan.liPosting.id, {}, shijingshanOrg);
    await projects.addFund(db, gas.id, { amount: 200_000, sourceUnitId: gas.street.id, receivedOn: '2023-06-01' }, shijingshanOrg);
    await projects.updateOutput(db, gas.id, gas.outputId, { achieved: 100, asOf: '2023-12-20' }, shijingshanOrg);
    await projects.transitionProject(db, gas.id, { to: 'completed', date: '2023-12-28' }, shijingshanOrg);

    await db.transaction().execute((trx) => rebuildRollups(trx));
  });

  it('adds up Fengtai’s funds, problems by category, historical problems and appeals assisted', async () => {
    const report = await projects.achievementReport(t.db.kysely, fengtai.program.id, {}, fengtaiOrg);
    expect(report).toMatchObject({ programName: '丰台区治理书记', districtName: '丰台区', batchId: null, from: '2021-11-30' });
    // Without an end, the report runs to the last day anything was recorded (the clutter cleared), not today.
    expect(report.to).toBe('2023-04-01');
    expect(report.title).toBe('丰台区治理书记工作成效报告（2021-11-30 至 2023-04-01）');
    expect(report.totals).toEqual({
      projects: 3,
      fundsSecured: 2_350_000.5,
      fundEntries: 3,
      problemsSolved: 2,
      historicalProblemsSolved: 1,
      // 3 linked to the parking lot, 1 filed by 田慧林 and linked to the elevators: counted once.
      appealsAssisted: 4,
      appealsLinked: 4,
      appealsActedOn: 1,
      householdsBenefited: 0,
    });
    expect(report.byCategory).toEqual([
      {
        category: 'parking',
        nameZh: '停车管理',
        nameEn: 'Parking',
        completedProjects: 1,
        completedOutputs: 0,
        problemsSolved: 1,
        historicalProblemsSolved: 1,
      },
      {
        category: 'sanitation',
        nameZh: '环境卫生',
        nameEn: 'Sanitation',
        completedProjects: 0,
        completedOutputs: 1,
        problemsSolved: 1,
        historicalProblemsSolved: 0,
      },
    ]);
    expect(report.outputs).toEqual([
      { kind: 'clutter_cleared', label: '清理堆物', unitLabel: '处', outputs: 1, done: 1, target: 30, achieved: 30 },
      { kind: 'elevators_renewed', label: '更新电梯', unitLabel: '部', outputs: 1, done: 0, target: 50, achieved: 12 },
      { kind: 'parking_spaces', label: '停车位', unitLabel: '个', outputs: 1, done: 1, target: 791, achieved: 791 },
    ]);
    expect(report.projects.map((p) => [p.title, p.statusLabel, p.leadCadreName, p.funds])).toEqual([
      ['北侧拆违建设停车场', '已完成', '贾岚', 1_550_000.5],
      ['50 余部电梯更新', '推进中', '田慧林', 800_000],
      ['清理楼道堆物', '推进中', '田慧林', 0],
    ]);
  });

  it('credits work to the posting that held the project on the day: a period before the succession is 贾岚’s alone', async () => {
    const early = await projects.achievementReport(t.db.kysely, fengtai.program.id, { from: '2021-11-30', to: '2023-01-31' }, fengtaiOrg);
    expect(early.totals).toMatchObject({ fundsSecured: 1_550_000.5, problemsSolved: 1, appealsAssisted: 3, appealsActedOn: 0 });
    const late = await projects.achievementReport(t.db.kysely, fengtai.program.id, { from: '2023-02-01', to: '2023-12-31' }, fengtaiOrg);
    expect(late.totals).toMatchObject({ fundsSecured: 800_000, problemsSolved: 1, appealsAssisted: 1, appealsActedOn: 1 });
  });

  it('computes each community’s resolution rate before and after its first posting, and the batch’s +28.76%', async () => {
    const report = await projects.achievementReport(t.db.kysely, fengtai.program.id, { batch: fengtai.batch1.id }, fengtaiOrg);
    expect(report.batchNumber).toBe(1);
    const { resolution } = report;
    expect(resolution.months).toBe(12);
    expect(resolution.communities.map((c) => c.communityCode)).toEqual([JINGTIE, other].sort());
    const jingtie = resolution.communities.find((c) => c.communityCode === JINGTIE)!;
    expect(jingtie).toMatchObject({
      firstPostingStart: '2021-11-30',
      before: { from: '2020-12', to: '2021-11', resolutionValid: 20, solved: 14 },
      after: { from: '2021-12', to: '2022-11', resolutionValid: 12, solved: 12, resolutionRate: 1, monthsElapsed: 12 },
    });
    expect(jingtie.changePoints).toBeCloseTo(0.3, 12);
    expect(jingtie.changePercent).toBeCloseTo(0.3 / 0.7, 12);
    expect(resolution.overall.before).toEqual({ resolutionValid: 35, solved: 26, resolutionRate: 26 / 35 });
    expect(resolution.overall.after).toEqual({ resolutionValid: 23, solved: 22, resolutionRate: 22 / 23 });
    expect(resolution.overall.changePoints).toBeCloseTo(22 / 23 - 26 / 35, 12);
    expect((resolution.overall.changePercent! * 100).toFixed(2)).toBe('28.76');
    expect(resolution.complete).toBe(true);
  });

  it('reports Shijingshan’s gas for 100 households under the batch that finished it', async () => {
    const program = await projects.achievementReport(t.db.kysely, shijingshan.program.id, {}, shijingshanOrg);
    expect(program.totals).toMatchObject({
      fundsSecured: 500_000,
      problemsSolved: 1,
      historicalProblemsSolved: 1,
      householdsBenefited: 100,
    });
    expect(program.byCategory).toEqual([
      expect.objectContaining({ category: 'gas', nameZh: '燃气', completedProjects: 1, problemsSolved: 1 }),
    ]);
    const batch1 = await projects.achievementReport(t.db.kysely, shijingshan.program.id, { batch: shijingshan.batch1.id }, shijingshanOrg);
    expect(batch1.totals).toMatchObject({ fundsSecured: 300_000, problemsSolved: 0, householdsBenefited: 0, projects: 1 });
    const batch2 = await projects.achievementReport(t.db.kysely, shijingshan.program.id, { batch: shijingshan.batch2.id }, shijingshanOrg);
    expect(batch2.totals).toMatchObject({ fundsSecured: 200_000, problemsSolved: 1, householdsBenefited: 100 });
    // A batch's report ends with its term, or earlier with the record (the gas finished 2023-12-28).
    expect([batch1.to, batch2.to, program.to]).toEqual(['2023-04-30', '2023-12-28', '2023-12-28']);
    expect(batch1.title).toBe('石景山区第一书记第1批工作成效报告（2022-05-01 至 2023-04-30）');
    const wrong = await projects
      .achievementReport(t.db.kysely, shijingshan.program.id, { batch: fengtai.batch1.id }, { ...shijingshanOrg, scopeCode: '11' })
      .catch((e: unknown) => e);
    expect(wrong).toMatchObject({ kind: 'invalid' });
  });

  it('compares the parking lot’s category in its community before the start and after completion', async () => {
    const result = await projects.beforeAfter(t.db.kysely, parking.id, {}, fengtaiOrg);
    expect(result).toMatchObject({
      months: 12,
      categoryCode: 'parking.shortage',
      complete: true,
      before: { from: '2021-03', to: '2022-02', figures: { volume: 8, resolutionValid: 8, solved: 3 } },
      after: { from: '2022-11', to: '2023-10', figures: { volume: 3, resolutionValid: 3, solved: 3 } },
      change: { volume: -5 },
    });
    expect(result.change.volumePercent).toBeCloseTo(-5 / 8, 12);
    expect(result.change.resolutionPoints).toBeCloseTo(1 - 3 / 8, 12);
    const open = await projects.beforeAfter(t.db.kysely, elevators.id, {}, fengtaiOrg).catch((e: unknown) => e);
    expect(open).toMatchObject({ kind: 'conflict' });
  });

  it('shows a street only its own communities’ share', async () => {
    const street = await projects.achievementReport(
      t.db.kysely,
      fengtai.program.id,
      {},
      { ...fengtaiOrg, role: 'street_office', scopeCode: other.slice(0, 9) },
    );
    expect(other.slice(0, 9)).not.toBe(JINGTIE.slice(0, 9));
    expect(street.resolution.communities.map((c) => c.communityCode)).toEqual([other]);
    expect(street.resolution.overall.before).toEqual({ resolutionValid: 15, solved: 12, resolutionRate: 0.8 });
    // Every project lies in 京铁家园, another street.
    expect(street.totals).toMatchObject({ projects: 0, fundsSecured: 0, problemsSolved: 0, appealsAssisted: 0 });
    expect(street.projects).toEqual([]);
  });

  it('writes the report as an Excel workbook that reads back', async () => {
    const report = await projects.achievementReport(t.db.kysely, fengtai.program.id, { batch: fengtai.batch1.id }, fengtaiOrg);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await projects.achievementWorkbook(report)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['成效汇总', '按问题类别', '成果', '解决率前后对比', '项目清单']);
    const summary = book.getWorksheet('成效汇总')!;
    expect(summary.getCell('A1').value).toBe(report.title);
    const rows = new Map<string, unknown>();
    summary.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(rows.get('争取资金（元）')).toBe(2_350_000.5);
    expect(rows.get('解决问题（个）')).toBe(2);
    expect(rows.get('解决率相对提升')).toBe('+28.76%');
    const communities = book.getWorksheet('解决率前后对比')!;
    expect(communities.getRow(1).getCell(2).value).toBe('社区');
    const jingtie = communities.getRows(2, 2)!.map((r) => r.getCell(2).value);
    expect(jingtie).toContain('京铁家园社区');
    expect(book.getWorksheet('项目清单')!.getRow(2).getCell(3).value).toBe('北侧拆违建设停车场');
  });

  it('writes the report and its workbook in English when asked, Chinese by default', async () => {
    const report = await projects.achievementReport(t.db.kysely, fengtai.program.id, { batch: fengtai.batch1.id, lang: 'en' }, fengtaiOrg);
    expect(report.lang).toBe('en');
    expect(report.title).toBe(`Achievement report: 丰台区治理书记, batch 1 (2021-11-30 to ${report.to})`);
    expect(report.outputs.find((o) => o.kind === 'parking_spaces')).toMatchObject({ label: 'Parking spaces', unitLabel: 'spaces' });
    expect(report.projects[0]).toMatchObject({ title: '北侧拆违建设停车场', statusLabel: 'Completed', categoryName: 'Parking shortage' });
    expect(report.resolution.rule).toMatch(/^Each community .* the 12 whole months before/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await projects.achievementWorkbook(report)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Summary', 'By category', 'Outputs', 'Before and after', 'Projects']);
    const rows = new Map<string, unknown>();
    book.getWorksheet('Summary')!.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(rows.get('Funds secured (yuan)')).toBe(2_350_000.5);
    expect(rows.get('Relative change')).toBe('+28.76%');
    // Nothing of the workbook's own words is left in Chinese: only names of places, people, programs and projects are.
    const chinese = /[\u4e00-\u9fff]/;
    const names = new Set([
      report.title,
      report.districtName,
      ...report.projects.flatMap((p) => [p.communityName, p.title, p.leadCadreName ?? '']),
      ...report.resolution.communities.flatMap((c) => [c.communityName, c.streetName]),
    ]);
    for (const ws of book.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          const text = String(cell.value ?? '');
          if (chinese.test(text) && ![...names].some((n) => n && text.includes(n))) throw new Error(`${ws.name}!${cell.address}: ${text}`);
        }),
      );
    }
    expect((await projects.achievementReport(t.db.kysely, fengtai.program.id, { batch: fengtai.batch1.id }, fengtaiOrg)).lang).toBe('zh');
  });
  it('lists the secretaries’ apprentices begun by the end of the period', async () => {
    const db = t.db.kysely;
    const tian = await db.selectFrom('posting').select('id').where('cadre_id', '=', fengtai.tianHuilin.id).executeTakeFirstOrThrow();
    await programs.createApprenticeship(
      db,
      { postingId: tian.id, apprenticeName: '王小雨', apprenticePosition: '社区居委会委员', startDate: '2023-03-01' },
      fengtaiOrg,
    );
    const report = await projects.achievementReport(db, fengtai.program.id, {}, fengtaiOrg);
    expect(report.apprentices).toEqual([
      {
        apprenticeName: '王小雨',
        apprenticePosition: '社区居委会委员',
        secretaryName: '田慧林',
        communityName: '京铁家园社区',
        startDate: '2023-03-01',
        status: 'active',
      },
    ]);
    const before = await projects.achievementReport(db, fengtai.program.id, { from: '2021-11-30', to: '2023-02-28' }, fengtaiOrg);
    expect(before.apprentices).toEqual([]);
  });
});
