import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { currentRules, parseEvaluationConfig, periodStartDayOf, rateKinds, type EvaluationConfig } from './config.ts';
import { assessmentMonthOf, periodBounds } from './assessment.ts';
import { naturalCode } from '../geo/codes.ts';
import { addMonths, firstDay, monthsBetween, parseMonth, requireMonthRange } from './periods.ts';
import * as q from './queries.ts';
import type {
  CategoriesInput,
  CategoryFigures,
  FiguresInput,
  HotspotsInput,
  Hotspots,
  KeyCommunitiesInput,
  KeyCommunityList,
  LatestData,
  LatestInput,
  MonthFigures,
  PlaceFigures,
  Ranking,
  RankingInput,
  TrendInput,
} from './schemas.ts';
import { rebuildRollups, rederiveCounts } from './rollup.ts';
import { addKind, emptyCounts, figuresOf, sumCounts, validCallbacks, type Counts, type Figures, type KindCounts } from './rates.ts';

export { metrics, type Metric } from './rates.ts';

type Db = Kysely<Tables>;

/** The rules in force (config.ts keeps them, so the rollups can read them too). */
export const getConfig = currentRules;

export async function updateConfig(db: Db, input: unknown, viewer: Viewer): Promise<EvaluationConfig> {
  const config = parseEvaluationConfig(input);
  await db.transaction().execute(async (trx) => {
    const before = await q.loadConfig(trx);
    const startDayBefore = periodStartDayOf(await currentRules(trx));
    await q.saveConfig(trx, config, viewer.actor);
    // Periods starting on another day put appeals in other months: every rollup again. Otherwise
    // only the counts rankings read, which apply the rules' kinds, are derived again.
    if (periodStartDayOf(config) !== startDayBefore) await rebuildRollups(trx);
    else await rederiveCounts(trx, rateKinds(config));
    await auditBy(trx, viewer, 'evaluation_config.update', 'evaluation_config', '1', { from: before ?? null, to: config });
  });
  return config;
}

/**
 * The division a question is asked about, inside the viewer's scope: asking about all of
 * Beijing from a street account answers for the street; asking about another district is refused.
 */
export function scopedWithin(viewer: Viewer, requested: string | undefined): string {
  const within = requested ?? viewer.scopeCode;
  if (within.startsWith(viewer.scopeCode)) return within;
  if (viewer.scopeCode.startsWith(within)) return viewer.scopeCode;
  throw new AppError('forbidden', `${within} 不在您的管辖范围内`, `${within} is outside your scope`);
}

/** Adds rollup rows up per key, each rate taking only the kinds the rules evaluate on it. */
export function fold<T extends KindCounts>(rows: T[], key: (row: T) => string, config: EvaluationConfig): Map<string, Counts> {
  const byKey = new Map<string, Counts>();
  for (const row of rows) {
    const k = key(row);
    byKey.set(k, addKind(byKey.get(k) ?? emptyCounts(), row, config));
  }
  return byKey;
}

/**
 * Figures of every place of a level within a division, for each of the given months (one query
 * for all of them), with the rules in force.
 */
async function figuresByMonth(db: Db, query: Omit<FiguresInput, 'month'>, months: string[], config: EvaluationConfig, viewer: Viewer) {
  const within = scopedWithin(viewer, query.within);
  const [rows, residents] = await Promise.all([
    q.countsByPlaceMonth(
      db,
      query.level,
      months.map((m) => firstDay(m)),
      within,
      query.category,
      rateKinds(config),
    ),
    // Per 10,000 residents only where a community's residents are on its profile.
    query.level === 'community' ? q.residentsOf(db, within) : Promise.resolve(new Map<string, number>()),
  ]);
  const byMonth = new Map<string, Array<Figures & { code: string }>>(months.map((m) => [m, []]));
  for (const row of rows)
    byMonth.get(row.month)?.push(Object.assign(figuresOf(row, config, residents.get(row.code) ?? null), { code: row.code }));
  return byMonth;
}

/** Figures of every place of a level within a division, for one month. */
export async function placeFigures(db: Db, query: FiguresInput, viewer: Viewer): Promise<PlaceFigures[]> {
  const config = await getConfig(db);
  const month = parseMonth(query.month);
  const places = (await figuresByMonth(db, query, [month], config, viewer)).get(month)!;
  const named = await q.divisionNames(
    db,
    places.map((p) => p.code),
  );
  return places.map((p) => ({ ...p, name: named.get(p.code) ?? p.code }));
}

/** Places of a level ranked by a figure, top or bottom N, with the change against the month before. */
export async function ranking(db: Db, query: RankingInput, viewer: Viewer): Promise<Ranking> {
  const config = await getConfig(db);
  const month = parseMonth(query.month);
  const rules = {
    basicallySatisfiedFactor: config.basicallySatisfiedFactor,
    weights: config.weights,
    minValidCallbacks: config.minValidCallbacks,
    kinds: rateKinds(config),
  };
  const rows = await q.rankPlaces(
    db,
    {
      level: query.level,
      month,
      previousMonth: addMonths(month, -1),
      within: scopedWithin(viewer, query.within),
      category: query.category,
      metric: query.metric,
      order: query.order,
      limit: query.limit,
    },
    rules,
  );
  return {
    month: query.month,
    metric: query.metric,
    order: query.order,
    total: rows.total,
    minValidCallbacks: config.minValidCallbacks,
    skipped: rows.skipped.map((p) => ({ code: p.code, name: p.name ?? p.code, validCallbacks: p.validCallbacks })),
    items: rows.items.map(({ rank, code, name, value, residents, previousValue, previousRank, ...counts }) => {
      const figures = figuresOf(counts, config, residents);
      return {
        rank,
        code,
        name: name ?? code,
        value,
        previousValue,
        change: previousValue === null ? null : value - previousValue,
        previousRank,
        validCallbacks: validCallbacks(figures),
        figures,
      };
    }),
  };
}

/** One place's figures month by month (months without appeals included, as zeros). */
export async function trend(db: Db, query: TrendInput, viewer: Viewer): Promise<MonthFigures[]> {
  const config = await getConfig(db);
  const from = parseMonth(query.from, 'from');
  const to = parseMonth(query.to, 'to');
  requireMonthRange(from, to);
  const rows = await q.countsByMonth(
    db,
    { from: firstDay(from), to: firstDay(to), within: scopedWithin(viewer, query.code), category: query.category },
    rateKinds(config),
  );
  const byMonth = new Map(rows.map(({ month, ...counts }) => [month, counts]));
  return monthsBetween(from, to).map((month) => ({ month, ...figuresOf(byMonth.get(month) ?? emptyCounts(), config) }));
}

export async function categoryBreakdown(db: Db, query: CategoriesInput, viewer: Viewer): Promise<CategoryFigures[]> {
  const config = await getConfig(db);
  requireMonthRange(parseMonth(query.from, 'from'), parseMonth(query.to, 'to'));
  const rows = await q.countsByCategory(db, {
    from: firstDay(parseMonth(query.from, 'from')),
    to: firstDay(parseMonth(query.to, 'to')),
    within: scopedWithin(viewer, query.within),
    category: query.category,
  });
  const byCategory = fold(rows, (r) => r.category, config);
  return [...byCategory.entries()]
    .map(([category, counts]) => ({ category, ...figuresOf(counts, config) }))
    .sort((a, b) => b.volume - a.volume);
}

/**
 * The key-community list ("the city's top 100 demands"): each month's top N communities by
 * volume, how many of the last periods each was on the list, and which of them are candidates
 * for a secretary, with that evidence.
 */
export async function keyCommunityList(db: Db, query: KeyCommunitiesInput, viewer: Viewer): Promise<KeyCommunityList> {
  const config = await getConfig(db);
  const month = parseMonth(query.month);
  const topN = query.topN ?? config.keyCommunityTopN;
  const periods = query.periods ?? config.keyCommunityLookback;
  const minAppearances = query.minAppearances ?? Math.max(2, Math.ceil(periods / 4));
  const from = addMonths(month, -(periods - 1));
  const filter = { from: firstDay(from), to: firstDay(month), within: scopedWithin(viewer, query.within) };
  const [listed, placeRows, areaRows] = await Promise.all([
    q.keyCommunities(db, filter, topN),
    q.countsByPlace(db, 'community', filter, rateKinds(config)),
    q.countsByMonth(db, filter, rateKinds(config)),
  ]);
  const byPlace = new Map(placeRows.map(({ code, ...counts }) => [code, counts]));
  const area = figuresOf(sumCounts(areaRows.map(({ month: _month, ...counts }) => counts)), config);
  const named = await q.divisionNames(
    db,
    listed.map((r) => r.code),
  );
  return {
    month,
    from,
    topN,
    periods,
    minAppearances,
    areaResolutionRate: area.resolutionRate,
    items: listed.map((row) => {
      const figures = figuresOf(byPlace.get(row.code) ?? emptyCounts(), config);
      const resolvesBelow = figures.resolutionRate !== null && area.resolutionRate !== null && figures.resolutionRate < area.resolutionRate;
      return {
        code: row.code,
        name: named.get(row.code) ?? row.code,
        appearances: row.appearances,
        rankNow: row.rank_now,
        volumeNow: row.volume_now,
        volumeTotal: row.volume_total,
        figures,
        candidate: row.appearances >= minAppearances && resolvesBelow,
      };
    }),
  };
}

/**
 * A community's must-answer questions: the categories that come back period after period. For a
 * street, district or the city: the categories with most volume across communities, candidates
 * for "a problem a month".
 */
export async function hotspots(db: Db, query: HotspotsInput, viewer: Viewer): Promise<Hotspots> {
  const month = parseMonth(query.month);
  const periods = query.periods ?? 12;
  const from = addMonths(month, -(periods - 1));
  const rows = await q.categoryRecurrence(db, { from: firstDay(from), to: firstDay(month), within: scopedWithin(viewer, query.code) });
  const recurringAt = Math.max(2, Math.ceil(periods / 2));
  return { from, month, items: rows.map((r) => ({ ...r, recurring: r.months >= recurringAt })) };
}

/**
 * Where the data ends: the pages open on this month and day rather than on today, so history
 * loaded from files (the demo's 2020-12 to 2023-12) shows figures instead of an empty month.
 * Nothing after today counts, so one mistyped future date does not move every page there, and the
 * period under way counts only as in progress: the default is the latest complete period.
 */
export async function latestData(db: Db, query: LatestInput, viewer: Viewer, now: Date = new Date()): Promise<LatestData> {
  let requested: string | undefined;
  if (query.within !== undefined) {
    requested = naturalCode(query.within);
    if (requested === undefined) {
      throw invalid(`“${query.within}”不是区划代码`, `"${query.within}" is not a division code`, [
        { field: 'within', message: '2/4/6/9/12 位区划代码 / a 2, 4, 6, 9 or 12 digit division code' },
      ]);
    }
  }
  const within = scopedWithin(viewer, requested);
  const startDay = periodStartDayOf(await getConfig(db));
  // The period under way is not complete: the pages open on the latest complete one with data,
  // so one appeal filed today does not turn every dashboard to an almost empty month.
  const current = assessmentMonthOf(now, startDay);
  const latest = await q.latestVolumeMonth(db, within, current);
  const inProgress = latest !== null && latest === current.slice(0, 7) ? latest : null;
  const complete = inProgress === null ? latest : await q.latestVolumeMonth(db, within, `${addMonths(inProgress, -1)}-01`);
  const month = complete ?? latest;
  const day = month === null ? null : await q.latestReceivedDay(db, within, periodBounds(month, startDay), now);
  return { within, month, day, inProgress };
}
