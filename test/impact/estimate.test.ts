import { describe, expect, it } from 'vitest';
import { estimate, type EstimateOptions, type Interval } from '../../src/domains/impact/did.ts';
import { design, placeboDates, placeboUntreated, type TreatedCommunity } from '../../src/domains/impact/design.ts';
import { balance, featuresOf, type Features } from '../../src/domains/impact/matching.ts';
import { monthIndex, type Unit } from '../../src/domains/impact/panel.ts';
import { generatePanel, type PanelSpec } from './panels.ts';

/**
 * The estimator on generated panels whose effect is known. The stated rate: a 95 % interval
 * covers the truth in at least 18 of 20 seeds (a correct 95 % interval does so with probability
 * 0.92, 19 of 20 on average; the seeds are fixed, so a run is reproducible and can fail).
 */
const SEEDS = Array.from({ length: 20 }, (_, i) => 1000 + i);
const STATED = 18;
const options: EstimateOptions = {
  dataFrom: monthIndex('2020-12'),
  dataTo: monthIndex('2023-12'),
  pre: 12,
  post: 12,
  range: 12,
  draws: 400,
  seed: 42,
  basicallyFactor: 0.9,
};
const covers = (i: Interval, value: number) => i.low !== null && i.high !== null && i.low <= value && value <= i.high;
const excludesZero = (i: Interval) => i.low !== null && i.high !== null && (i.low > 0 || i.high < 0);
const base = (seed: number, cohorts: PanelSpec['cohorts']): PanelSpec => ({ seed, from: '2020-12', to: '2023-12', controls: 80, cohorts });

describe('difference-in-differences on generated panels', () => {
  it('finds no effect where there is none (the district-wide rise fools only the naive figure)', () => {
    let covered = 0;
    let naiveUp = 0;
    for (const seed of SEEDS) {
      const panel = generatePanel(base(seed, [{ start: '2021-12', communities: 26, effect: () => 0 }]));
      const r = estimate(panel.units, options).resolution;
      if (covers(r.overall, 0)) covered++;
      if ((r.naive.change ?? 0) > 0.04) naiveUp++;
    }
    expect(covered).toBeGreaterThanOrEqual(STATED);
    // The district rises about 7 points a year: the naive before/after reports it as the secretaries' doing.
    expect(naiveUp).toBe(SEEDS.length);
  });

  it('recovers a constant effect of 8 points within its interval, and tells it from zero', () => {
    let covered = 0;
    let detected = 0;
    for (const seed of SEEDS) {
      const panel = generatePanel(base(seed, [{ start: '2021-12', communities: 26, effect: () => 0.08 }]));
      const r = estimate(panel.units, options).resolution;
      if (covers(r.overall, panel.truth(12))) covered++;
      if (excludesZero(r.overall)) detected++;
    }
    expect(covered).toBeGreaterThanOrEqual(STATED);
    expect(detected).toBeGreaterThanOrEqual(STATED);
  });

  it('recovers staggered cohorts with different, growing effects, each and together', () => {
    const cohorts: PanelSpec['cohorts'] = [
      { start: '2021-12', communities: 26, effect: (e) => 0.04 + 0.01 * e },
      { start: '2023-02', communities: 24, effect: () => 0.02 },
    ];
    const covered = [0, 0, 0];
    for (const seed of SEEDS) {
      const panel = generatePanel(base(seed, cohorts));
      const r = estimate(panel.units, options).resolution;
      expect(r.cohorts.map((c) => c.cohort)).toEqual(['2021-12', '2023-02']);
      // The second cohort's after-window is clipped where the data ends (2023-12: 11 months).
      expect(r.cohorts[1]!.postTo).toBe('2023-12');
      if (covers(r.cohorts[0]!, panel.cohortTruth(0, 12))) covered[0]!++;
      if (covers(r.cohorts[1]!, panel.cohortTruth(1, 12))) covered[1]!++;
      if (covers(r.overall, panel.truth(12))) covered[2]!++;
    }
    // 0.095 for the first cohort, 0.02 for the second: far apart, so a pooled figure could not pass both.
    expect(covered[0]).toBeGreaterThanOrEqual(STATED);
    expect(covered[1]).toBeGreaterThanOrEqual(STATED);
    expect(covered[2]).toBeGreaterThanOrEqual(STATED);
  });

  it('the pre-trend check flags communities already drifting apart, and stays quiet when they were not', () => {
    let flagged = 0;
    let falseAlarms = 0;
    for (const seed of SEEDS) {
      const drifting = generatePanel(base(seed, [{ start: '2021-12', communities: 26, effect: () => 0, drift: 0.008 }]));
      if (estimate(drifting.units, options).resolution.preTrend.diverged === true) flagged++;
      const parallel = generatePanel(base(seed, [{ start: '2021-12', communities: 26, effect: () => 0.05 }]));
      if (estimate(parallel.units, options).resolution.preTrend.diverged === true) falseAlarms++;
    }
    expect(flagged).toBeGreaterThanOrEqual(STATED);
    expect(falseAlarms).toBeLessThanOrEqual(SEEDS.length - STATED);
  });

  it('the event study is flat before the start and at the effect after it', () => {
    const panel = generatePanel({ ...base(7, [{ start: '2022-06', communities: 40, effect: () => 0.1 }]), controls: 120 });
    const r = estimate(panel.units, options).resolution;
    expect(r.event).toHaveLength(25);
    expect(r.event[0]!.e).toBe(-12);
    expect(r.event[24]!.e).toBe(12);
    const pre = r.event.filter((p) => p.e < 0).map((p) => p.estimate!);
    const post = r.event.filter((p) => p.e >= 0).map((p) => p.estimate!);
    expect(Math.max(...pre.map(Math.abs))).toBeLessThan(0.05);
    expect(Math.min(...post)).toBeGreaterThan(0.05);
  });

  it('recovers an effect on volume', () => {
    let covered = 0;
    for (const seed of SEEDS.slice(0, 10)) {
      const panel = generatePanel(base(seed, [{ start: '2021-12', communities: 26, effect: () => 0, volumeEffect: -6 }]));
      if (covers(estimate(panel.units, options).volume.overall, -6)) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(9);
  });

  it('is reproducible: the same seed gives the same interval, another seed another one', () => {
    const panel = generatePanel(base(3, [{ start: '2021-12', communities: 10, effect: () => 0.05 }]));
    const a = estimate(panel.units, options).resolution.overall;
    const b = estimate(panel.units, options).resolution.overall;
    const c = estimate(panel.units, { ...options, seed: 43 }).resolution.overall;
    expect(b).toEqual(a);
    expect(c.estimate).toBe(a.estimate);
    expect(c.low).not.toBe(a.low);
  });

  it('never reads a treated community past its posting’s end', () => {
    const panel = generatePanel(base(5, [{ start: '2021-12', communities: 10, effect: (e) => (e < 6 ? 0.1 : 0.5) }]));
    // The postings ended after six months; what came later (0.5) must not count.
    const ended: Unit[] = panel.units.map((u) => (u.cohort === null ? u : { ...u, lastTreated: u.cohort + 5 }));
    const r = estimate(ended, options).resolution;
    expect(covers(r.overall, 0.1)).toBe(true);
    expect(r.event.filter((p) => p.e >= 6).every((p) => p.estimate === null)).toBe(true);
  });
});

describe('matching and placebos', () => {
  const toTreated = (panel: ReturnType<typeof generatePanel>) => {
    const treated: TreatedCommunity[] = [];
    const candidates = [];
    for (const u of panel.units) {
      if (u.cohort === null) candidates.push({ code: u.code, months: u.months, residents: null });
      else treated.push({ code: u.code, months: u.months, residents: null, cohort: u.cohort, lastTreated: null });
    }
    return { treated, candidates };
  };

  it('matches each treated community to its k nearest untreated ones on the pre-period', () => {
    const panel = generatePanel({ ...base(11, [{ start: '2021-12', communities: 12, effect: () => 0.08 }]), controls: 100 });
    const { treated, candidates } = toTreated(panel);
    const d = design(treated, candidates, { ...options, k: 3 });
    expect(d.matched).toHaveLength(12);
    for (const m of d.matched) {
      expect(m.matches).toHaveLength(3);
      expect(m.matches.every((x) => x.code.startsWith('1101069'))).toBe(true);
      expect(m.matches[0]!.distance).toBeLessThanOrEqual(m.matches[2]!.distance);
    }
    expect(d.units.filter((u) => u.cohort === null).map((u) => u.code)).toEqual(d.comparison);
    // Matching improves balance: the matched communities differ from the treated ones less, over all features, than the pool does.
    const window = (t: TreatedCommunity) => [Math.max(options.dataFrom, t.cohort - 12), t.cohort - 1] as const;
    const treatedFeatures = d.matched.map((m) => m.features);
    const byCode = new Map(candidates.map((c) => [c.code, c]));
    const matchedFeatures = d.matched.flatMap((m, i) => m.matches.map((x) => featuresOf(byCode.get(x.code)!, ...window(treated[i]!), 0.9)));
    const poolFeatures = candidates.map((c) => featuresOf(c, ...window(treated[0]!), 0.9));
    const imbalance = (group: Features[]) => balance(treatedFeatures, group).reduce((sum, b) => sum + Math.abs(b.smd ?? 0), 0);
    expect(imbalance(matchedFeatures)).toBeLessThan(imbalance(poolFeatures));
    // One seed: the point estimate is near the truth (coverage is the job of the tests above).
    expect(Math.abs(estimate(d.units, options).resolution.overall.estimate! - 0.08)).toBeLessThan(0.04);
  });

  it('the placebos find nothing where there is a real effect', () => {
    let untreatedQuiet = 0;
    let datesQuiet = 0;
    for (const seed of SEEDS.slice(0, 10)) {
      const panel = generatePanel({ ...base(seed, [{ start: '2021-12', communities: 20, effect: () => 0.1 }]), controls: 120 });
      const { treated, candidates } = toTreated(panel);
      const o = { ...options, k: 3 };
      const fakePosting = placeboUntreated(treated, candidates, o);
      expect(fakePosting.treated).toBe(20);
      if (covers(fakePosting.estimate!.resolution.overall, 0)) untreatedQuiet++;
      const d = design(treated, candidates, o);
      const fakeDates = placeboDates(d.units, o);
      expect(fakeDates.shift).toBe(6);
      if (covers(fakeDates.estimate!.resolution.overall, 0)) datesQuiet++;
      // And the real estimate sees the effect the placebos do not.
      expect(excludesZero(estimate(d.units, o).resolution.overall)).toBe(true);
    }
    expect(untreatedQuiet).toBeGreaterThanOrEqual(9);
    expect(datesQuiet).toBeGreaterThanOrEqual(9);
  });
});
