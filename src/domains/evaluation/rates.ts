import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

// The rates' own words live here, and config.ts builds the rules' schema on them: this module
// imports nothing of config.ts, so config → queries → rates stays one way.
export const rates = ['response', 'resolution', 'satisfaction'] as const;
export type Rate = (typeof rates)[number];

/** The kinds each rate is evaluated on, as lists for SQL. */
export interface RateKinds {
  response: string[];
  resolution: string[];
  satisfaction: string[];
}

/** What the figures read of the evaluation rules (config.ts's EvaluationConfig has it all). */
export interface RateRules {
  basicallySatisfiedFactor: number;
  weights: Readonly<Record<Rate, number>>;
  ratesByKind: Readonly<Record<string, readonly Rate[]>>;
}

/** The figures a ranking can order places by. */
export const metrics = ['volume', 'volumePer10k', 'overdue', 'responseRate', 'resolutionRate', 'satisfactionRate', 'score'] as const;
export type Metric = (typeof metrics)[number];
/** The figures that stand on callbacks: a place with too few valid ones is left out of their rankings. */
export const rateMetrics: ReadonlySet<Metric> = new Set<Metric>(['responseRate', 'resolutionRate', 'satisfactionRate', 'score']);

const Count = Type.Integer();
const RateOrNull = Nullable(Type.Number());

/** The raw counts of one place (or category) over one period, summed from the rollups by kind. */
export const CountsSchema = Type.Object({
  volume: Count,
  overdue: Count,
  /** Valid callbacks of appeals evaluated on each rate. */
  responseValid: Count,
  contacted: Count,
  resolutionValid: Count,
  solved: Count,
  satisfactionValid: Count,
  satisfied: Count,
  basically: Count,
});
export type Counts = Static<typeof CountsSchema>;

// The figures' schema stands beside figuresOf, which makes them; schemas.ts hands it to the API.
export const FiguresSchema = Type.Object(
  {
    ...CountsSchema.properties,
    /** Rates as fractions 0–1, null when nothing was evaluated on them. */
    responseRate: RateOrNull,
    resolutionRate: RateOrNull,
    satisfactionRate: RateOrNull,
    /** Weighted mean of the rates present, 0–100. */
    score: RateOrNull,
    /** Appeals per 10,000 residents, when the residents are known. */
    volumePer10k: RateOrNull,
  },
  { $id: 'Figures' },
);
/** Rates are fractions 0–1, null where nothing was evaluated on them; the score is 0–100. */
export type Figures = Static<typeof FiguresSchema>;

export const emptyCounts = (): Counts => ({
  volume: 0,
  overdue: 0,
  responseValid: 0,
  contacted: 0,
  resolutionValid: 0,
  solved: 0,
  satisfactionValid: 0,
  satisfied: 0,
  basically: 0,
});

export interface KindCounts {
  kind: string;
  volume: number;
  overdue: number;
  callbacks: number;
  contacted: number;
  solved: number;
  satisfied: number;
  basically: number;
}

/** Adds one kind's rollup counts, each rate taking only the kinds the rules evaluate on it. */
export function addKind(into: Counts, row: KindCounts, config: RateRules): Counts {
  const evaluated = (rate: Rate) => config.ratesByKind[row.kind]?.includes(rate) ?? false;
  into.volume += row.volume;
  into.overdue += row.overdue;
  if (evaluated('response')) {
    into.responseValid += row.callbacks;
    into.contacted += row.contacted;
  }
  if (evaluated('resolution')) {
    into.resolutionValid += row.callbacks;
    into.solved += row.solved;
  }
  if (evaluated('satisfaction')) {
    into.satisfactionValid += row.callbacks;
    into.satisfied += row.satisfied;
    into.basically += row.basically;
  }
  return into;
}

/** Counts of several periods or places added up. */
export function sumCounts(parts: readonly Counts[]): Counts {
  const total = emptyCounts();
  for (const part of parts) for (const key of Object.keys(total) as Array<keyof Counts>) total[key] += part[key];
  return total;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export function figuresOf(counts: Counts, config: RateRules, residents: number | null = null): Figures {
  const responseRate = ratio(counts.contacted, counts.responseValid);
  const resolutionRate = ratio(counts.solved, counts.resolutionValid);
  const satisfactionRate = ratio(counts.satisfied + config.basicallySatisfiedFactor * counts.basically, counts.satisfactionValid);
  // The weighted mean of the rates present. Written out rather than with arrays: a city-wide
  // ranking computes this for every community of two months.
  const { weights } = config;
  let weight = 0;
  let weighted = 0;
  if (responseRate !== null && weights.response > 0) {
    weight += weights.response;
    weighted += responseRate * weights.response;
  }
  if (resolutionRate !== null && weights.resolution > 0) {
    weight += weights.resolution;
    weighted += resolutionRate * weights.resolution;
  }
  if (satisfactionRate !== null && weights.satisfaction > 0) {
    weight += weights.satisfaction;
    weighted += satisfactionRate * weights.satisfaction;
  }
  return {
    volume: counts.volume,
    overdue: counts.overdue,
    responseValid: counts.responseValid,
    contacted: counts.contacted,
    resolutionValid: counts.resolutionValid,
    solved: counts.solved,
    satisfactionValid: counts.satisfactionValid,
    satisfied: counts.satisfied,
    basically: counts.basically,
    responseRate,
    resolutionRate,
    satisfactionRate,
    score: weight > 0 ? (100 * weighted) / weight : null,
    volumePer10k: residents && residents > 0 ? (counts.volume * 10_000) / residents : null,
  };
}

/** The number of valid callbacks a place's ranking stands on: the widest denominator. */
export const validCallbacks = (counts: Counts) => Math.max(counts.responseValid, counts.resolutionValid, counts.satisfactionValid);
