// Typed client for /api/v1/evaluation/…; the types are the server's (src/domains/evaluation/schemas.ts).
// Rates are fractions 0–1 and null where nothing was evaluated on them; the score is 0–100.
import type {
  CategoriesInput,
  CategoryFigures,
  EvaluationConfig,
  FiguresInput,
  HotspotsInput,
  KeyCommunitiesInput,
  LatestInput,
  RankingInput,
  TrendInput,
  Hotspots,
  KeyCommunityList,
  LatestData,
  Metric as ServerMetric,
  MonthFigures,
  PlaceFigures,
  Ranking,
  ReportKind,
  TitledReport,
} from '@server/domains/evaluation/schemas.ts';
import { query as qs, request } from '../../api.ts';

export type {
  CategoryFigures,
  Figures,
  Hotspot,
  Hotspots,
  KeyCommunity,
  KeyCommunityList,
  LatestData,
  MonthFigures,
  PlaceFigures,
  PlaceLevel,
  RankedPlace,
  Ranking,
  ReportKind,
  ReportLine,
} from '@server/domains/evaluation/schemas.ts';
export type Report = TitledReport;
/** The part of the evaluation rules the pages state. */
export type EvaluationRules = EvaluationConfig;

/** The figures the ranking offers, in the order the selector lists them (not the overdue count). */
export const RANKING_METRICS = [
  'score',
  'resolutionRate',
  'satisfactionRate',
  'responseRate',
  'volume',
  'volumePer10k',
] as const satisfies readonly ServerMetric[];
export type Metric = (typeof RANKING_METRICS)[number];
export const RATE_METRICS: ReadonlySet<Metric> = new Set(['score', 'resolutionRate', 'satisfactionRate', 'responseRate']);

const base = '/api/v1/evaluation';

export interface ReportQuery {
  /** 'YYYY-MM' for a monthly report, 'YYYY-MM-DD' for a daily one. */
  period: string;
  within?: string;
  /** The workbook's language; Chinese when left out. */
  lang?: 'zh' | 'en';
}

const reportParams = (kind: ReportKind, q: ReportQuery) =>
  qs(kind === 'monthly' ? { month: q.period, within: q.within, lang: q.lang } : { date: q.period, within: q.within, lang: q.lang });

export const evaluationApi = {
  figures: (q: FiguresInput, signal?: AbortSignal) => request<PlaceFigures[]>('GET', `${base}/figures${qs(q)}`, undefined, signal),

  ranking: (q: RankingInput, signal?: AbortSignal) => request<Ranking>('GET', `${base}/ranking${qs(q)}`, undefined, signal),

  trend: (q: TrendInput, signal?: AbortSignal) => request<MonthFigures[]>('GET', `${base}/trend${qs(q)}`, undefined, signal),

  categories: (q: CategoriesInput, signal?: AbortSignal) =>
    request<CategoryFigures[]>('GET', `${base}/categories${qs(q)}`, undefined, signal),

  keyCommunities: (q: KeyCommunitiesInput, signal?: AbortSignal) =>
    request<KeyCommunityList>('GET', `${base}/key-communities${qs(q)}`, undefined, signal),

  hotspots: (q: HotspotsInput, signal?: AbortSignal) => request<Hotspots>('GET', `${base}/hotspots${qs(q)}`, undefined, signal),

  report: (kind: ReportKind, q: ReportQuery, signal?: AbortSignal) =>
    request<Report>('GET', `${base}/reports/${kind}${reportParams(kind, q)}`, undefined, signal),

  /** The key-community list as Excel or CSV: a plain link, downloaded with the session cookie. */
  keyCommunitiesFileUrl: (format: 'xlsx' | 'csv', q: KeyCommunitiesInput) => `${base}/key-communities.${format}${qs(q)}`,

  /** A plain link: the browser downloads the workbook with its session cookie. */
  reportExcelUrl: (kind: ReportKind, q: ReportQuery) => `${base}/reports/${kind}.xlsx${reportParams(kind, q)}`,

  latest: (q: LatestInput, signal?: AbortSignal) => request<LatestData>('GET', `${base}/latest${qs(q)}`, undefined, signal),

  config: (signal?: AbortSignal) => request<EvaluationRules>('GET', `${base}/config`, undefined, signal),
};
