import { pooledOver, type PanelCounts } from './panel.ts';

/**
 * Comparison communities by nearest-neighbour matching on the pre-period. For each treated
 * community, over the `pre` months before its first treated month, every candidate (a community
 * with no posting in the data's window) is described by: mean monthly volume (log), the three
 * rates, the 12-month trend of resolution and of volume (second half minus first half of the
 * window), and residents (log) where known. Each feature is standardised by its spread over the
 * candidates; the distance is Euclidean over the standardised features; the k nearest are taken,
 * with replacement (a candidate may serve several treated communities). The matched set is the
 * union of those choices. The two trends count twice in the distance (featureWeights).
 */
export const featureNames = ['volume', 'resolution', 'response', 'satisfaction', 'resolutionTrend', 'volumeTrend', 'residents'] as const;
export type Feature = (typeof featureNames)[number];
export type Features = Record<Feature, number | null>;

export interface MatchCandidate {
  code: string;
  months: Map<number, PanelCounts>;
  residents: number | null;
}

function volumeOver(c: MatchCandidate, from: number, to: number): number {
  let v = 0;
  for (let t = from; t <= to; t++) v += c.months.get(t)?.volume ?? 0;
  return v / Math.max(1, to - from + 1);
}

/** A community's features over the months [from, to]. */
export function featuresOf(c: MatchCandidate, from: number, to: number, factor: number): Features {
  const mid = from + Math.floor((to - from + 1) / 2);
  const early = pooledOver(c.months, 'resolution', from, mid - 1, factor);
  const late = pooledOver(c.months, 'resolution', mid, to, factor);
  return {
    volume: Math.log1p(volumeOver(c, from, to)),
    resolution: pooledOver(c.months, 'resolution', from, to, factor),
    response: pooledOver(c.months, 'response', from, to, factor),
    satisfaction: pooledOver(c.months, 'satisfaction', from, to, factor),
    resolutionTrend: early !== null && late !== null ? late - early : null,
    volumeTrend: to > from ? Math.log1p(volumeOver(c, mid, to)) - Math.log1p(volumeOver(c, from, mid - 1)) : null,
    residents: c.residents !== null && c.residents > 0 ? Math.log(c.residents) : null,
  };
}

/**
 * How much each standardised feature counts in the distance. Difference-in-differences needs the
 * comparison to move like the treated community, not to sit at its level: the two trends weigh
 * WEIGHT_TREND each, the levels 1 (chosen on that ground before looking at any estimate).
 */
const WEIGHT_TREND = 2;
export const featureWeights: Partial<Record<Feature, number>> = { resolutionTrend: WEIGHT_TREND, volumeTrend: WEIGHT_TREND };

export interface Match {
  code: string;
  distance: number;
}

/** Mean and spread of each feature over a population; a feature nobody has drops out. */
function scales(population: readonly Features[]): Record<Feature, { mean: number; sd: number } | null> {
  const out = {} as Record<Feature, { mean: number; sd: number } | null>;
  for (const f of featureNames) {
    const values = population.map((p) => p[f]).filter((v): v is number => v !== null);
    if (values.length < 2) {
      out[f] = null;
      continue;
    }
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
    out[f] = sd > 0 ? { mean, sd } : null;
  }
  return out;
}

/**
 * The k nearest candidates of one treated community. A missing feature (no callbacks, residents
 * unknown) counts as the population's mean, so it neither attracts nor repels.
 */
export function nearest(
  target: Features,
  candidates: ReadonlyArray<{ code: string; features: Features }>,
  k: number,
  weights: Partial<Record<Feature, number>> = featureWeights,
): Match[] {
  const s = scales([target, ...candidates.map((c) => c.features)]);
  const z = (f: Feature, v: number | null) => {
    const sc = s[f];
    return sc === null ? 0 : ((v ?? sc.mean) - sc.mean) / sc.sd;
  };
  const scored = candidates.map((c) => {
    let d = 0;
    for (const f of featureNames) d += (weights[f] ?? 1) * (z(f, target[f]) - z(f, c.features[f])) ** 2;
    return { code: c.code, distance: Math.sqrt(d) };
  });
  scored.sort((a, b) => a.distance - b.distance || a.code.localeCompare(b.code));
  return scored.slice(0, k);
}

/** Standardised mean difference of each feature, treated minus a group, over the pooled spread. */
export function balance(
  treated: readonly Features[],
  group: readonly Features[],
): Array<{ feature: Feature; treated: number | null; group: number | null; smd: number | null }> {
  const mean = (xs: readonly Features[], f: Feature) => {
    const v = xs.map((x) => x[f]).filter((n): n is number => n !== null);
    return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const s = scales([...treated, ...group]);
  return featureNames.map((feature) => {
    const t = mean(treated, feature);
    const g = mean(group, feature);
    const sd = s[feature]?.sd ?? null;
    return { feature, treated: t, group: g, smd: t !== null && g !== null && sd !== null ? (t - g) / sd : null };
  });
}
