import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { defaultEvaluationConfig, type EvaluationConfig } from '../../src/domains/evaluation/config.ts';
import { rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import { metrics, rateMetrics, validCallbacks, type Metric } from '../../src/domains/evaluation/rates.ts';
import * as evaluation from '../../src/domains/evaluation/service.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { seededRandom } from '../../src/demo/generator.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/**
 * The ranking sorts in SQL with the figures' formula written a second time there. These tests
 * hold it against the figures computed in JavaScript (figuresOf, itself checked against a
 * brute-force count in figures.db.test.ts), ranked the plain way: every place, every figure,
 * both orders, several levels, a category, and rules other than the defaults.
 */

type Place = Awaited<ReturnType<typeof evaluation.placeFigures>>[number];

/** The plain ranking: skip places with too few callbacks on a rate, sort by value then code, share ranks on ties. */
function rankedByHand(places: Place[], metric: Metric, order: 'top' | 'bottom', minValid: number) {
  const skipped = places
    .filter((p) => rateMetrics.has(metric) && validCallbacks(p) < minValid)
    .map((p) => p.code)
    .sort();
  const eligible = places.filter((p) => !skipped.includes(p.code) && p[metric] !== null).map((p) => ({ code: p.code, value: p[metric]! }));
  eligible.sort((a, b) => (order === 'top' ? b.value - a.value : a.value - b.value) || (a.code < b.code ? -1 : 1));
  const ranks = eligible.map((e, i) => ({
    ...e,
    rank: 1 + eligible.filter((x) => (order === 'top' ? x.value > e.value : x.value < e.value)).length,
    position: i,
  }));
  return { ranks, skipped };
}

const levels = [
  ['community', '11'],
  ['community', '110106'],
  ['street', '11'],
  ['district', '11'],
] as const;

describe.each(backends)('ranking in SQL on %s', (backend) => {
  const t = useTestDatabase(backend);
  let communities: string[] = [];

  beforeAll(async () => {
    const db = t.db.kysely;
    communities = (
      await sql<{
        code: string;
      }>`SELECT code FROM division WHERE level = 'community' AND (code LIKE '110106%' OR code LIKE '110105%') ORDER BY code LIMIT 40`.execute(
        db,
      )
    ).rows.map((r) => r.code);
    // The same appeals on every run and backend.
    const random = seededRandom('ranking');
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const kinds = ['complaint', 'help', 'consultation', 'suggestion', 'report', 'praise'];
    const categories = ['parking.shortage', 'parking.illegal', 'elevator.fault', 'heating', 'gas'];
    const appeals = Array.from({ length: 2400 }, (_, i) => {
      // Few appeals in some communities, so that rate rankings skip them and volumes tie.
      const community = communities[Math.floor(random() ** 2 * communities.length)]!;
      const receivedAt = new Date(Date.UTC(2022, Math.floor(random() * 3), 1 + Math.floor(random() * 28), Math.floor(random() * 24)));
      const called = random() < 0.8;
      const callbackAt = called ? new Date(receivedAt.getTime() + random() * 10 * 86_400_000) : null;
      return {
        ticket_no: `RK-${i}`,
        received_at: receivedAt.toISOString(),
        kind: pick(kinds),
        category_code: pick(categories),
        community_code: community,
        street_code: community.slice(0, 9),
        district_code: community.slice(0, 6),
        status: called ? 'called_back' : 'received',
        contacted: called ? random() < 0.9 : null,
        solved: called ? random() < 0.6 : null,
        satisfaction: called ? pick(['satisfied', 'basically', 'unsatisfied']) : null,
        last_callback_at: callbackAt?.toISOString() ?? null,
        last_event_at: (callbackAt ?? receivedAt).toISOString(),
      };
    });
    await sql`
      INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                          status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
      SELECT ticket_no, 'phone', received_at, kind, category_code, '测试', community_code, street_code, district_code,
             status, contacted, solved, satisfaction, last_callback_at, last_event_at, 'test'
      FROM jsonb_to_recordset(${JSON.stringify(appeals)}::jsonb) AS x(
        ticket_no text, received_at timestamptz, kind text, category_code text, community_code text, street_code text, district_code text,
        status text, contacted boolean, solved boolean, satisfaction text, last_callback_at timestamptz, last_event_at timestamptz)`.execute(
      db,
    );
    // Residents on some profiles (one of them 0), so that volume per 10,000 ranks only those.
    for (const [i, code] of communities.entries()) {
      if (i % 3 === 2) continue;
      await sql`INSERT INTO community_profile (community_code, residents, updated_by) VALUES (${code}, ${i % 7 === 0 ? 0 : 1000 + i * 137}, 'test')`.execute(
        db,
      );
    }
    await db.transaction().execute((trx) => rebuildRollups(trx));
  });

  async function expectSameAsByHand(config: EvaluationConfig, category?: string) {
    const db = t.db.kysely;
    let compared = 0;
    for (const [level, within] of levels) {
      const now = await evaluation.placeFigures(db, { level, within, month: '2022-03', category }, systemViewer);
      const before = await evaluation.placeFigures(db, { level, within, month: '2022-02', category }, systemViewer);
      for (const metric of metrics) {
        for (const order of ['top', 'bottom'] as const) {
          const label = `${level} within ${within} by ${metric} ${order}${category ? ` in ${category}` : ''}`;
          const expected = rankedByHand(now, metric, order, config.minValidCallbacks);
          const prior = new Map(rankedByHand(before, metric, order, config.minValidCallbacks).ranks.map((r) => [r.code, r]));
          const limit = 7;
          const got = await evaluation.ranking(db, { level, within, month: '2022-03', metric, order, limit, category }, systemViewer);
          expect(got.total, label).toBe(expected.ranks.length);
          expect(
            got.skipped.map((s) => s.code),
            label,
          ).toEqual(expected.skipped);
          expect(
            got.items.map((i) => ({
              code: i.code,
              rank: i.rank,
              value: i.value,
              previousRank: i.previousRank,
              previousValue: i.previousValue,
            })),
            label,
          ).toEqual(
            expected.ranks.slice(0, limit).map((e) => ({
              code: e.code,
              rank: e.rank,
              value: e.value,
              previousRank: prior.get(e.code)?.rank ?? null,
              previousValue: prior.get(e.code)?.value ?? null,
            })),
          );
          for (const item of got.items) {
            // The figures shown beside a place agree with the value it was ranked by, to the bit.
            expect(item.figures[metric], label).toBe(item.value);
            expect(item.name, label).not.toBe(item.code);
          }
          compared += got.items.length;
        }
      }
    }
    return compared;
  }

  it('ranks as the figures computed in JavaScript do, under the default rules', async () => {
    expect(await expectSameAsByHand(defaultEvaluationConfig)).toBeGreaterThan(100);
  });

  it('ranks within a category as by hand', async () => {
    expect(await expectSameAsByHand(defaultEvaluationConfig, 'parking')).toBeGreaterThan(50);
  });

  it('follows changed rules: another factor, a rate weighted 0, a lower bar for callbacks', async () => {
    const rules = {
      ...defaultEvaluationConfig,
      basicallySatisfiedFactor: 0.85,
      weights: { response: 0.3, resolution: 0, satisfaction: 0.7 },
      minValidCallbacks: 3,
    };
    await evaluation.updateConfig(t.db.kysely, rules, systemViewer);
    try {
      expect(await expectSameAsByHand(rules)).toBeGreaterThan(100);
      const noWeights = { ...rules, weights: { response: 0, resolution: 0, satisfaction: 0 } };
      await evaluation.updateConfig(t.db.kysely, noWeights, systemViewer);
      const scored = await evaluation.ranking(
        t.db.kysely,
        { level: 'community', month: '2022-03', metric: 'score', order: 'top', limit: 10 },
        systemViewer,
      );
      expect(scored.items).toEqual([]);
      expect(scored.total).toBe(0);
    } finally {
      await evaluation.updateConfig(t.db.kysely, defaultEvaluationConfig, systemViewer);
    }
  });

  it('shares ranks among equal volumes and lists equals in code order', async () => {
    const got = await evaluation.ranking(
      t.db.kysely,
      { level: 'community', month: '2022-03', metric: 'volume', order: 'bottom', limit: 1000 },
      systemViewer,
    );
    const ties = got.items.filter((item, i) => i > 0 && item.value === got.items[i - 1]!.value);
    expect(ties.length).toBeGreaterThan(0);
    for (const [i, item] of got.items.entries()) {
      if (i === 0) continue;
      const last = got.items[i - 1]!;
      if (item.value === last.value) {
        expect(item.rank).toBe(last.rank);
        expect(item.code > last.code).toBe(true);
      } else expect(item.rank).toBe(i + 1);
    }
  });
});
