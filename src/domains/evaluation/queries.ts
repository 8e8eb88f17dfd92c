import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { monthsBetween } from './periods.ts';
import { rateMetrics, type Counts, type KindCounts, type Metric, type RateKinds } from './rates.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

export type PlaceLevel = 'community' | 'street' | 'district' | 'city';

/** The rollup column that names a place of each level; the city is the province code. */
const placeColumn: Record<PlaceLevel, RawBuilder<string>> = {
  community: sql`community_code`,
  street: sql`street_code`,
  district: sql`district_code`,
  city: sql`left(district_code, 2)`,
};

export interface RollupFilter {
  /** First and last month, inclusive, as 'YYYY-MM-01'. */
  from: string;
  to: string;
  /** Only places at or under this division code ('' for everywhere). */
  within: string;
  /** This category and everything under it. */
  category?: string | undefined;
}

/**
 * Rows at or under a division, on the most specific column a code of this length can match, so
 * the indexes serve it. The rollups and the appeal table name these columns alike.
 */
function withinDivision(w: string): RawBuilder<unknown> {
  // The district too, which a street or community code begins with: the rollups' keys lead with it.
  if (w.length >= 12) return sql`community_code = ${w} AND street_code = ${w.slice(0, 9)} AND district_code = ${w.slice(0, 6)}`;
  if (w.length >= 9) return sql`street_code = ${w} AND district_code = ${w.slice(0, 6)}`;
  if (w.length >= 6) return sql`district_code = ${w}`;
  if (w.length > 0) return sql`district_code LIKE ${`${w}%`}`;
  return sql`TRUE`;
}

/**
 * The months of a window as a list: the rollups' keys lead with the month, and a range on that
 * first column makes a btree read every place of every month in between, while a list is one
 * descent per month straight to the place asked for.
 */
function inMonths(from: string, to: string): RawBuilder<unknown> {
  const months = monthsBetween(from.slice(0, 7), to.slice(0, 7));
  if (months.length === 0 || months.length > 120) return sql`month BETWEEN ${from}::date AND ${to}::date`;
  return sql`month = ANY(${months.map((m) => `${m}-01`)}::date[])`;
}

function where(filter: RollupFilter): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [inMonths(filter.from, filter.to), withinDivision(filter.within)];
  if (filter.category) parts.push(sql`(category_code = ${filter.category} OR category_code LIKE ${`${filter.category}.%`})`);
  return sql.join(parts, sql` AND `);
}

const sums = sql`sum(volume)::int AS volume, sum(overdue)::int AS overdue, sum(callbacks)::int AS callbacks,
  sum(contacted)::int AS contacted, sum(solved)::int AS solved, sum(satisfied)::int AS satisfied, sum(basically)::int AS basically`;

export type PlaceCountsRow = Counts & { code: string };
export type PlaceMonthCountsRow = PlaceCountsRow & { month: string };

const countSums = sql`sum(volume)::int AS volume, sum(overdue)::int AS overdue,
  sum(response_valid)::int AS "responseValid", sum(contacted)::int AS contacted,
  sum(resolution_valid)::int AS "resolutionValid", sum(solved)::int AS solved,
  sum(satisfaction_valid)::int AS "satisfactionValid", sum(satisfied)::int AS satisfied, sum(basically)::int AS basically`;

/** The category rollup folded to the rules' counts in SQL: what a category filter needs. */
const categoryCountSums = (kinds: RateKinds) => {
  const on = (rate: keyof RateKinds, column: string) =>
    sql`coalesce(sum(${sql.ref(column)}) FILTER (WHERE kind = ANY(${kinds[rate]}::text[])), 0)::int`;
  return sql`sum(volume)::int AS volume, sum(overdue)::int AS overdue,
    ${on('response', 'callbacks')} AS "responseValid", ${on('response', 'contacted')} AS contacted,
    ${on('resolution', 'callbacks')} AS "resolutionValid", ${on('resolution', 'solved')} AS solved,
    ${on('satisfaction', 'callbacks')} AS "satisfactionValid", ${on('satisfaction', 'satisfied')} AS satisfied,
    ${on('satisfaction', 'basically')} AS basically`;
};

/** Where counts come from: place_month_counts as they are, or the category rollup folded by kind. */
function countsSource(category: string | undefined, kinds: RateKinds): [RawBuilder<unknown>, RawBuilder<unknown>] {
  return category ? [sql`appeal_month_rollup`, categoryCountSums(kinds)] : [sql`place_month_counts`, countSums];
}

/**
 * Counts per place of a level, summed over the filter's months; unmatched appeals ('' places)
 * are left out below the district. Without a category it reads place_month_counts, one row per
 * place and month with the rules applied; with one, the category rollup folded by kind.
 */
export async function countsByPlace(db: Db, level: PlaceLevel, filter: RollupFilter, kinds: RateKinds): Promise<PlaceCountsRow[]> {
  const place = placeColumn[level];
  const [table, sums] = countsSource(filter.category, kinds);
  const rows = await sql<PlaceCountsRow>`
    SELECT ${place} AS code, ${sums}
    FROM ${table} WHERE ${where(filter)} AND ${place} <> ''
    GROUP BY 1`.execute(db);
  return rows.rows;
}

/**
 * The counts of every place of a level for each of the given months, as rows of (month, a date;
 * code; the count fields), inside a division and optionally a category.
 */
function placeMonthCounts(
  level: PlaceLevel,
  months: string[],
  within: string,
  category: string | undefined,
  kinds: RateKinds,
): RawBuilder<unknown> {
  const place = placeColumn[level];
  const [table, sums] = countsSource(category, kinds);
  const onCategory = category ? sql`AND (category_code = ${category} OR category_code LIKE ${`${category}.%`})` : sql``;
  const scope = sql`month = ANY(${months}::date[]) AND ${withinDivision(within)} ${onCategory} AND ${place} <> ''`;
  // A community's counts are one row a month already: the city-wide ranking reads them as they are.
  return level === 'community' && !category
    ? sql`SELECT month, community_code AS code, volume, overdue, response_valid AS "responseValid", contacted,
                 resolution_valid AS "resolutionValid", solved, satisfaction_valid AS "satisfactionValid", satisfied, basically
          FROM place_month_counts WHERE ${scope}`
    : sql`SELECT month, ${place} AS code, ${sums} FROM ${table} WHERE ${scope} GROUP BY month, 2`;
}

/** Counts per place of a level and month, for the given months ('YYYY-MM-01'). */
export async function countsByPlaceMonth(
  db: Db,
  level: PlaceLevel,
  months: string[],
  within: string,
  category: string | undefined,
  kinds: RateKinds,
): Promise<PlaceMonthCountsRow[]> {
  // All 7,535 communities of two months are 15,000 rows of eleven columns, which the drivers
  // decode field by field (PGlite's JavaScript protocol parser especially). Packed into one JSON
  // text of arrays (month and code are digits and dashes, the rest integers: nothing to escape),
  // they cost the database a string_agg and this side one JSON.parse.
  const packed = await sql<{ rows: string }>`
    SELECT '[' || coalesce(string_agg(concat('["', to_char(r.month, 'YYYY-MM'), '","', r.code, '",', concat_ws(',', ${sql.raw(countFields.map((f) => `r."${f}"`).join(', '))}), ']'), ','), '') || ']' AS rows
    FROM (${placeMonthCounts(level, months, within, category, kinds)}) AS r`.execute(db);
  return (JSON.parse(packed.rows[0]!.rows) as Array<[string, string, ...number[]]>).map(([month, code, ...n]) => {
    const row = { month, code } as PlaceMonthCountsRow;
    countFields.forEach((field, i) => {
      row[field] = n[i]!;
    });
    return row;
  });
}

/** What a ranking needs of the rules: the figures' formula and who is left out. */
export interface RankingRules {
  basicallySatisfiedFactor: number;
  weights: { response: number; resolution: number; satisfaction: number };
  minValidCallbacks: number;
  kinds: RateKinds;
}

export interface RankingQueryRows {
  /** Places ranked in the month. */
  total: number;
  /** The page, best first: rank, the place's name, its counts, residents, and its value and rank the month before. */
  items: Array<
    PlaceCountsRow & {
      rank: number;
      name: string | null;
      value: number;
      residents: number | null;
      previousValue: number | null;
      previousRank: number | null;
    }
  >;
  /** Places left out of a rate ranking for too few valid callbacks. */
  skipped: Array<{ code: string; name: string | null; validCallbacks: number }>;
}

/**
 * A figure in SQL, from the count columns of a row named c. This is figuresOf (rates.ts) a
 * second time, operation for operation in the same float8 order so that the values agree to the
 * last bit: the ranking sorts in the database and returns only its page. ranking.db.test.ts
 * holds the two against each other for every figure and both orders.
 */
function figureSql(metric: Metric, rules: RankingRules): RawBuilder<unknown> {
  // A rate is present where its valid callbacks are more than none.
  const valid = {
    response: sql.ref('c.responseValid'),
    resolution: sql.ref('c.resolutionValid'),
    satisfaction: sql.ref('c.satisfactionValid'),
  };
  const ratio = (part: RawBuilder<unknown>, rate: keyof typeof valid) =>
    sql`CASE WHEN ${valid[rate]} > 0 THEN ${part} / ${valid[rate]} END`;
  const rate = {
    response: ratio(sql`c.contacted::float8`, 'response'),
    resolution: ratio(sql`c.solved::float8`, 'resolution'),
    satisfaction: ratio(sql`(c.satisfied + ${rules.basicallySatisfiedFactor}::float8 * c.basically)`, 'satisfaction'),
  };
  switch (metric) {
    case 'volume':
      return sql`c.volume::float8`;
    case 'overdue':
      return sql`c.overdue::float8`;
    case 'volumePer10k':
      return sql`CASE WHEN c.residents > 0 THEN (c.volume::float8 * 10000) / c.residents END`;
    case 'responseRate':
      return rate.response;
    case 'resolutionRate':
      return rate.resolution;
    case 'satisfactionRate':
      return rate.satisfaction;
    case 'score': {
      // The weighted mean of the rates present; a rate weighted 0 takes no part, as in figuresOf.
      const present = (['response', 'resolution', 'satisfaction'] as const).filter((r) => rules.weights[r] > 0);
      if (present.length === 0) return sql`NULL::float8`;
      // The weights sum without dividing: the divisions are the costly part, once per rate.
      const weight = sql.join(
        present.map((r) => sql`CASE WHEN ${valid[r]} > 0 THEN ${rules.weights[r]}::float8 ELSE 0::float8 END`),
        sql` + `,
      );
      const weighted = sql.join(
        present.map((r) => sql`coalesce(${rate[r]} * ${rules.weights[r]}::float8, 0::float8)`),
        sql` + `,
      );
      return sql`CASE WHEN (0::float8 + ${weight}) > 0 THEN (100 * (0::float8 + ${weighted})) / (0::float8 + ${weight}) END`;
    }
  }
}

/**
 * Places of a level ranked by a figure in one month, in the database: only the page comes back,
 * with each place's value and rank the month before. Equal values share a rank (1, 2, 2, 4), as
 * published league tables do; among equals the national code order decides who is listed first.
 */
export async function rankPlaces(
  db: Db,
  query: {
    level: PlaceLevel;
    month: string;
    previousMonth: string;
    within: string;
    category: string | undefined;
    metric: Metric;
    order: 'top' | 'bottom';
    limit: number;
  },
  rules: RankingRules,
): Promise<RankingQueryRows> {
  const months = [`${query.month}-01`, `${query.previousMonth}-01`];
  const counts = placeMonthCounts(query.level, months, query.within, query.category, rules.kinds);
  // Per 10,000 residents only where a community's residents are on its profile: looked up for
  // every place only when that is the figure ranked, otherwise for the page alone.
  const residentsOf = (code: RawBuilder<unknown>) =>
    query.level === 'community' ? sql`(SELECT p.residents FROM community_profile p WHERE p.community_code = ${code})` : sql`NULL::int`;
  const residents = query.metric === 'volumePer10k' ? residentsOf(sql`r.code`) : sql`NULL::int`;
  const tooFew = rateMetrics.has(query.metric) ? sql`c.valid < ${rules.minValidCallbacks}` : sql`FALSE`;
  const direction = query.order === 'top' ? sql`DESC` : sql`ASC`;
  const [month, previousMonth] = months as [string, string];
  const result = await sql<{ json: string }>`
    WITH c AS (
      SELECT r.*, ${residents} AS residents, greatest(r."responseValid", r."resolutionValid", r."satisfactionValid") AS valid
      FROM (${counts}) AS r
    ), valued AS (
      -- Narrow rows: what is sorted carries no more than it is sorted by.
      SELECT c.month, c.code, c.valid, ${figureSql(query.metric, rules)} AS value, ${tooFew} AS too_few FROM c
    ), page AS (
      -- The page is the first places in order, a bounded sort; their ranks are exact within it,
      -- since every place ranked before one of them is on the page too.
      SELECT t.code, t.value, rank() OVER (ORDER BY t.value ${direction}) AS rank
      FROM (SELECT v.code, v.value FROM valued v WHERE v.month = ${month}::date AND NOT v.too_few AND v.value IS NOT NULL
            ORDER BY v.value ${direction}, v.code COLLATE "C" LIMIT ${query.limit}) AS t
    ), before AS (
      SELECT v.code, v.value, rank() OVER (ORDER BY v.value ${direction}) AS rank
      FROM valued v WHERE v.month = ${previousMonth}::date AND NOT v.too_few AND v.value IS NOT NULL
    )
    SELECT json_build_object(
      'total', (SELECT count(*) FROM valued v WHERE v.month = ${month}::date AND NOT v.too_few AND v.value IS NOT NULL),
      'items', coalesce((
        SELECT json_agg(json_build_object(
          'rank', page.rank, 'code', page.code, 'name', d.name, 'value', page.value, 'residents', ${residentsOf(sql`page.code`)},
          'previousValue', b.value, 'previousRank', b.rank,
          ${sql.raw(countFields.map((f) => `'${f}', c."${f}"`).join(', '))}) ORDER BY page.rank, page.code COLLATE "C")
        FROM page JOIN c ON c.month = ${month}::date AND c.code = page.code
        LEFT JOIN before b ON b.code = page.code LEFT JOIN division d ON d.code = page.code), '[]'),
      'skipped', coalesce((
        SELECT json_agg(json_build_object('code', v.code, 'name', d.name, 'validCallbacks', v.valid) ORDER BY v.code COLLATE "C")
        FROM valued v LEFT JOIN division d ON d.code = v.code WHERE v.month = ${month}::date AND v.too_few), '[]')
    )::text AS json`.execute(db);
  return JSON.parse(result.rows[0]!.json) as RankingQueryRows;
}

const countFields = [
  'volume',
  'overdue',
  'responseValid',
  'contacted',
  'resolutionValid',
  'solved',
  'satisfactionValid',
  'satisfied',
  'basically',
] as const;

/** A query's rows as one JSON value, parsed here rather than field by field by the driver. */
async function asJson<T>(db: Db, rows: RawBuilder<unknown>, empty: string): Promise<T> {
  const result = await sql<{ json: string | null }>`SELECT json_agg(r)::text AS json FROM (${rows}) AS r`.execute(db);
  return JSON.parse(result.rows[0]?.json ?? empty) as T;
}

/** Division names by code; ANY(array) rather than IN, as a ranking may name all 7,535 communities. */
export async function divisionNames(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await asJson<Array<{ code: string; name: string }>>(
    db,
    sql`SELECT code, name FROM division WHERE code = ANY(${codes}::text[])`,
    '[]',
  );
  return new Map(rows.map((r) => [r.code, r.name]));
}

export type MonthCountsRow = Counts & { month: string };

/**
 * Counts per month ('YYYY-MM') for everything the filter selects, the rules' kinds applied: a
 * trend line. Without a category, from place_month_counts (a city-wide year is 12 × 7,535 rows);
 * with one, from the category rollup.
 */
export async function countsByMonth(db: Db, filter: RollupFilter, kinds: RateKinds): Promise<MonthCountsRow[]> {
  const [table, sums] = countsSource(filter.category, kinds);
  const rows = await sql<MonthCountsRow>`
    SELECT to_char(month, 'YYYY-MM') AS month, ${sums}
    FROM ${table} WHERE ${where(filter)}
    GROUP BY month ORDER BY month`.execute(db);
  return rows.rows;
}

export type CategoryKindRow = KindCounts & { category: string };

/** Counts per top-level category (or per category directly under `filter.category`). */
export async function countsByCategory(db: Db, filter: RollupFilter): Promise<CategoryKindRow[]> {
  const depth = filter.category ? filter.category.split('.').length + 1 : 1;
  const rows = await sql<CategoryKindRow>`
    SELECT array_to_string((string_to_array(category_code, '.'))[1:${depth}], '.') AS category, kind, ${sums}
    FROM appeal_month_rollup WHERE ${where(filter)}
    GROUP BY 1, kind`.execute(db);
  return rows.rows;
}

export interface KeyCommunityRow {
  code: string;
  appearances: number;
  /** Rank and volume in the last period, null when it was not on the list then. */
  rank_now: number | null;
  volume_now: number;
  volume_total: number;
}

/**
 * Each period's top N communities by volume, and how many of the periods in the window each was
 * on that list. Ties share a rank, as on the city's own lists.
 */
export async function keyCommunities(db: Db, filter: RollupFilter, topN: number): Promise<KeyCommunityRow[]> {
  const rows = await sql<KeyCommunityRow>`
    WITH monthly AS (
      -- One row per community and month already: no grouping over categories or kinds.
      SELECT month, community_code, volume
      FROM place_month_counts WHERE ${where(filter)} AND community_code <> ''
    ), ranked AS (
      SELECT *, rank() OVER (PARTITION BY month ORDER BY volume DESC) AS r FROM monthly
    )
    SELECT community_code AS code,
           count(*) FILTER (WHERE r <= ${topN})::int AS appearances,
           min(r) FILTER (WHERE month = ${filter.to}::date AND r <= ${topN})::int AS rank_now,
           coalesce(sum(volume) FILTER (WHERE month = ${filter.to}::date), 0)::int AS volume_now,
           sum(volume)::int AS volume_total
    FROM ranked GROUP BY community_code
    HAVING count(*) FILTER (WHERE r <= ${topN}) > 0
    ORDER BY appearances DESC, rank_now NULLS LAST, volume_total DESC`.execute(db);
  return rows.rows;
}

export interface CategoryMonthsRow {
  category: string;
  months: number;
  volume: number;
  communities: number;
}

/** Per top-level category: in how many months it came up, its volume, in how many communities. */
export async function categoryRecurrence(db: Db, filter: RollupFilter): Promise<CategoryMonthsRow[]> {
  const rows = await sql<CategoryMonthsRow>`
    SELECT split_part(category_code, '.', 1) AS category,
           count(DISTINCT month) FILTER (WHERE volume > 0)::int AS months,
           sum(volume)::int AS volume,
           count(DISTINCT community_code) FILTER (WHERE volume > 0 AND community_code <> '')::int AS communities
    FROM appeal_month_rollup WHERE ${where(filter)}
    GROUP BY 1 HAVING sum(volume) > 0
    ORDER BY volume DESC`.execute(db);
  return rows.rows;
}

/** Residents of the communities under a division that have them on their profile. */
export async function residentsOf(db: Db, within: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('community_profile')
    .select(['community_code', 'residents'])
    .where('community_code', 'like', `${within}%`)
    .where('residents', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.community_code, r.residents!]));
}

export async function loadConfig(db: Db): Promise<unknown> {
  const row = await db.selectFrom('evaluation_config').select('config').where('id', '=', 1).executeTakeFirst();
  return row?.config;
}

export async function saveConfig(db: Db, config: unknown, actor: string): Promise<void> {
  await db
    .insertInto('evaluation_config')
    .values({ id: 1, config: JSON.stringify(config), updated_by: actor })
    .onConflict((oc) => oc.column('id').doUpdateSet({ config: JSON.stringify(config), updated_by: actor, updated_at: sql<Date>`now()` }))
    .execute();
}

export type GroupKindRow = KindCounts & { code: string };

/**
 * Counts straight from the appeals of a time window (a day has no rollup): volume by received
 * time, callbacks by the latest callback's time, grouped by `group` and kind.
 */
export async function countsInWindow(
  db: Db,
  window: { start: Date; end: Date; within: string },
  group: 'street' | 'district' | 'community' | 'category' | 'all',
): Promise<GroupKindRow[]> {
  const key = {
    street: sql`coalesce(a.street_code, '')`,
    district: sql`a.district_code`,
    community: sql`coalesce(a.community_code, '')`,
    category: sql`split_part(a.category_code, '.', 1)`,
    all: sql`''`,
  }[group];
  const place = sql`coalesce(a.community_code, a.street_code, a.district_code) LIKE ${`${window.within}%`}`;
  const rows = await sql<GroupKindRow>`
    SELECT code, kind, sum(volume)::int AS volume, sum(overdue)::int AS overdue, sum(callbacks)::int AS callbacks,
           sum(contacted)::int AS contacted, sum(solved)::int AS solved, sum(satisfied)::int AS satisfied, sum(basically)::int AS basically
    FROM (
      SELECT ${key} AS code, a.kind, 1 AS volume,
             CASE WHEN coalesce(a.responded_at, now()) > a.response_due_at OR coalesce(a.handled_at, now()) > a.handling_due_at THEN 1 ELSE 0 END AS overdue,
             0 AS callbacks, 0 AS contacted, 0 AS solved, 0 AS satisfied, 0 AS basically
      FROM appeal a WHERE a.received_at >= ${window.start} AND a.received_at < ${window.end} AND ${place}
      UNION ALL
      SELECT ${key}, a.kind, 0, 0, 1,
             CASE WHEN a.contacted THEN 1 ELSE 0 END, CASE WHEN a.solved THEN 1 ELSE 0 END,
             CASE WHEN a.satisfaction = 'satisfied' THEN 1 ELSE 0 END, CASE WHEN a.satisfaction = 'basically' THEN 1 ELSE 0 END
      FROM appeal a WHERE a.last_callback_at >= ${window.start} AND a.last_callback_at < ${window.end} AND ${place}
    ) AS parts
    GROUP BY code, kind`.execute(db);
  return rows.rows;
}

export async function categoryNames(db: Db): Promise<Map<string, { zh: string; en: string }>> {
  const rows = await db.selectFrom('appeal_category').select(['code', 'name_zh', 'name_en']).execute();
  return new Map(rows.map((r) => [r.code, { zh: r.name_zh, en: r.name_en }]));
}

/**
 * The latest month, up to `until` ('YYYY-MM-01'), in which appeals were received at or under a
 * division. max() over the month-leading key of place_month_counts walks back from the newest
 * month and stops at the first row that matches: it reads a few index entries, not the appeals.
 */
export async function latestVolumeMonth(db: Db, within: string, until: string): Promise<string | null> {
  const rows = await sql<{ month: string | null }>`
    SELECT to_char(max(month), 'YYYY-MM') AS month
    FROM place_month_counts
    WHERE ${withinDivision(within)} AND month <= ${until}::date AND volume > 0`.execute(db);
  return rows.rows[0]?.month ?? null;
}

/**
 * The latest day (Asia/Shanghai) of a period on which appeals were received at or under a
 * division, not after `now`: the top entry of the division's (…, received_at DESC) index.
 */
export async function latestReceivedDay(db: Db, within: string, period: { start: string; end: string }, now: Date): Promise<string | null> {
  const rows = await sql<{ day: string | null }>`
    SELECT to_char(max(received_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day
    FROM appeal
    WHERE ${withinDivision(within)}
      AND received_at >= ${period.start}::timestamptz
      AND received_at < ${period.end}::timestamptz
      AND received_at <= ${now.toISOString()}::timestamptz`.execute(db);
  return rows.rows[0]?.day ?? null;
}
