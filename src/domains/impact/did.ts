import { below, seeded } from './random.ts';
import { monthOf, numeratorAndWeight, outcomes, pooledOver, type Outcome, type Unit } from './panel.ts';

/**
 * Difference-in-differences with staggered start months, in the manner of Callaway and Sant'Anna
 * (2021): one comparison per start cohort g and month t, ATT(g, t), aggregated afterwards with
 * non-negative weights, so that an early cohort's growing effect never serves as a later cohort's
 * "control" (the bias of a single two-way fixed-effects regression on staggered adoption).
 *
 * - Controls of cohort g in month t: the comparison communities (never treated in the data) and
 *   the treated communities not yet treated by then (first treated month after both t and g):
 *   "not-yet-treated" controls, which include the never-treated.
 * - Each community is compared with itself first: its outcome in month t minus its own mean over
 *   the `pre` months before g (a long base instead of the single month g − 1, because a
 *   community's month holds a few dozen callbacks at most). Treated minus control of these
 *   differences is ATT(g, t).
 * - Rates (resolution, response, satisfaction) are averaged over communities weighted by the
 *   month's valid callbacks; volume (appeals per community-month) weighs each community once.
 * - The overall figure averages ATT(g, t) over the first `post` treated months of each cohort,
 *   weighted by the treated communities' weight in the cell; the event study does the same per
 *   month relative to the start, −range … +range.
 * - Uncertainty: a cluster bootstrap over communities (treated ones resampled within their
 *   cohort, comparison ones from their pool), percentile 95 % interval, seeded.
 * - Pre-trend check: the slope of the event study over the months before the start; a bootstrap
 *   interval that excludes 0 says the treated communities were already drifting apart.
 */
export interface EstimateOptions {
  /** Month indices of the first and last month with data: nothing is read outside them. */
  dataFrom: number;
  dataTo: number;
  pre: number;
  post: number;
  range: number;
  draws: number;
  seed: number;
  basicallyFactor: number;
}

export interface Interval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

export interface CohortEstimate extends Interval {
  /** 'YYYY-MM' of the cohort's first treated month. */
  cohort: string;
  treated: number;
  controls: number;
  /** Valid callbacks (volume: community-months) of the treated communities behind the figure. */
  weight: number;
  preFrom: string;
  preTo: string;
  postFrom: string;
  postTo: string;
}

export interface OutcomeEstimate {
  overall: Interval & { treated: number; controls: number; treatedWeight: number; controlWeight: number };
  cohorts: CohortEstimate[];
  event: Array<Interval & { e: number; weight: number }>;
  preTrend: { slope: Interval; diverged: boolean | null };
  naive: { before: number | null; after: number | null; change: number | null; beforeWeight: number; afterWeight: number };
}

export type Estimate = Record<Outcome, OutcomeEstimate>;

interface CohortPlan {
  cohort: number;
  treated: number[];
  controls: number[];
  preFrom: number;
  preTo: number;
  postTo: number;
}

/** Per outcome and cohort: each unit's weighted difference and weight per event slot. */
interface Cells {
  /** [unit position within the plan's treated list × slots + slot] */
  tn: Float64Array;
  tw: Float64Array;
  cn: Float64Array;
  cw: Float64Array;
}

const quantile = (sorted: Float64Array, q: number) => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

function interval(estimate: number | null, draws: Float64Array, filled: number): Interval {
  // An interval needs most draws to have produced a figure; else it is not given.
  if (estimate === null || filled < draws.length * 0.9 || filled < 20) return { estimate, low: null, high: null };
  const sorted = draws.slice(0, filled).sort();
  return { estimate, low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
}

/** Plans the comparisons: cohorts, their treated units, their possible controls and windows. */
export function planCohorts(units: readonly Unit[], options: Pick<EstimateOptions, 'dataFrom' | 'dataTo' | 'pre' | 'post'>): CohortPlan[] {
  const cohorts = [...new Set(units.flatMap((u) => (u.cohort === null ? [] : [u.cohort])))].sort((a, b) => a - b);
  return cohorts
    .filter((g) => g > options.dataFrom && g <= options.dataTo)
    .map((g) => ({
      cohort: g,
      treated: units.flatMap((u, i) => (u.cohort === g ? [i] : [])),
      controls: units.flatMap((u, i) => (u.cohort === null || u.cohort > g ? [i] : [])),
      preFrom: Math.max(options.dataFrom, g - options.pre),
      preTo: g - 1,
      postTo: Math.min(options.dataTo, g + options.post - 1),
    }));
}

function cellsOf(units: readonly Unit[], plan: CohortPlan, outcome: Outcome, options: EstimateOptions): Cells {
  const slots = 2 * options.range + 1;
  const fill = (list: number[], treated: boolean) => {
    const num = new Float64Array(list.length * slots);
    const weight = new Float64Array(list.length * slots);
    list.forEach((u, k) => {
      const unit = units[u]!;
      const base = pooledOver(unit.months, outcome, plan.preFrom, plan.preTo, options.basicallyFactor);
      if (base === null) return;
      for (let s = 0; s < slots; s++) {
        const t = plan.cohort - options.range + s;
        if (t < options.dataFrom || t > options.dataTo) continue;
        if (treated && unit.lastTreated !== null && t > unit.lastTreated) continue;
        if (!treated && unit.cohort !== null && unit.cohort <= Math.max(t, plan.cohort)) continue;
        const [n, w] = numeratorAndWeight(outcome, unit.months.get(t), options.basicallyFactor);
        if (w <= 0) continue;
        weight[k * slots + s] = w;
        num[k * slots + s] = n - base * w; // w × (rate − base)
      }
    });
    return { num, weight };
  };
  const t = fill(plan.treated, true);
  const c = fill(plan.controls, false);
  return { tn: t.num, tw: t.weight, cn: c.num, cw: c.weight };
}

interface DrawStats {
  overall: number | null;
  cohorts: Array<number | null>;
  event: Array<number | null>;
  eventWeight: number[];
  cohortWeight: number[];
  slope: number | null;
}

/** Scratch sums of one evaluation, allocated once per estimate. */
interface Scratch {
  tn: Float64Array;
  tw: Float64Array;
  cn: Float64Array;
  cw: Float64Array;
}
const scratchOf = (slots: number): Scratch => ({
  tn: new Float64Array(slots),
  tw: new Float64Array(slots),
  cn: new Float64Array(slots),
  cw: new Float64Array(slots),
});

/** Adds each listed unit's cells times its multiplicity, unit by unit (the cells of a unit are contiguous). */
function accumulate(
  list: readonly number[],
  num: Float64Array,
  weight: Float64Array,
  m: Float64Array,
  slots: number,
  intoNum: Float64Array,
  intoWeight: Float64Array,
): void {
  intoNum.fill(0);
  intoWeight.fill(0);
  for (let k = 0; k < list.length; k++) {
    const mult = m[list[k]!]!;
    if (mult === 0) continue;
    const base = k * slots;
    for (let s = 0; s < slots; s++) {
      const w = weight[base + s]!;
      if (w === 0) continue;
      intoNum[s]! += mult * num[base + s]!;
      intoWeight[s]! += mult * w;
    }
  }
}

/** One evaluation of every figure of an outcome under community multiplicities `m`. */
function evaluate(
  plans: readonly CohortPlan[],
  cells: readonly Cells[],
  m: Float64Array,
  options: EstimateOptions,
  scratch: Scratch,
): DrawStats {
  const slots = 2 * options.range + 1;
  const eventNum = new Float64Array(slots);
  const eventW = new Float64Array(slots);
  let overallNum = 0;
  let overallW = 0;
  const cohorts: Array<number | null> = [];
  const cohortWeight: number[] = [];
  plans.forEach((plan, p) => {
    const c = cells[p]!;
    accumulate(plan.treated, c.tn, c.tw, m, slots, scratch.tn, scratch.tw);
    accumulate(plan.controls, c.cn, c.cw, m, slots, scratch.cn, scratch.cw);
    let cohortNum = 0;
    let cohortW = 0;
    for (let s = 0; s < slots; s++) {
      const tw = scratch.tw[s]!;
      const cw = scratch.cw[s]!;
      if (tw <= 0 || cw <= 0) continue;
      const att = scratch.tn[s]! / tw - scratch.cn[s]! / cw;
      eventNum[s]! += tw * att;
      eventW[s]! += tw;
      const e = s - options.range;
      if (e >= 0 && e < options.post && plan.cohort + e <= plan.postTo) {
        cohortNum += tw * att;
        cohortW += tw;
      }
    }
    cohorts.push(cohortW > 0 ? cohortNum / cohortW : null);
    cohortWeight.push(cohortW);
    overallNum += cohortNum;
    overallW += cohortW;
  });
  const event = Array.from(eventW, (w, s) => (w > 0 ? eventNum[s]! / w : null));
  return {
    overall: overallW > 0 ? overallNum / overallW : null,
    cohorts,
    event,
    eventWeight: [...eventW],
    cohortWeight,
    slope: preSlope(event, options.range),
  };
}

/** Least-squares slope of the event study over the months before the start (per month). */
function preSlope(event: ReadonlyArray<number | null>, range: number): number | null {
  const points: Array<[number, number]> = [];
  for (let s = 0; s < range; s++) {
    const v = event[s];
    if (v !== null && v !== undefined) points.push([s - range, v]);
  }
  if (points.length < 3) return null;
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : null;
}

/** Community multiplicities of one bootstrap draw: treated within their cohort, comparison from its pool. */
function drawMultiplicities(units: readonly Unit[], plans: readonly CohortPlan[], random: () => number, into: Float64Array): void {
  into.fill(0);
  for (const plan of plans) for (let k = 0; k < plan.treated.length; k++) into[plan.treated[below(random, plan.treated.length)]!]! += 1;
  const pool: number[] = [];
  units.forEach((u, i) => {
    if (u.cohort === null) pool.push(i);
  });
  // Treated communities whose cohort has no plan (start outside the data) are left out entirely.
  for (let k = 0; k < pool.length; k++) into[pool[below(random, pool.length)]!]! += 1;
}

function naiveOf(
  units: readonly Unit[],
  plans: readonly CohortPlan[],
  outcome: Outcome,
  options: EstimateOptions,
): OutcomeEstimate['naive'] {
  let bn = 0;
  let bw = 0;
  let an = 0;
  let aw = 0;
  for (const plan of plans) {
    for (const u of plan.treated) {
      const unit = units[u]!;
      for (let t = plan.preFrom; t <= plan.preTo; t++) {
        const [n, w] = numeratorAndWeight(outcome, unit.months.get(t), options.basicallyFactor);
        bn += n;
        bw += w;
      }
      const last = unit.lastTreated === null ? plan.postTo : Math.min(plan.postTo, unit.lastTreated);
      for (let t = plan.cohort; t <= last; t++) {
        const [n, w] = numeratorAndWeight(outcome, unit.months.get(t), options.basicallyFactor);
        an += n;
        aw += w;
      }
    }
  }
  const before = bw > 0 ? bn / bw : null;
  const after = aw > 0 ? an / aw : null;
  return { before, after, change: before !== null && after !== null ? after - before : null, beforeWeight: bw, afterWeight: aw };
}

/** The estimate of every outcome, with its bootstrap intervals. */
export function estimate(units: readonly Unit[], options: EstimateOptions): Estimate {
  const plans = planCohorts(units, options);
  const slots = 2 * options.range + 1;
  const ones = new Float64Array(units.length).fill(1);
  const scratch = scratchOf(slots);
  const comparison = units.filter((u) => u.cohort === null).length;
  const per = outcomes.map((outcome) => {
    const cells = plans.map((plan) => cellsOf(units, plan, outcome, options));
    return {
      outcome,
      cells,
      point: evaluate(plans, cells, ones, options, scratch),
      overall: new Float64Array(options.draws),
      slope: new Float64Array(options.draws),
      cohorts: plans.map(() => new Float64Array(options.draws)),
      events: Array.from({ length: slots }, () => new Float64Array(options.draws)),
      filledOverall: 0,
      filledSlope: 0,
      filledCohorts: plans.map(() => 0),
      filledEvents: new Array<number>(slots).fill(0),
    };
  });
  // One draw of communities serves every outcome: the same communities are resampled for each, as a reader expects.
  const random = seeded(options.seed);
  const m = new Float64Array(units.length);
  for (let d = 0; d < options.draws; d++) {
    drawMultiplicities(units, plans, random, m);
    for (const o of per) {
      const stats = evaluate(plans, o.cells, m, options, scratch);
      if (stats.overall !== null) o.overall[o.filledOverall++] = stats.overall;
      if (stats.slope !== null) o.slope[o.filledSlope++] = stats.slope;
      stats.cohorts.forEach((v, p) => {
        if (v !== null) o.cohorts[p]![o.filledCohorts[p]!++] = v;
      });
      stats.event.forEach((v, s) => {
        if (v !== null) o.events[s]![o.filledEvents[s]!++] = v;
      });
    }
  }
  const result = {} as Estimate;
  for (const o of per) {
    const { point, cells } = o;
    const treatedWeight = point.cohortWeight.reduce((a, b) => a + b, 0);
    let controlWeight = 0;
    plans.forEach((plan, p) => {
      for (let k = 0; k < plan.controls.length; k++) {
        for (let s = options.range; s < options.range + options.post && s < slots; s++) controlWeight += cells[p]!.cw[k * slots + s]!;
      }
    });
    const slopeInterval = interval(point.slope, o.slope, o.filledSlope);
    result[o.outcome] = {
      overall: {
        ...interval(point.overall, o.overall, o.filledOverall),
        treated: plans.reduce((a, p) => a + p.treated.length, 0),
        controls: comparison,
        treatedWeight,
        controlWeight,
      },
      cohorts: plans.map((plan, p) => ({
        cohort: monthOf(plan.cohort),
        ...interval(point.cohorts[p] ?? null, o.cohorts[p]!, o.filledCohorts[p]!),
        treated: plan.treated.length,
        controls: plan.controls.length,
        weight: point.cohortWeight[p]!,
        preFrom: monthOf(plan.preFrom),
        preTo: monthOf(plan.preTo),
        postFrom: monthOf(plan.cohort),
        postTo: monthOf(plan.postTo),
      })),
      event: point.event.map((v, s) => ({
        e: s - options.range,
        ...interval(v, o.events[s]!, o.filledEvents[s]!),
        weight: point.eventWeight[s]!,
      })),
      preTrend: {
        slope: slopeInterval,
        diverged: slopeInterval.low === null || slopeInterval.high === null ? null : slopeInterval.low > 0 || slopeInterval.high < 0,
      },
      naive: naiveOf(units, plans, o.outcome, options),
    };
  }
  return result;
}
