import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { invalid } from '../../errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { findDivision, findDivisionNames } from '../geo/queries.ts';
import type { EvaluationConfig } from './config.ts';
import { addMonths, firstDay, parseMonth } from './periods.ts';
import * as q from './queries.ts';
import type { ReportLine, TitledReport } from './schemas.ts';
import { emptyCounts, figuresOf, validCallbacks, type Counts } from './rates.ts';
import { periodStartDayOf, rateKinds } from './config.ts';
import { fold, getConfig, scopedWithin } from './service.ts';

type Db = Kysely<Tables>;

/** What a district office's daily or monthly report says, in the order it says it; the route adds its title. */
export type Report = Omit<TitledReport, 'title'>;
export type { ReportLine };

const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

function childLevelOf(code: string): 'district' | 'street' | 'community' {
  if (code.length <= 4) return 'district';
  if (code.length === 6) return 'street';
  return 'community';
}

interface Window {
  start: Date;
  end: Date;
}

/** Midnight of a Beijing calendar day, as an instant (Asia/Shanghai has had no DST since 1991). */
const beijingMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

function parseDay(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(beijingMidnight(text).getTime())) {
    throw invalid(`日期“${text}”格式不对`, `"${text}" is not a date`, [
      { field: 'date', message: '应为 YYYY-MM-DD / expected YYYY-MM-DD' },
    ]);
  }
  return text;
}

function dayBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

async function build(
  db: Db,
  within: string,
  period: { kind: 'daily' | 'monthly'; label: string; previousLabel: string },
  config: EvaluationConfig,
  load: (group: 'all' | 'category' | 'district' | 'street' | 'community', which: 'current' | 'previous') => Promise<Map<string, Counts>>,
): Promise<Report> {
  const division = await findDivision(db, within);
  const childLevel = childLevelOf(within);
  const [current, previous, categories, children] = await Promise.all([
    load('all', 'current'),
    load('all', 'previous'),
    load('category', 'current'),
    load(childLevel, 'current'),
  ]);
  const now = figuresOf(current.get('') ?? emptyCounts(), config);
  const before = figuresOf(previous.get('') ?? emptyCounts(), config);
  const categoryNames = await q.categoryNames(db);
  const topCategories = [...categories.entries()]
    .map(([code, counts]) => ({
      code,
      nameZh: categoryNames.get(code)?.zh ?? code,
      nameEn: categoryNames.get(code)?.en ?? code,
      figures: figuresOf(counts, config),
    }))
    .sort((a, b) => b.figures.volume - a.figures.volume)
    .slice(0, 5);
  const childCounts = [...children.entries()].filter(([code]) => code !== '');
  const names = new Map(
    (
      await findDivisionNames(
        db,
        childCounts.map(([code]) => code),
      )
    ).map((d) => [d.code, d.name]),
  );
  const ranked = childCounts
    .map(([code, counts]) => ({
      code,
      nameZh: names.get(code) ?? code,
      nameEn: names.get(code) ?? code,
      figures: figuresOf(counts, config),
    }))
    .filter((line) => validCallbacks(line.figures) >= config.minValidCallbacks && line.figures.score !== null)
    .sort((a, b) => b.figures.score! - a.figures.score! || a.code.localeCompare(b.code));
  return {
    kind: period.kind,
    period: period.label,
    previousPeriod: period.previousLabel,
    place: { code: within, name: division?.name ?? within },
    current: now,
    previous: before,
    change: {
      volume: now.volume - before.volume,
      responseRate: diff(now.responseRate, before.responseRate),
      resolutionRate: diff(now.resolutionRate, before.resolutionRate),
      satisfactionRate: diff(now.satisfactionRate, before.satisfactionRate),
      score: diff(now.score, before.score),
    },
    topCategories,
    childLevel,
    best: ranked.slice(0, 3),
    // With fewer than six places ranked, the two lists share some: both are still true.
    worst: ranked.slice(-3).reverse(),
    skipped: childCounts.length - ranked.length,
    minValidCallbacks: config.minValidCallbacks,
    basicallySatisfiedFactor: config.basicallySatisfiedFactor,
    periodStartDay: periodStartDayOf(config),
  };
}

/** The monthly report of a district (or the city, a street): from the rollups. */
export async function monthlyReport(db: Db, query: { within?: string | undefined; month: string }, viewer: Viewer): Promise<Report> {
  const month = parseMonth(query.month);
  const previous = addMonths(month, -1);
  const within = scopedWithin(viewer, query.within);
  const config = await getConfig(db);
  return build(db, within, { kind: 'monthly', label: month, previousLabel: previous }, config, async (group, which) => {
    const m = firstDay(which === 'current' ? month : previous);
    const filter = { from: m, to: m, within };
    if (group === 'all')
      return new Map((await q.countsByMonth(db, filter, rateKinds(config))).map(({ month: _month, ...counts }) => ['', counts]));
    if (group === 'category') return fold(await q.countsByCategory(db, filter), (r) => r.category, config);
    return new Map((await q.countsByPlace(db, group, filter, rateKinds(config))).map(({ code, ...counts }) => [code, counts]));
  });
}

/** The daily report: from the appeals of the day itself, in Beijing time. */
export async function dailyReport(db: Db, query: { within?: string | undefined; date: string }, viewer: Viewer): Promise<Report> {
  const day = parseDay(query.date);
  const previous = dayBefore(day);
  const within = scopedWithin(viewer, query.within);
  const windows: Record<'current' | 'previous', Window> = {
    current: { start: beijingMidnight(day), end: new Date(beijingMidnight(day).getTime() + 86_400_000) },
    previous: { start: beijingMidnight(previous), end: beijingMidnight(day) },
  };
  const config = await getConfig(db);
  return build(db, within, { kind: 'daily', label: day, previousLabel: previous }, config, async (group, which) =>
    fold(await q.countsInWindow(db, { ...windows[which], within }, group), (r) => r.code, config),
  );
}
