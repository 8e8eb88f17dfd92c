import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { checkRollups } from '../../src/domains/evaluation/rollup.ts';
import * as programs from '../../src/domains/programs/service.ts';
import * as projects from '../../src/domains/projects/service.ts';
import { buildDemoWorld, isEmptyForDemo, type DemoWorld } from '../../src/demo/world.ts';
import { GAOJINGLU, JINGTIE, jingtieResidents } from '../../src/demo/facts.ts';
import { getProfile } from '../../src/domains/geo/service.ts';
import { trend } from '../../src/domains/evaluation/service.ts';
import { openTestDatabase } from '../support/databases.ts';

/**
 * The demo world at a small scale, built once: the seed's facts must come out of the generated
 * appeals and the records, through the same paths users take.
 */
describe('the demo world', () => {
  let db: Database;
  let world: DemoWorld;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-demo-'));

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    expect(await isEmptyForDemo(db)).toBe(true);
    world = await buildDemoWorld(db, { scale: 0.001, dataDir });
  }, 900_000);
  afterAll(async () => {
    await db?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the appeals from hotline export files through the import', async () => {
    expect(world.appeals).toBeGreaterThan(50_000);
    // One export a month, December 2020 to December 2023, each recorded as its own import with its digest.
    const imports = await sql<{
      n: number;
      rows: number;
      digests: number;
      first: string;
      last: string;
    }>`SELECT count(*)::int AS n, sum(inserted)::int AS rows,
        count(DISTINCT file_sha256) FILTER (WHERE file_sha256 ~ '^[0-9a-f]{64}$')::int AS digests, min(file_name) AS first, max(file_name) AS last
      FROM appeal_import WHERE status = 'done'`.execute(db.kysely);
    expect(imports.rows[0]).toEqual({
      n: 37,
      rows: world.appeals,
      digests: 37,
      first: '12345-export-2020-12.csv',
      last: '12345-export-2023-12.csv',
    });
    // Imported, the generated exports are removed unless asked to keep them (--keep-exports).
    expect(fs.existsSync(path.join(dataDir, 'demo-exports'))).toBe(false);
    expect(await checkRollups(db.kysely)).toEqual([]);
    expect(await isEmptyForDemo(db)).toBe(false);
  });

  it('picks Fengtai’s first batch from the key-community lists, 京铁家园社区 among them', async () => {
    expect(world.programs.fengtai.communities1).toHaveLength(26);
    expect(world.programs.fengtai.communities1).toContain(JINGTIE);
    expect(world.programs.fengtai.communities2).toHaveLength(50);
    const evidence = await db.kysely
      .selectFrom('batch_community')
      .select('selection_evidence')
      .where('batch_id', '=', world.programs.fengtai.batch1Id)
      .where('community_code', '=', JINGTIE)
      .executeTakeFirstOrThrow();
    expect((evidence.selection_evidence as { rankAppearances: number }).rankAppearances).toBeGreaterThan(1);
  });

  it('records 京铁家园社区’s residents on its profile', async () => {
    expect(await getProfile(db.kysely, JINGTIE, systemViewer)).toMatchObject({ residents: jingtieResidents });
  });

  it('records 贾岚 then 田慧林 at 京铁家园社区, and 李昆明 renewed at 高井路社区', async () => {
    const jingtie = await programs.communitySecretaries(db.kysely, JINGTIE, systemViewer);
    expect(jingtie.items.map((p) => p.cadre.name)).toEqual(['贾岚', '田慧林']);
    expect(jingtie.items[1]).toMatchObject({ kind: 'succession', startDate: '2023-02-01' });
    const gaojing = await programs.communitySecretaries(db.kysely, GAOJINGLU, systemViewer);
    expect(gaojing.items.map((p) => [p.cadre.name, p.kind])).toEqual([
      ['李昆明', 'new'],
      ['李昆明', 'renewal'],
    ]);
  });

  it('posts 151 first secretaries in Shijingshan, 53 from resident units and the two new organizations', async () => {
    const roster = await programs.rosterReport(
      db.kysely,
      world.programs.shijingshan.programId,
      { batchId: world.programs.shijingshan.batch1Id },
      systemViewer,
    );
    expect(roster.totals.cadres).toBe(151);
    expect(roster.totals.fromResidentUnitsAndNewOrganizations).toBe(53);
  });

  it('finds the week 李昆明 fell short of two days on site', async () => {
    const compliance = await programs.complianceReport(
      db.kysely,
      world.programs.shijingshan.programId,
      { batchId: world.programs.shijingshan.batch2Id, from: '2023-05-08', to: '2023-06-18' },
      systemViewer,
    );
    const li = compliance.shortfalls.filter((s) => s.postingId === world.programs.shijingshan.liKunmingRenewalId);
    expect(li.map((s) => [s.monday, s.logged, s.required])).toEqual([['2023-06-05', 1, 2]]);
  });

  it('has 田慧林 on site every week since she took over', async () => {
    const compliance = await programs.complianceReport(
      db.kysely,
      world.programs.fengtai.programId,
      { batchId: world.programs.fengtai.batch2Id, from: '2023-02-06', to: '2023-06-18' },
      systemViewer,
    );
    const tian = compliance.postings.find((p) => p.postingId === world.programs.fengtai.tianHuilinPostingId)!;
    expect(tian.weeks.length).toBeGreaterThan(15);
    expect(tian.shortWeeks).toBe(0);
  });

  it('has every first secretary on site most weeks, a few weeks short, as the program asks two days', async () => {
    const compliance = await programs.complianceReport(
      db.kysely,
      world.programs.shijingshan.programId,
      { batchId: world.programs.shijingshan.batch2Id, from: '2023-05-01', to: '2023-06-18' },
      systemViewer,
    );
    expect(compliance.postings).toHaveLength(151);
    const weeks = compliance.postings.flatMap((p) => p.weeks.filter((w) => w.required > 0));
    const short = weeks.filter((w) => w.short);
    expect(short.length).toBeGreaterThan(0);
    expect(short.length / weeks.length).toBeLessThan(0.15);
    expect(compliance.postings.every((p) => p.weeks.some((w) => w.logged >= 2))).toBe(true);
    const program = await programs.getProgram(db.kysely, world.programs.shijingshan.programId, systemViewer);
    expect(program.lastDutyDay).toBe('2023-06-16');
  });

  it('reports the first secretaries’ 4.3 million yuan, 250+ water, power and gas problems, 90+ historical ones and the appeals they helped with, from the records', async () => {
    const whole = await projects.achievementReport(db.kysely, world.programs.shijingshan.programId, {}, systemViewer);
    expect(whole.totals.fundsSecured).toBe(4_300_000);
    const utilities = whole.byCategory
      .filter((c) => ['water', 'electricity', 'gas'].includes(c.category))
      .reduce((n, c) => n + c.problemsSolved, 0);
    expect(utilities).toBeGreaterThanOrEqual(250);
    expect(whole.totals.historicalProblemsSolved).toBeGreaterThanOrEqual(90);
    // Appeals assisted are the appeals linked to the projects, counted once: as many as the
    // communities raised in those classes at this scale (1,100+ at the default scale, README).
    const linked = await sql<{
      n: number;
    }>`SELECT count(DISTINCT pa.appeal_id)::int AS n FROM project_appeal pa JOIN project p ON p.id = pa.project_id WHERE p.community_code LIKE '110107%'`.execute(
      db.kysely,
    );
    expect(linked.rows[0]!.n).toBeGreaterThan(0);
    expect(whole.totals.appealsAssisted).toBe(linked.rows[0]!.n);
    // Not reported "to" today: the record ends in December 2023.
    expect(whole.to < '2024-01-01').toBe(true);
    const shijingshan = await projects.achievementReport(
      db.kysely,
      world.programs.shijingshan.programId,
      { batch: world.programs.shijingshan.batch1Id },
      systemViewer,
    );
    expect(shijingshan.to).toBe('2023-04-30');
    expect(shijingshan.totals.problemsSolved).toBeGreaterThanOrEqual(150);
    const fengtai = await projects.achievementReport(
      db.kysely,
      world.programs.fengtai.programId,
      { batch: world.programs.fengtai.batch1Id },
      systemViewer,
    );
    expect(fengtai.outputs.find((o) => o.kind === 'parking_spaces')?.achieved).toBe(791);
    // The simulation models what a secretary changes; the figure itself is computed from the appeals.
    expect(fengtai.resolution.overall.changePercent).toBeGreaterThan(0.1);
    expect(fengtai.resolution.overall.changePercent).toBeLessThan(0.5);
  });

  it('hands 贾岚’s open elevator project to 田慧林, its progress and output agreeing, overdue today', async () => {
    const open = await projects.listProjects(db.kysely, { communityCode: JINGTIE }, systemViewer);
    const elevators = open.items.find((p) => p.title.includes('电梯'));
    expect(elevators?.leadPosting?.postingId).toBe(world.programs.fengtai.tianHuilinPostingId);
    const detail = await projects.getProject(db.kysely, elevators!.id, systemViewer);
    expect(detail.outputs[0]).toMatchObject({ kind: 'elevators_renewed', target: 50, achieved: 46 });
    expect(detail.progress).toBeCloseTo(46 / 50, 6);
    expect(detail).toMatchObject({ dueDate: '2023-12-31', overdue: true });
  });

  it('shows the parking lot in the appeals: 京铁家园’s parking appeals fall after it opened', async () => {
    const lot = (await projects.listProjects(db.kysely, { communityCode: JINGTIE }, systemViewer)).items.find(
      (p) => p.title.includes('停车场') && p.status === 'completed',
    )!;
    const change = await projects.beforeAfter(db.kysely, lot.id, {}, systemViewer);
    expect(change.before.figures.volume).toBeGreaterThan(0);
    expect(change.after.figures.volume).toBeLessThan(change.before.figures.volume / 2);
  });

  it('runs a believable city path: lower in 2020, past 90 % by 2023, the batch’s communities below their district', async () => {
    const at = async (code: string, month: string) =>
      (await trend(db.kysely, { code, from: month, to: month }, systemViewer))[0]!.resolutionRate!;
    const [city2020, city2023] = [await at('11', '2020-12'), await at('11', '2023-09')];
    expect(city2020).toBeGreaterThan(0.75);
    expect(city2020).toBeLessThan(0.88);
    expect(city2023).toBeGreaterThan(0.9);
    // The key-community list that picked batch 1: its communities well below the city.
    const evidence = await db.kysely
      .selectFrom('batch_community')
      .select('selection_evidence')
      .where('batch_id', '=', world.programs.fengtai.batch1Id)
      .execute();
    expect(evidence.length).toBe(26);
    const report = await projects.achievementReport(
      db.kysely,
      world.programs.fengtai.programId,
      { batch: world.programs.fengtai.batch1Id },
      systemViewer,
    );
    expect(report.resolution.overall.before.resolutionRate!).toBeLessThan((await at('110106', '2021-06')) - 0.1);
    // Overdue: a small share of a month, December's too (its outcomes were in the exports).
    const overdue = await sql<{
      month: string;
      share: number;
    }>`SELECT to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, avg(overdue_counted::int)::float AS share
      FROM appeal WHERE district_code = '110106' AND to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') IN ('2022-06', '2023-12') GROUP BY 1 ORDER BY 1`.execute(
      db.kysely,
    );
    expect(overdue.rows.map((r) => r.month)).toEqual(['2022-06', '2023-12']);
    for (const row of overdue.rows) expect(row.share).toBeLessThan(0.15);
  });

  it('gives every batch its term and every community the day it joined, so nothing is “in post” today', async () => {
    const batches = await programs.listBatches(db.kysely, world.programs.fengtai.programId, systemViewer);
    expect(batches.items.map((b) => [b.startDate, b.endDate])).toEqual([
      ['2021-11-30', '2023-01-31'],
      ['2023-02-01', '2024-03-31'],
    ]);
    const jingtie = await programs.communitySecretaries(db.kysely, JINGTIE, systemViewer);
    expect(jingtie.items.map((p) => p.status)).toEqual(['ended', 'ended']);
    const joined = await db.kysely
      .selectFrom('batch_community as bc')
      .innerJoin('batch as b', 'b.id', 'bc.batch_id')
      .select(['b.start_date', 'bc.joined_on'])
      .where('b.program_id', 'in', [world.programs.fengtai.programId, world.programs.shijingshan.programId])
      .execute();
    expect(joined.every((r) => r.joined_on === r.start_date)).toBe(true);
  });

  it('creates a login for every role but admin, passwords random', async () => {
    expect(world.logins.map((l) => l.role).sort()).toEqual([
      'community_committee',
      'department_handler',
      'hotline_office',
      'org_department',
      'org_department',
      'secretary',
      'street_office',
      'viewer',
    ]);
    expect(new Set(world.logins.map((l) => l.password)).size).toBe(world.logins.length);
  });
});
