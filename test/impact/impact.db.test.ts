import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { estimate } from '../../src/domains/impact/did.ts';
import { readPanelCsv } from '../../src/domains/impact/export.ts';
import { unitsOf } from '../../src/domains/impact/panel.ts';
import type { ImpactReport } from '../../src/domains/impact/schemas.ts';
import { impactReport } from '../../src/domains/impact/service.ts';
import { achievementReport } from '../../src/domains/projects/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';
import { fengtaiOrg, JINGTIE } from '../programs/world.ts';
import { recordImpactWorld } from './world.ts';

/**
 * The impact domain on a real database: Fengtai's program with batch 1 (10 communities posted
 * from 2021-11-30, +10 points of resolution) and batch 2 (6 new communities from 2023-02-01, no
 * effect, and 京铁家园 carried over by 田慧林's succession), 60 untreated communities, the district
 * rising about 7 points a year. The counts are written into place_month_counts directly (the
 * rollup's own tests cover appeals → counts); the appeals end in 2023-12.
 */
const DRAWS = 300;

describe.each(backends)('impact estimates on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let org: Agent;
  let program: number;
  let batch1: number;
  let batch2: number;
  let tianPosting: number;
  let batch2New: string[];

  beforeAll(async () => {
    ({ program, batch1, batch2, tianPosting, batch2New } = await recordImpactWorld(t.db.kysely));
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    org = await loginAs(app, t.db, 'org_department', '110106');
  });
  afterAll(async () => {
    await app?.close();
  });

  const get = async (agent: Agent, query: string): Promise<ImpactReport> => {
    const res = await agent.inject(`/api/v1/impact?${query}&draws=${DRAWS}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const resolution = (r: ImpactReport) => r.outcomes.find((o) => o.outcome === 'resolution')!;

  it('estimates a batch against matched untreated communities, beside the naive figure', async () => {
    const r = await get(org, `program=${program}&batch=${batch1}`);
    expect(r.level).toBe('batch');
    expect(r.treated).toHaveLength(10);
    expect(r.treated.every((c) => c.cohort === '2021-12' && c.matches.length === 3)).toBe(true);
    // Matched only from untreated communities with data: never a posted one.
    const posted = new Set([...r.treated.map((c) => c.code), ...batch2New, JINGTIE]);
    expect(r.comparison.length).toBeGreaterThan(0);
    expect(r.comparison.every((c) => !posted.has(c.code) && c.timesMatched > 0)).toBe(true);
    // The 60 untreated communities with appeals; batch 1's 16 unposted ones have none and are not matched.
    expect(r.poolSize).toBe(60);
    const res = resolution(r);
    expect(Math.abs(res.overall.estimate! - 0.1)).toBeLessThan(0.05);
    expect(res.overall.low!).toBeLessThan(res.overall.estimate!);
    expect(res.overall.verdict).toBe('positive');
    expect(res.overall.treated).toBe(10);
    expect(res.overall.treatedWeight).toBeGreaterThan(1000);
    // The naive before/after also holds the district's rise: it claims more than the estimate.
    expect(res.naive.change!).toBeGreaterThan(res.overall.estimate! + 0.03);
    expect(res.event).toHaveLength(25);
    expect(res.preTrend.diverged).toBe(false);
    expect(r.placebo.map((p) => [p.kind, p.runs, p.passed])).toEqual([
      ['untreated', 5, true],
      ['dates', 1, true],
    ]);
    expect(r.placebo[0]!.quiet).toBeGreaterThanOrEqual(4);
    expect(r.method.estimator).toContain('Callaway');
    expect(r.balance.find((b) => b.feature === 'resolution')!.smdMatched).not.toBeNull();
  });

  it('isolates a later batch: only its new communities, the carried-over one named, windows clipped to the data', async () => {
    const r = await get(org, `program=${program}&batch=${batch2}&lang=en`);
    expect(r.treated.map((c) => c.code).sort()).toEqual([...batch2New].sort());
    expect(r.excluded).toEqual([expect.objectContaining({ code: JINGTIE, reason: 'Carried over from batch 1: evaluated with batch 1' })]);
    const res = resolution(r);
    expect(res.cohorts).toEqual([expect.objectContaining({ cohort: '2023-02', postFrom: '2023-02', postTo: '2023-12' })]);
    expect(r.data).toEqual({ from: '2020-12', to: '2023-12', source: 'place_month_counts' });
    // The period ends where the data ends, not today.
    expect(r.period.to).toBe('2023-12-31');
    expect(res.overall.low! <= 0 && res.overall.high! >= 0).toBe(true);
  });

  it('estimates a program’s staggered cohorts separately, and a single posting from its community’s first posting', async () => {
    const r = await get(org, `program=${program}`);
    expect(resolution(r).cohorts.map((c) => [c.cohort, c.treated])).toEqual([
      ['2021-12', 10],
      ['2023-02', 6],
    ]);
    const one = await get(org, `program=${program}&posting=${tianPosting}`);
    expect(one.level).toBe('posting');
    expect(one.treated).toEqual([expect.objectContaining({ code: JINGTIE, firstStart: '2021-11-30', cohort: '2021-12' })]);
    expect(one.notes.length).toBeGreaterThanOrEqual(2);
    // One community: a bootstrap over communities cannot give its interval, so none is given.
    const o = resolution(one).overall;
    expect([o.estimate !== null, o.low, o.high, o.verdict]).toEqual([true, null, null, 'too_few']);
    expect(one.notes.some((n) => n.includes('至少 5 个选派社区'))).toBe(true);
    expect(one.placebo.every((p) => p.passed === null)).toBe(true);
  });

  it('exports the panel as CSV that reruns to the same estimate, and as Excel', async () => {
    // A name a spreadsheet would run as a formula is written as text (the product's one CSV writer).
    const renamed = (await get(org, `program=${program}&batch=${batch1}`)).treated[1]!;
    await t.db.kysely.updateTable('division').set({ name: '=1+2社区' }).where('code', '=', renamed.code).execute();
    const csv = await org.inject(`/api/v1/impact/panel.csv?program=${program}&batch=${batch1}`);
    await t.db.kysely.updateTable('division').set({ name: renamed.name }).where('code', '=', renamed.code).execute();
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(`${renamed.code},'=1+2社区,`);
    expect(csv.body).not.toContain(',=1+2');
    expect(csv.headers['content-type']).toContain('text/csv');
    const r = await get(org, `program=${program}&batch=${batch1}`);
    const { rows, treatment } = readPanelCsv(csv.body);
    expect(rows.length).toBe((r.treated.length + r.comparison.length) * 37);
    const again = estimate(unitsOf(rows, treatment), {
      dataFrom: 2020 * 12 + 11,
      dataTo: 2023 * 12 + 11,
      pre: 12,
      post: 12,
      range: 12,
      draws: DRAWS,
      seed: r.method.seed,
      basicallyFactor: 0.9,
    });
    for (const o of r.outcomes) {
      expect(again[o.outcome].overall.estimate).toBeCloseTo(o.overall.estimate!, 12);
      expect(again[o.outcome].overall.low).toBeCloseTo(o.overall.low!, 12);
      expect(again[o.outcome].overall.high).toBeCloseTo(o.overall.high!, 12);
    }
    const xlsx = await org.inject(`/api/v1/impact/panel.xlsx?program=${program}&batch=${batch1}&draws=${DRAWS}`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['面板 panel', '估计 estimate', '方法 method']);
    expect(wb.worksheets[0]!.rowCount).toBe(rows.length + 1);
  });

  it('refuses bad input naming the field, and anyone without the district in scope', async () => {
    const bad = await org.inject(`/api/v1/impact?program=${program}&draws=5`);
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('draws');
    const both = await org.inject(`/api/v1/impact?program=${program}&batch=${batch1}&posting=${tianPosting}`);
    expect(both.statusCode).toBe(400);
    expect(both.json().errors).toEqual([expect.objectContaining({ field: 'posting' })]);
    const otherBatch = await org.inject(`/api/v1/impact?program=${program + 1}&batch=${batch1}`);
    expect([400, 403]).toContain(otherBatch.statusCode);
    expect((await org.inject('/api/v1/impact?program=999999')).statusCode).toBe(404);
    const shijingshan = await loginAs(app, t.db, 'org_department', '110107');
    expect((await shijingshan.inject(`/api/v1/impact?program=${program}`)).statusCode).toBe(403);
    const street = await loginAs(app, t.db, 'street_office', '110106008');
    expect((await street.inject(`/api/v1/impact?program=${program}`)).statusCode).toBe(403);
    expect((await street.inject(`/api/v1/impact/panel.csv?program=${program}`)).statusCode).toBe(403);
    // A district login cannot widen the pool to the city.
    expect((await org.inject(`/api/v1/impact?program=${program}&pool=city`)).statusCode).toBe(403);
    expect((await app.inject(`/api/v1/impact?program=${program}`)).statusCode).toBe(401);
    // Shijingshan has no appeals in this world: nothing to estimate, said as a conflict, not an empty figure.
    const sjs = await t.db.kysely.selectFrom('program').select('id').where('district_code', '=', '110107').executeTakeFirstOrThrow();
    const admin = await loginAs(app, t.db, 'admin', '11');
    const none = await admin.inject(`/api/v1/impact?program=${sjs.id}`);
    expect(none.statusCode).toBe(409);
    expect(none.headers['content-type']).toContain('application/problem+json');
  });

  it('says "too few appeals" exactly when the interval is wider than the stated limit', async () => {
    for (const batch of [batch1, batch2]) {
      const r = await impactReport(t.db.kysely, { program, batch, draws: 200, k: 1 }, fengtaiOrg);
      for (const o of r.outcomes.filter((x) => x.unit === 'rate')) {
        const width = o.overall.high !== null && o.overall.low !== null ? o.overall.high - o.overall.low : Infinity;
        expect(o.overall.verdict === 'too_few', `${batch} ${o.outcome} ${width}`).toBe(width > r.method.limits.rateWidth);
      }
    }
  });

  it('the naive achievement report measures its windows against the data, not today', async () => {
    // Batch 2's after-window runs 2023-02 … 2024-01; the appeals end in 2023-12.
    const report = await achievementReport(t.db.kysely, program, { batch: batch2 }, fengtaiOrg);
    expect(report.resolution.complete).toBe(false);
    expect(report.resolution.communities.find((c) => c.communityCode === batch2New[0])!.after).toMatchObject({
      to: '2024-01',
      monthsElapsed: 11,
    });
  });
});
