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
    const imports = await sql<{ n: number; rows: number; digests: number; first: string; last: string }>`SELECT count(*)::int AS n, sum(inserted)::int AS rows,
        count(DISTINCT file_sha256) FILTER (WHERE file_sha256 ~ '^[0-9a-f]{64}$')::int AS digests, min(file_name) AS first, max(file_name) AS last
      FROM appeal_import WHERE status = 'done'`.execute(db.kysely);
    expect(imports.rows[0]).toEqual({ n: 37, rows: world.appeals, digests: 37, first: '12345-export-2020-12.csv', last: '12345-export-2023-12.csv' });
    expect(fs.readdirSync(path.join(dataDir, 'demo-exports'))).toHaveLength(37);
    expect(await checkRollups(db.kysely)).toEqual([]);
    expect(await isEmptyForDemo(db)).toBe(false);
  });

  it('picks Fengtai’s first batch from the key-community lists, 京铁家园社区 among them', async () => {
    expect(world.programs.fengtai.communities1).toHaveLength(26);
    expect(world.programs.fengtai.communities1).toContain(JINGTIE);
    expect(world.programs.fengtai.communities2).toHaveLength(50);
    const evidence = await db.kysely.selectFrom('batch_community').select('selection_evidence').where('batch_id', '=', world.programs.fengtai.batch1Id).where('community_code', '=', JINGTIE).executeTakeFirstOrThrow();
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
    expect(gaojing.items.map((p) => [p.cadre.name, p.kind])).toEqual([['李昆明', 'new'], ['李昆明', 'renewal']]);
  });

  it('posts 151 first secretaries in Shijingshan, 53 from resident units and the two new organizations', async () => {
    const roster = await programs.rosterReport(db.kysely, world.programs.shijingshan.programId, { batchId: world.programs.shijingshan.batch1Id }, systemViewer);
    expect(roster.totals.cadres).toBe(151);
    expect(roster.totals.fromResidentUnitsAndNewOrganizations).toBe(53);
  });

  it('finds the week 李昆明 fell short of two days on site', async () => {
    const compliance = await programs.complianceReport(db.kysely, world.programs.shijingshan.programId, { batchId: world.programs.shijingshan.batch2Id, from: '2023-05-08', to: '2023-06-18' }, systemViewer);
    const li = compliance.shortfalls.filter((s) => s.postingId === world.programs.shijingshan.liKunmingRenewalId);
    expect(li.map((s) => [s.monday, s.logged, s.required])).toEqual([['2023-06-05', 1, 2]]);
  });

  it('has every first secretary on site most weeks, a few weeks short, as the program asks two days', async () => {
    const compliance = await programs.complianceReport(db.kysely, world.programs.shijingshan.programId, { batchId: world.programs.shijingshan.batch2Id, from: '2023-05-01', to: '2023-06-18' }, systemViewer);
    expect(compliance.postings).toHaveLength(151);
    const weeks = compliance.postings.flatMap((p) => p.weeks.filter((w) => w.required > 0));
    const short = weeks.filter((w) => w.short);
    expect(short.length).toBeGreaterThan(0);
    expect(short.length / weeks.length).toBeLessThan(0.15);
    expect(compliance.postings.every((p) => p.weeks.some((w) => w.logged >= 2))).toBe(true);
    const program = await programs.getProgram(db.kysely, world.programs.shijingshan.programId, systemViewer);
    expect(program.lastDutyDay).toBe('2023-06-16');
  });

  it('reports the first secretaries’ 4.3 million yuan and the first batch’s resolution change, computed', async () => {
    const shijingshan = await projects.achievementReport(db.kysely, world.programs.shijingshan.programId, { batch: world.programs.shijingshan.batch1Id }, systemViewer);
    expect(shijingshan.totals.fundsSecured).toBe(4_300_000);
    expect(shijingshan.totals.problemsSolved).toBeGreaterThanOrEqual(40);
    const fengtai = await projects.achievementReport(db.kysely, world.programs.fengtai.programId, { batch: world.programs.fengtai.batch1Id }, systemViewer);
    expect(fengtai.outputs.find((o) => o.kind === 'parking_spaces')?.achieved).toBe(791);
    // The simulation models what a secretary changes; the figure itself is computed from the appeals.
    expect(fengtai.resolution.overall.changePercent).toBeGreaterThan(0.1);
    expect(fengtai.resolution.overall.changePercent).toBeLessThan(0.5);
  });

  it('hands 贾岚’s open elevator project to 田慧林', async () => {
    const open = await projects.listProjects(db.kysely, { communityCode: JINGTIE }, systemViewer);
    const elevators = open.items.find((p) => p.title.includes('电梯'));
    expect(elevators?.leadPosting?.postingId).toBe(world.programs.fengtai.tianHuilinPostingId);
  });

  it('creates a login for every role but admin, passwords random', async () => {
    expect(world.logins.map((l) => l.role).sort()).toEqual(['community_committee', 'department_handler', 'hotline_office', 'org_department', 'org_department', 'secretary', 'street_office', 'viewer']);
    expect(new Set(world.logins.map((l) => l.password)).size).toBe(world.logins.length);
  });
});
