import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { emptyCounts, figuresOf, type Counts, type Figures } from '../evaluation/rates.ts';
import { getConfig, trend } from '../evaluation/service.ts';
import type { MonthWindow } from './windows.ts';

/**
 * A place's figures over a window of months, read through evaluation's trend (the monthly
 * rollups, the configured rules): the months' counts are added up and the rates computed once
 * over the sum, so a quiet month weighs what its callbacks weigh, not a twelfth.
 */
export async function figuresOver(
  db: Kysely<Tables>,
  query: { code: string; window: MonthWindow; category?: string | undefined },
  viewer: Viewer,
): Promise<Figures> {
  const { code, window, category } = query;
  const [months, config] = await Promise.all([trend(db, { code, from: window.from, to: window.to, category }, viewer), getConfig(db)]);
  return figuresOf(sumCounts(months), config);
}

export function sumCounts(rows: readonly Counts[]): Counts {
  const total = emptyCounts();
  const keys = Object.keys(total) as Array<keyof Counts>;
  for (const row of rows) for (const key of keys) total[key] += row[key];
  return total;
}

/** After minus before, as a fraction of before: the article's "+28.76%". Null when before is nothing. */
export const relativeChange = (before: number | null, after: number | null) =>
  before === null || after === null || before === 0 ? null : (after - before) / before;

export const difference = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);

/**
 * Before and after one date for a place, from one trend read over both windows (they touch): the
 * rates over each window's summed counts.
 */
export async function figuresAround(
  db: Kysely<Tables>,
  code: string,
  windows: { before: MonthWindow; after: MonthWindow },
  viewer: Viewer,
): Promise<{ before: Figures; after: Figures }> {
  const [months, config] = await Promise.all([trend(db, { code, from: windows.before.from, to: windows.after.to }, viewer), getConfig(db)]);
  const within = (w: MonthWindow) => months.filter((m) => m.month >= w.from && m.month <= w.to);
  return { before: figuresOf(sumCounts(within(windows.before)), config), after: figuresOf(sumCounts(within(windows.after)), config) };
}
