import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { defaultEvaluationConfig } from '../../src/domains/evaluation/config.ts';
import { checkRollups, countAppealChange, rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import { countedOf } from '../../src/domains/appeals/counted.ts';
import { findAppealForUpdate } from '../../src/domains/appeals/queries.ts';
import * as evaluation from '../../src/domains/evaluation/service.ts';
import { systemViewer, type Viewer } from '../../src/domains/accounts/viewer.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/** A small deterministic PRNG (mulberry32): the same appeals on every run and backend. */
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const communities = ['110106008028', '110106008001', '110106008002', '110106001001', '110107009011', '110107001003'];
const categories = ['parking.shortage', 'parking.illegal', 'elevator.fault', 'heating', 'property.fee', 'gas'];
const kinds = ['complaint', 'help', 'consultation', 'suggestion', 'report', 'praise'];
const satisfactions = ['satisfied', 'basically', 'unsatisfied', null] as const;

interface RawAppeal {
  id?: number;
  community: string;
  category: string;
  kind: string;
  receivedAt: Date;
  callbackAt: Date | null;
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: (typeof satisfactions)[number];
}

function generate(n: number): RawAppeal[] {
  const random = prng(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: n }, () => {
    // Around month ends, so that Asia/Shanghai and UTC disagree about the month for some.
    const receivedAt = new Date(Date.UTC(2022, Math.floor(random() * 4), 1 + Math.floor(random() * 31), Math.floor(random() * 24)));
    const called = random() < 0.8;
    return {
      community: pick(communities),
      category: pick(categories),
      kind: pick(kinds),
      receivedAt,
      callbackAt: called ? new Date(receivedAt.getTime() + random() * 20 * 86_400_000) : null,
      contacted: called ? random() < 0.9 : null,
      solved: called ? random() < 0.7 : null,
      satisfaction: called ? pick(satisfactions.slice(0, 3)) : null,
    };
  });
}

const shanghaiMonth = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(d).slice(0, 7);

/** The three rates by the book, straight from the raw appeals. */
function bruteForce(appeals: RawAppeal[], month: string, within: string, category = '') {
  const config = defaultEvaluationConfig;
  const inPlace = appeals.filter(
    (a) => a.community.startsWith(within) && (a.category === category || a.category.startsWith(`${category}`)),
  );
  const volume = inPlace.filter((a) => shanghaiMonth(a.receivedAt) === month).length;
  const called = inPlace.filter((a) => a.callbackAt && shanghaiMonth(a.callbackAt) === month);
  const on = (rate: 'response' | 'resolution' | 'satisfaction') => called.filter((a) => config.ratesByKind[a.kind]?.includes(rate));
  const r = on('response');
  const s = on('resolution');
  const t = on('satisfaction');
  const rate = (x: number, y: number) => (y === 0 ? null : x / y);
  return {
    volume,
    responseRate: rate(r.filter((a) => a.contacted).length, r.length),
    resolutionRate: rate(s.filter((a) => a.solved).length, s.length),
    satisfactionRate: rate(
      t.filter((a) => a.satisfaction === 'satisfied').length + 0.9 * t.filter((a) => a.satisfaction === 'basically').length,
      t.length,
    ),
  };
}

async function insertAppeals(db: ReturnType<typeof useTestDatabase>['db'], appeals: RawAppeal[], prefix: string) {
  for (const [i, a] of appeals.entries()) {
    const row = await sql<{ id: number }>`
      INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                          status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
      VALUES (${`${prefix}${i}`}, 'phone', ${a.receivedAt}, ${a.kind}, ${a.category}, '测试', ${a.community}, ${a.community.slice(0, 9)}, ${a.community.slice(0, 6)},
              ${a.callbackAt ? 'called_back' : 'received'}, ${a.contacted}, ${a.solved}, ${a.satisfaction}, ${a.callbackAt}, ${a.callbackAt ?? a.receivedAt}, 'test')
      RETURNING id`.execute(db.kysely);
    a.id = row.rows[0]!.id;
  }
}

describe.each(backends)('evaluation figures on %s', (backend) => {
  const t = useTestDatabase(backend);
  const appeals = generate(600);

  beforeAll(async () => {
    await insertAppeals(t.db, appeals, 'EV-');
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
  });

  it.each([
    ['2022-01', '110106008028'],
    ['2022-02', '110106008'],
    ['2022-03', '110106'],
    ['2022-04', '11'],
    ['2022-02', '110107'],
  ])('matches a brute-force count for %s within %s', async (month, within) => {
    const level = within.length >= 12 ? 'community' : within.length === 9 ? 'street' : within.length === 6 ? 'district' : 'city';
    const [place] = await evaluation.placeFigures(t.db.kysely, { level, month, within }, systemViewer);
    const expected = bruteForce(appeals, month, within);
    expect(place?.volume ?? 0).toBe(expected.volume);
    for (const rate of ['responseRate', 'resolutionRate', 'satisfactionRate'] as const) {
      if (expected[rate] === null) expect(place?.[rate] ?? null).toBeNull();
      else expect(place![rate]).toBeCloseTo(expected[rate]!, 12);
    }
  });

  it.each([
    ['11', undefined],
    ['110106008', undefined],
    ['110106008028', undefined],
    ['110106', 'parking'],
  ])('draws the trend within %s (category %s) as a brute-force count does, month by month', async (within, category) => {
    const months = ['2022-01', '2022-02', '2022-03', '2022-04'];
    const trend = await evaluation.trend(t.db.kysely, { code: within, from: months[0]!, to: months.at(-1)!, category }, systemViewer);
    expect(trend.map((m) => m.month)).toEqual(months);
    for (const point of trend) {
      const expected = bruteForce(appeals, point.month, within, category ?? '');
      expect(point.volume, point.month).toBe(expected.volume);
      for (const rate of ['responseRate', 'resolutionRate', 'satisfactionRate'] as const) {
        if (expected[rate] === null) expect(point[rate]).toBeNull();
        else expect(point[rate]).toBeCloseTo(expected[rate]!, 12);
      }
    }
  });

  it('ranks communities by volume with shared ranks and the change on the month before', async () => {
    const ranking = await evaluation.ranking(
      t.db.kysely,
      { level: 'community', month: '2022-03', metric: 'volume', order: 'top', limit: 100 },
      systemViewer,
    );
    const expected = communities
      .map((c) => ({ c, v: bruteForce(appeals, '2022-03', c).volume, p: bruteForce(appeals, '2022-02', c).volume }))
      .sort((a, b) => b.v - a.v);
    expect(ranking.items.map((i) => i.value)).toEqual(expected.map((e) => e.v));
    for (const item of ranking.items) {
      const e = expected.find((x) => x.c === item.code)!;
      expect(item.change).toBe(e.v - e.p);
      expect(item.rank).toBe(1 + expected.filter((x) => x.v > e.v).length);
    }
  });

  it('leaves places with too few valid callbacks out of a rate ranking, and says so', async () => {
    const ranking = await evaluation.ranking(
      t.db.kysely,
      { level: 'community', month: '2022-01', metric: 'resolutionRate', order: 'bottom', limit: 10, within: '110106008028' },
      systemViewer,
    );
    expect(ranking.items.length + ranking.skipped.length).toBe(1);
    const strict = { ...defaultEvaluationConfig, minValidCallbacks: 10_000 };
    await evaluation.updateConfig(t.db.kysely, strict, systemViewer);
    const none = await evaluation.ranking(
      t.db.kysely,
      { level: 'street', month: '2022-01', metric: 'score', order: 'top', limit: 10 },
      systemViewer,
    );
    expect(none.items).toHaveLength(0);
    expect(none.skipped.length).toBeGreaterThan(0);
    await evaluation.updateConfig(t.db.kysely, defaultEvaluationConfig, systemViewer);
  });

  it('applies a changed rule at once: counting consultations for resolution changes the rate', async () => {
    const before = (await evaluation.placeFigures(t.db.kysely, { level: 'city', month: '2022-02' }, systemViewer))[0]!;
    await evaluation.updateConfig(
      t.db.kysely,
      {
        ...defaultEvaluationConfig,
        ratesByKind: { ...defaultEvaluationConfig.ratesByKind, consultation: ['response', 'resolution', 'satisfaction'] },
      },
      systemViewer,
    );
    const after = (await evaluation.placeFigures(t.db.kysely, { level: 'city', month: '2022-02' }, systemViewer))[0]!;
    expect(after.resolutionValid).toBeGreaterThan(before.resolutionValid);
    // The counts rankings read were derived again under the new rules, every place-month of them.
    expect(await checkRollups(t.db.kysely)).toEqual([]);
    await evaluation.updateConfig(t.db.kysely, defaultEvaluationConfig, systemViewer);
    expect((await evaluation.placeFigures(t.db.kysely, { level: 'city', month: '2022-02' }, systemViewer))[0]!.resolutionValid).toBe(
      before.resolutionValid,
    );
  });

  it('keeps the rollups consistent when appeals change, cell by cell', async () => {
    expect(await checkRollups(t.db.kysely)).toEqual([]);
    const changed = appeals.slice(0, 25).map((a) => a.id!);
    for (const id of changed) {
      await t.db.kysely.transaction().execute(async (trx) => {
        const before = countedOf((await findAppealForUpdate(trx, id))!);
        await sql`UPDATE appeal SET solved = NOT coalesce(solved, false), last_callback_at = coalesce(last_callback_at, received_at) + interval '33 days',
                                    contacted = coalesce(contacted, true), satisfaction = coalesce(satisfaction, 'satisfied'), category_code = 'noise',
                                    overdue_counted = NOT overdue_counted
                  WHERE id = ${id}`.execute(trx);
        await countAppealChange(trx, before, countedOf((await findAppealForUpdate(trx, id))!));
      });
    }
    expect(await checkRollups(t.db.kysely)).toEqual([]);
  });

  it('finds the difference when the rollups drift, and a rebuild repairs it', async () => {
    await sql`UPDATE appeal_month_rollup SET volume = volume + 1 WHERE ctid = (SELECT ctid FROM appeal_month_rollup LIMIT 1)`.execute(
      t.db.kysely,
    );
    // The category rollup no longer matches the appeals, nor the place rollup the category rollup.
    const both = await checkRollups(t.db.kysely);
    expect(both).toHaveLength(2);
    expect(both.filter((d) => d.cell.startsWith('place|'))).toHaveLength(1);
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
    await sql`UPDATE appeal_month_place SET solved = solved + 1 WHERE ctid = (SELECT ctid FROM appeal_month_place LIMIT 1)`.execute(
      t.db.kysely,
    );
    const place = await checkRollups(t.db.kysely);
    expect(place).toHaveLength(1);
    expect(place[0]!.cell).toMatch(/^place\|/);
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
    // The counts a ranking reads, against the place rollup under the rules in force.
    await sql`UPDATE place_month_counts SET contacted = contacted + 1 WHERE ctid = (SELECT ctid FROM place_month_counts WHERE community_code <> '' LIMIT 1)`.execute(
      t.db.kysely,
    );
    const counts = await checkRollups(t.db.kysely);
    expect(counts).toHaveLength(1);
    expect(counts[0]!.cell).toMatch(/^counts\|/);
    expect(counts[0]!.stored!.contacted).toBe(counts[0]!.expected!.contacted! + 1);
    await t.db.kysely.transaction().execute((trx) => rebuildRollups(trx));
    expect(await checkRollups(t.db.kysely)).toEqual([]);
  });

  it('lists the key communities with how often each was in the top N', async () => {
    const list = await evaluation.keyCommunityList(t.db.kysely, { month: '2022-04', topN: 2, periods: 4 }, systemViewer);
    expect(list.from).toBe('2022-01');
    const months = ['2022-01', '2022-02', '2022-03', '2022-04'];
    for (const item of list.items) {
      const onList = months.filter((m) => {
        const volumes = communities.map((c) => bruteForce(appeals, m, c).volume);
        const mine = bruteForce(appeals, m, item.code).volume;
        return 1 + volumes.filter((v) => v > mine).length <= 2;
      }).length;
      expect(item.appearances, item.code).toBe(onList);
    }
    expect(list.items.length).toBeGreaterThan(0);
  });

  it('answers only inside the viewer’s scope', async () => {
    const fengtai: Viewer = { userId: 1, actor: 'ft', role: 'street_office', scopeCode: '110106008' };
    const places = await evaluation.placeFigures(t.db.kysely, { level: 'community', month: '2022-02' }, fengtai);
    expect(places.length).toBeGreaterThan(0);
    expect(places.every((p) => p.code.startsWith('110106008'))).toBe(true);
    await expect(
      evaluation.placeFigures(t.db.kysely, { level: 'community', month: '2022-02', within: '110107' }, fengtai),
    ).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('refuses a malformed month', async () => {
    await expect(evaluation.trend(t.db.kysely, { code: '11', from: '2022-13', to: '2022-01' }, systemViewer)).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
