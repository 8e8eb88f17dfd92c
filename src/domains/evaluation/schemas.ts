import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';
import { EvaluationConfigSchema, type EvaluationConfig } from './config.ts';
import { FiguresSchema, metrics, type Figures, type Metric } from './rates.ts';

const Month = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}$', format: 'month', description, examples: ['2022-06'] });
const Code = (description: string) => Type.String({ pattern: '^\\d{2,12}$', description });
const Rate = Nullable(Type.Number());

export const LevelSchema = Type.Union([Type.Literal('community'), Type.Literal('street'), Type.Literal('district'), Type.Literal('city')]);
export type PlaceLevel = Static<typeof LevelSchema>;
const MetricSchema = Type.Union(metrics.map((m) => Type.Literal(m)));
const OrderSchema = Type.Union([Type.Literal('top'), Type.Literal('bottom')]);
export type { Metric };

export { FiguresSchema, type Figures };

export const FiguresQuery = Type.Object({
  level: LevelSchema,
  month: Month('考核月份 / month'),
  within: Type.Optional(Code('只看此区划之内 / only within this division')),
  category: Type.Optional(Type.String({ description: '诉求类别（含下级）/ category and its children' })),
});
export type FiguresInput = Static<typeof FiguresQuery>;

export const PlaceFiguresSchema = Type.Intersect([Type.Object({ code: Type.String(), name: Type.String() }), Type.Ref(FiguresSchema)]);
export type PlaceFigures = Static<typeof PlaceFiguresSchema>;
export const MonthFiguresSchema = Type.Intersect([Type.Object({ month: Type.String() }), Type.Ref(FiguresSchema)]);
export type MonthFigures = Static<typeof MonthFiguresSchema>;
export const CategoryFiguresSchema = Type.Intersect([
  Type.Object({ category: Type.String({ description: '一级分类代码 / top-level category code' }) }),
  Type.Ref(FiguresSchema),
]);
export type CategoryFigures = Static<typeof CategoryFiguresSchema>;

export const RankingQuery = Type.Object({
  ...FiguresQuery.properties,
  metric: Type.Union(
    metrics.map((m) => Type.Literal(m)),
    { default: 'score' },
  ),
  /** 'top' lists the highest values first, 'bottom' the lowest. */
  order: Type.Union([Type.Literal('top'), Type.Literal('bottom')], { default: 'top' }),
  limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 10 }),
});
export type RankingInput = Static<typeof RankingQuery>;

export const RankingSchema = Type.Object({
  month: Type.String(),
  metric: MetricSchema,
  order: OrderSchema,
  total: Type.Integer(),
  minValidCallbacks: Type.Integer(),
  skipped: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), validCallbacks: Type.Integer() })),
  items: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      value: Type.Number(),
      previousValue: Rate,
      change: Rate,
      previousRank: Nullable(Type.Integer()),
      validCallbacks: Type.Integer(),
      figures: Type.Ref(FiguresSchema),
    }),
  ),
});
export type Ranking = Static<typeof RankingSchema>;
export type RankedPlace = Ranking['items'][number];

export const TrendQuery = Type.Object({
  code: Code('区划代码 / division code'),
  from: Month('起始月份 / first month'),
  to: Month('截止月份 / last month'),
  category: Type.Optional(Type.String()),
});
export type TrendInput = Static<typeof TrendQuery>;

export const CategoriesQuery = Type.Object({
  within: Type.Optional(Code('区划 / division')),
  from: Month('起始月份 / first month'),
  to: Month('截止月份 / last month'),
  category: Type.Optional(Type.String()),
});
export type CategoriesInput = Static<typeof CategoriesQuery>;

export const KeyCommunitiesQuery = Type.Object({
  month: Month('最近一期 / the latest period'),
  within: Type.Optional(Code('全市或某区 / city or a district')),
  topN: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  periods: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  minAppearances: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
});
export type KeyCommunitiesInput = Static<typeof KeyCommunitiesQuery>;

export const KeyCommunityListSchema = Type.Object({
  month: Type.String(),
  from: Type.String(),
  topN: Type.Integer(),
  periods: Type.Integer(),
  minAppearances: Type.Integer(),
  areaResolutionRate: Rate,
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      appearances: Type.Integer(),
      rankNow: Nullable(Type.Integer()),
      volumeNow: Type.Integer(),
      volumeTotal: Type.Integer(),
      figures: Type.Ref(FiguresSchema),
      candidate: Type.Boolean(),
    }),
  ),
});
export type KeyCommunityList = Static<typeof KeyCommunityListSchema>;
export type KeyCommunity = KeyCommunityList['items'][number];

export const HotspotsQuery = Type.Object({
  month: Month('最近一期 / the latest period'),
  code: Type.Optional(Code('社区、街道、区或全市 / community, street, district or city')),
  periods: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
});
export type HotspotsInput = Static<typeof HotspotsQuery>;

export const HotspotsSchema = Type.Object({
  from: Type.String(),
  month: Type.String(),
  items: Type.Array(
    Type.Object({
      category: Type.String(),
      months: Type.Integer(),
      volume: Type.Integer(),
      communities: Type.Integer(),
      recurring: Type.Boolean(),
    }),
  ),
});
export type Hotspots = Static<typeof HotspotsSchema>;
export type Hotspot = Hotspots['items'][number];

export const LatestQuery = Type.Object({
  within: Type.Optional(Code('区划（默认为本人管辖范围）/ division, the viewer’s scope by default')),
});
export type LatestInput = Static<typeof LatestQuery>;

export const LatestSchema = Type.Object({
  within: Type.String({ description: '区划代码 / division code' }),
  month: Nullable(
    Type.String({
      description:
        '最近一个已结束、有诉求受理的考核期（无则为进行中的一期）/ latest complete assessment period with appeals received (the one under way when there is none)',
      examples: ['2023-12'],
    }),
  ),
  day: Nullable(
    Type.String({
      description: '该月最近有诉求受理的日期（北京时间）/ latest day of that month with appeals received, Beijing time',
      examples: ['2023-12-31'],
    }),
  ),
  inProgress: Nullable(
    Type.String({
      description: '正在进行、已有诉求的考核期（不作默认期）/ the assessment period under way, when it has appeals (never the default)',
      examples: ['2026-12'],
    }),
  ),
});

export type LatestData = Static<typeof LatestSchema>;

export { EvaluationConfigSchema, type EvaluationConfig };

const ReportLineSchema = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  figures: Type.Ref(FiguresSchema),
});
export type ReportLine = Static<typeof ReportLineSchema>;

export const ReportSchema = Type.Object({
  kind: Type.Union([Type.Literal('daily'), Type.Literal('monthly')]),
  period: Type.String(),
  previousPeriod: Type.String(),
  title: Type.String(),
  place: Type.Object({ code: Type.String(), name: Type.String() }),
  current: Type.Ref(FiguresSchema),
  previous: Type.Ref(FiguresSchema),
  change: Type.Object({ volume: Type.Integer(), responseRate: Rate, resolutionRate: Rate, satisfactionRate: Rate, score: Rate }),
  topCategories: Type.Array(ReportLineSchema),
  childLevel: Type.Union([Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]),
  best: Type.Array(ReportLineSchema),
  worst: Type.Array(ReportLineSchema),
  skipped: Type.Integer(),
  minValidCallbacks: Type.Integer(),
  basicallySatisfiedFactor: Type.Number(),
  periodStartDay: Type.Integer(),
});
/** A report as the route answers it: the service's report with its title in the asked language. */
export type TitledReport = Static<typeof ReportSchema>;
export type ReportKind = TitledReport['kind'];

const ReportLang = Type.Union([Type.Literal('zh'), Type.Literal('en')], {
  description: '报告语言，默认中文 / the report’s language, Chinese by default',
});
export const MonthlyReportQuery = Type.Object({
  month: Month('月份 / month'),
  within: Type.Optional(Code('区划 / division')),
  lang: Type.Optional(ReportLang),
});
export const DailyReportQuery = Type.Object({
  lang: Type.Optional(ReportLang),
  date: Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    format: 'date',
    description: '日期（北京时间）/ date in Beijing time',
    examples: ['2023-02-15'],
  }),
  within: Type.Optional(Code('区划 / division')),
});
