import { estimate, type Estimate, type EstimateOptions } from './did.ts';
import { featuresOf, nearest, type Features, type Match, type MatchCandidate } from './matching.ts';
import type { Unit } from './panel.ts';
import { sample, seeded } from './random.ts';

/**
 * The whole design as pure functions: who is compared with whom, the estimate, and the two
 * placebos. The service reads the panel; everything here can be run on a generated one.
 */
export interface TreatedCommunity extends MatchCandidate {
  cohort: number;
  lastTreated: number | null;
}

export interface DesignOptions extends EstimateOptions {
  /** Comparison communities per treated community. */
  k: number;
}

export interface Matched {
  code: string;
  features: Features;
  matches: Match[];
}

export interface Design {
  matched: Matched[];
  /** The union of the matches: the comparison communities. */
  comparison: string[];
  units: Unit[];
}

/** Matches every treated community on its own pre-period, and builds the units of the estimate. */
export function design(treated: readonly TreatedCommunity[], candidates: readonly MatchCandidate[], options: DesignOptions): Design {
  const featureCache = new Map<number, Array<{ code: string; features: Features }>>();
  const candidateFeatures = (cohort: number) => {
    let list = featureCache.get(cohort);
    if (!list) {
      const from = Math.max(options.dataFrom, cohort - options.pre);
      list = candidates.map((c) => ({ code: c.code, features: featuresOf(c, from, cohort - 1, options.basicallyFactor) }));
      featureCache.set(cohort, list);
    }
    return list;
  };
  const matched: Matched[] = treated.map((t) => {
    const from = Math.max(options.dataFrom, t.cohort - options.pre);
    const features = featuresOf(t, from, t.cohort - 1, options.basicallyFactor);
    // A community whose start lies outside the data has no pre-period to match on.
    const matches =
      t.cohort > options.dataFrom && t.cohort <= options.dataTo ? nearest(features, candidateFeatures(t.cohort), options.k) : [];
    return { code: t.code, features, matches };
  });
  const comparison = [...new Set(matched.flatMap((m) => m.matches.map((x) => x.code)))].sort();
  const byCode = new Map(candidates.map((c) => [c.code, c]));
  const units: Unit[] = [
    ...treated.map((t) => ({ code: t.code, cohort: t.cohort, lastTreated: t.lastTreated, months: t.months })),
    ...comparison.map((code) => ({ code, cohort: null, lastTreated: null, months: byCode.get(code)!.months })),
  ];
  return { matched, comparison, units };
}

export interface PlaceboResult {
  kind: 'untreated' | 'dates';
  /** Fake treated communities (untreated placebo) or the real ones at fake dates. */
  treated: number;
  controls: number;
  /** How far back the fake dates lie, in months (dates placebo). */
  shift: number | null;
  estimate: Estimate | null;
}

/**
 * Fake postings in untreated communities: as many as were treated, drawn (seeded) from the
 * candidates, given the real cohorts' start months in the same numbers, matched to the remaining
 * candidates by the same method, and estimated the same way. Nothing happened there: the
 * interval should cover 0.
 */
export function placeboUntreated(
  treated: readonly TreatedCommunity[],
  candidates: readonly MatchCandidate[],
  options: DesignOptions,
  replication = 0,
): PlaceboResult {
  const usable = treated.filter((t) => t.cohort > options.dataFrom && t.cohort <= options.dataTo);
  const n = Math.min(usable.length, Math.floor(candidates.length / (options.k + 1)));
  if (n < 2) return { kind: 'untreated', treated: 0, controls: 0, shift: null, estimate: null };
  const random = seeded((options.seed ^ 0x5bd1e995) + replication * 7919);
  const picked = sample(random, candidates.length, n);
  const pickedSet = new Set(picked);
  const fake: TreatedCommunity[] = picked.map((ci, i) => ({ ...candidates[ci]!, cohort: usable[i]!.cohort, lastTreated: null }));
  const rest = candidates.filter((_, i) => !pickedSet.has(i));
  const d = design(fake, rest, options);
  return { kind: 'untreated', treated: fake.length, controls: d.comparison.length, shift: null, estimate: estimate(d.units, options) };
}

/**
 * The untreated placebo several times over, each with its own fake communities and a share of the
 * draws: one fake set is one draw of chance (a 95 % interval misses 0 one time in twenty even
 * when nothing happened), several say whether the comparison itself leans.
 */
export function placeboUntreatedRuns(
  treated: readonly TreatedCommunity[],
  candidates: readonly MatchCandidate[],
  options: DesignOptions,
  runs: number,
): PlaceboResult[] {
  const draws = Math.max(200, Math.floor(options.draws / runs));
  return Array.from({ length: runs }, (_, r) => placeboUntreated(treated, candidates, { ...options, draws }, r));
}

/**
 * The real treated communities at fake dates: each cohort's start moved back by half of the
 * pre-period the data holds (at most `pre` months), and nothing from the real start on is read.
 * The secretaries were not there yet: the interval should cover 0.
 */
export function placeboDates(units: readonly Unit[], options: EstimateOptions): PlaceboResult {
  const cohorts = [...new Set(units.flatMap((u) => (u.cohort === null ? [] : [u.cohort])))].filter(
    (g) => g > options.dataFrom && g <= options.dataTo,
  );
  if (cohorts.length === 0) return { kind: 'dates', treated: 0, controls: 0, shift: null, estimate: null };
  const available = Math.min(...cohorts) - options.dataFrom;
  const shift = Math.min(options.pre, Math.floor(available / 2));
  if (shift < 3) return { kind: 'dates', treated: 0, controls: 0, shift, estimate: null };
  const fakeUnits: Unit[] = units.map((u) => {
    if (u.cohort === null) return u;
    // Months from the real start on are cut from the community's series.
    const months = new Map([...u.months].filter(([t]) => t < u.cohort!));
    return { ...u, cohort: u.cohort - shift, lastTreated: u.cohort - 1, months };
  });
  // Controls keep every month; each fake cohort reads no further than its real start.
  const treatedCount = fakeUnits.filter((u) => u.cohort !== null).length;
  return {
    kind: 'dates',
    treated: treatedCount,
    controls: units.length - treatedCount,
    shift,
    estimate: estimate(fakeUnits, { ...options, post: Math.min(options.post, shift) }),
  };
}
