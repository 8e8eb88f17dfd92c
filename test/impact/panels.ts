import { binomial, poisson, seeded, type Random } from '../../src/domains/impact/random.ts';
import { monthIndex, monthOf, unitsOf, type PanelRow, type Unit } from '../../src/domains/impact/panel.ts';

/**
 * Generated community-month panels with a known effect. Every community has its own level of each
 * rate, the whole district rises month by month (the trend the naive before/after mistakes for an
 * effect), callbacks and volume are drawn around each community's size, and a treated community's
 * rates move by `effect(e)` from its first treated month (e = months since it).
 */
export interface CohortSpec {
  /** 'YYYY-MM' of the first treated month. */
  start: string;
  communities: number;
  /** Effect on the resolution rate (fraction) e months after the start, e ≥ 0. */
  effect: (e: number) => number;
  /** Extra resolution-rate drift per month of the treated communities, before and after (a pre-trend). */
  drift?: number;
  /** Effect on volume (appeals per month) after the start. */
  volumeEffect?: number;
}

export interface PanelSpec {
  seed: number;
  from: string;
  to: string;
  controls: number;
  cohorts: CohortSpec[];
  /** District-wide rise of every rate per month (default 0.006: about 7 points a year). */
  trend?: number;
  /** Mean valid callbacks per community-month (default 25). */
  callbacks?: number;
}

export interface GeneratedPanel {
  rows: PanelRow[];
  units: Unit[];
  treatment: Map<string, { cohort: number | null; lastTreated: number | null }>;
  /** The true effect on resolution, averaged over the first `post` months of each cohort, weighted by cohort size. */
  truth: (post: number) => number;
  cohortTruth: (cohort: number, post: number) => number;
}

const clamp = (p: number) => Math.min(0.98, Math.max(0.02, p));

export function generatePanel(spec: PanelSpec): GeneratedPanel {
  const random: Random = seeded(spec.seed);
  const from = monthIndex(spec.from);
  const to = monthIndex(spec.to);
  const trend = spec.trend ?? 0.006;
  const callbacks = spec.callbacks ?? 25;
  const rows: PanelRow[] = [];
  const treatment = new Map<string, { cohort: number | null; lastTreated: number | null }>();
  // A shared month shock, the same for every community (weather, a city campaign).
  const shock = new Map<number, number>();
  for (let t = from; t <= to; t++) shock.set(t, (random() - 0.5) * 0.04);
  const communities: Array<{ code: string; cohort: CohortSpec | null }> = [];
  spec.cohorts.forEach((c, ci) => {
    for (let i = 0; i < c.communities; i++)
      communities.push({ code: `1101060${ci}${String(i).padStart(4, '0')}`.padEnd(12, '0').slice(0, 12), cohort: c });
  });
  for (let i = 0; i < spec.controls; i++) communities.push({ code: `1101069${String(i).padStart(5, '0')}`, cohort: null });
  const seen = new Set<string>();
  for (const c of communities) {
    if (seen.has(c.code)) throw new Error(`duplicate code ${c.code}`);
    seen.add(c.code);
    const g = c.cohort ? monthIndex(c.cohort.start) : null;
    treatment.set(c.code, { cohort: g, lastTreated: null });
    const level = { resolution: 0.35 + random() * 0.3, response: 0.6 + random() * 0.25, satisfaction: 0.45 + random() * 0.3 };
    const size = 0.5 + random();
    const volumeMean = 30 * size;
    for (let t = from; t <= to; t++) {
      const common = trend * (t - from) + shock.get(t)!;
      const e = g === null ? -1 : t - g;
      const effect = g !== null && e >= 0 ? c.cohort!.effect(e) : 0;
      const drift = g !== null ? (c.cohort!.drift ?? 0) * (t - g) : 0;
      const n = poisson(random, callbacks * size);
      const volume = poisson(random, volumeMean + (g !== null && e >= 0 ? (c.cohort!.volumeEffect ?? 0) : 0));
      const satisfactionValid = n;
      const satisfactionP = clamp(level.satisfaction + common + effect + drift);
      const satisfied = binomial(random, satisfactionValid, satisfactionP * 0.8);
      rows.push({
        communityCode: c.code,
        month: monthOf(t),
        volume,
        responseValid: n,
        contacted: binomial(random, n, clamp(level.response + common * 0.5 + effect * 0.5 + drift)),
        resolutionValid: n,
        solved: binomial(random, n, clamp(level.resolution + common + effect + drift)),
        satisfactionValid,
        satisfied,
        // The rest of the satisfied share as "basically": 0.9 of it counts (see numeratorAndWeight).
        basically: binomial(random, satisfactionValid - satisfied, (satisfactionP * 0.2) / Math.max(0.01, 1 - satisfactionP * 0.8)),
      });
    }
  }
  const cohortTruth = (cohort: number, post: number) => {
    const spec1 = spec.cohorts[cohort]!;
    let sum = 0;
    const last = Math.min(post - 1, to - monthIndex(spec1.start));
    for (let e = 0; e <= last; e++) sum += spec1.effect(e);
    return sum / (last + 1);
  };
  return {
    rows,
    units: unitsOf(rows, treatment),
    treatment,
    cohortTruth,
    truth: (post) => {
      const total = spec.cohorts.reduce((a, c) => a + c.communities, 0);
      return spec.cohorts.reduce((a, c, i) => a + (c.communities / total) * cohortTruth(i, post), 0);
    },
  };
}
