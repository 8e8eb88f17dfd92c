/**
 * The community-month panel the impact estimate stands on: one row per community and month with
 * the counts of place_month_counts (volume, and the valid callbacks and their outcomes of each
 * rate). Months are handled as integers (year × 12 + month − 1) inside the statistics.
 */
export interface PanelCounts {
  volume: number;
  responseValid: number;
  contacted: number;
  resolutionValid: number;
  solved: number;
  satisfactionValid: number;
  satisfied: number;
  basically: number;
}

export interface PanelRow extends PanelCounts {
  communityCode: string;
  /** 'YYYY-MM'. */
  month: string;
}

export const outcomes = ['resolution', 'response', 'satisfaction', 'volume'] as const;
export type Outcome = (typeof outcomes)[number];
export const rateOutcomes: readonly Outcome[] = ['resolution', 'response', 'satisfaction'];

export const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * An outcome's numerator and weight in one community-month: a rate is outcome / valid callbacks
 * and weighs its valid callbacks; volume is the month's appeals and weighs 1 (a month with no
 * row had no appeals).
 */
export function numeratorAndWeight(outcome: Outcome, c: PanelCounts | undefined, basicallyFactor: number): [number, number] {
  if (outcome === 'volume') return [c?.volume ?? 0, 1];
  if (!c) return [0, 0];
  switch (outcome) {
    case 'resolution':
      return [c.solved, c.resolutionValid];
    case 'response':
      return [c.contacted, c.responseValid];
    case 'satisfaction':
      return [c.satisfied + basicallyFactor * c.basically, c.satisfactionValid];
  }
}

/**
 * An outcome pooled over a community's months `from` to `to` (month indexes): the numerators'
 * sum over the weights' sum, or null where the months hold no weight.
 */
export function pooledOver(
  months: ReadonlyMap<number, PanelCounts>,
  outcome: Outcome,
  from: number,
  to: number,
  basicallyFactor: number,
): number | null {
  let num = 0;
  let weight = 0;
  for (let t = from; t <= to; t++) {
    const [n, w] = numeratorAndWeight(outcome, months.get(t), basicallyFactor);
    num += n;
    weight += w;
  }
  return weight > 0 ? num / weight : null;
}

/** One community of an estimate: its months and, when treated, its first treated month. */
export interface Unit {
  code: string;
  /** Month index of the first month that counts as treated; null for a comparison community. */
  cohort: number | null;
  /** Last month index a treated community still counts as treated (its posting's end); null: open. */
  lastTreated: number | null;
  months: Map<number, PanelCounts>;
}

/** Rows to units, grouped by community. */
export function unitsOf(
  rows: readonly PanelRow[],
  treatment: ReadonlyMap<string, { cohort: number | null; lastTreated: number | null }>,
): Unit[] {
  const byCode = new Map<string, Unit>();
  for (const [code, t] of treatment) byCode.set(code, { code, cohort: t.cohort, lastTreated: t.lastTreated, months: new Map() });
  for (const row of rows) {
    const unit = byCode.get(row.communityCode);
    if (unit) unit.months.set(monthIndex(row.month), row);
  }
  return [...byCode.values()];
}
