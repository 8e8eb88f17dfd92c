// Typed client for /api/v1/evaluation/… (the server's src/domains/evaluation/schemas.ts).
// Rates are fractions 0–1 and null where nothing was evaluated on them; the score is 0–100.
import { request } from '../../api.ts';

export type PlaceLevel = 'community' | 'street' | 'district' | 'city';

/** The figures the ranking offers, in the order the selector lists them. */
export const RANKING_METRICS = ['score', 'resolutionRate', 'satisfactionRate', 'responseRate', 'volume', 'volumePer10k'] as const;
export type Metric = (typeof RANKING_METRICS)[number];
export const RATE_METRICS: ReadonlySet<Metric> = new Set(['score', 'resolutionRate', 'satisfactionRate', 'responseRate']);

export interface Figures {
  volume: number;
  overdue: number;
  responseValid: number;
  contacted: number;
  resolutionValid: number;
  solved: number;
  satisfactionValid: number;
  satisfied: number;
  basically: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  score: number | null;
  volumePer10k: number | null;
}

export interface PlaceFigures extends Figures {
  code: string;
  name: string;
}

export interface MonthFigures extends Figures {
  month: string;
}

export interface CategoryFigures extends Figures {
  /** A top-level category code, e.g. "parking". */
  category: string;
}

export interface RankedPlace {
  rank: number;
  code: string;
  name: string;
  value: number;
  previousValue: number | null;
  change: number | null;
  previousRank: number | null;
  validCallbacks: number;
  figures: Figures;
}

export interface Ranking {
  month: string;
  metric: string;
  order: string;
  /** How many places were ranked (before the limit). */
  total: number;
  minValidCallbacks: number;
  skipped: Array<{ code: string; name: string; validCallbacks: number }>;
  items: RankedPlace[];
}

export interface KeyCommunity {
  code: string;
  name: string;
  /** In how many of the window's periods it was on the top-N list. */
  appearances: number;
  rankNow: number | null;
  volumeNow: number;
  volumeTotal: number;
  /** Over the whole window. */
  figures: Figures;
  candidate: boolean;
}

export interface KeyCommunityList {
  month: string;
  from: string;
  topN: number;
  periods: number;
  minAppearances: number;
  areaResolutionRate: number | null;
  items: KeyCommunity[];
}

export interface Hotspot {
  category: string;
  months: number;
  volume: number;
  communities: number;
  recurring: boolean;
}

export interface Hotspots {
  from: string;
  month: string;
  items: Hotspot[];
}

export interface ReportLine {
  code: string;
  nameZh: string;
  nameEn: string;
  figures: Figures;
}

export type ReportKind = 'monthly' | 'daily';

export interface Report {
  kind: ReportKind;
  /** 'YYYY-MM' or 'YYYY-MM-DD'. */
  period: string;
  previousPeriod: string;
  /** In Chinese, as the office circulates it: "丰台区2023年2月接诉即办月报". */
  title: string;
  place: { code: string; name: string };
  current: Figures;
  previous: Figures;
  change: { volume: number; responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null; score: number | null };
  topCategories: ReportLine[];
  childLevel: 'district' | 'street' | 'community';
  best: ReportLine[];
  worst: ReportLine[];
  skipped: number;
  minValidCallbacks: number;
}

/** Where the data ends in a division: the month and day the pages open on. */
export interface LatestData {
  within: string;
  /** 'YYYY-MM', null when no appeal was ever received there. */
  month: string | null;
  /** 'YYYY-MM-DD' in Beijing time, the last day of `month` with appeals received. */
  day: string | null;
  /** The assessment period under way, when appeals came in during it: shown as in progress, not opened on. */
  inProgress: string | null;
}

/** The part of the evaluation rules the pages state. */
export interface EvaluationRules {
  basicallySatisfiedFactor: number;
  minValidCallbacks: number;
  keyCommunityTopN: number;
  keyCommunityLookback: number;
  /** The day assessment periods start on; 1 (or absent) for calendar months. */
  periodStartDay?: number;
}

export interface AppealCategory {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  sort: number;
}

function qs(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

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
  figures: (q: { level: PlaceLevel; month: string; within?: string; category?: string }, signal?: AbortSignal) =>
    request<PlaceFigures[]>('GET', `${base}/figures${qs(q)}`, undefined, signal),

  ranking: (
    q: { level: PlaceLevel; month: string; within?: string; metric: Metric; order: 'top' | 'bottom'; limit: number },
    signal?: AbortSignal,
  ) => request<Ranking>('GET', `${base}/ranking${qs(q)}`, undefined, signal),

  trend: (q: { code: string; from: string; to: string; category?: string }, signal?: AbortSignal) =>
    request<MonthFigures[]>('GET', `${base}/trend${qs(q)}`, undefined, signal),

  categories: (q: { within?: string; from: string; to: string; category?: string }, signal?: AbortSignal) =>
    request<CategoryFigures[]>('GET', `${base}/categories${qs(q)}`, undefined, signal),

  keyCommunities: (q: { month: string; within?: string; topN?: number; periods?: number }, signal?: AbortSignal) =>
    request<KeyCommunityList>('GET', `${base}/key-communities${qs(q)}`, undefined, signal),

  hotspots: (q: { month: string; code?: string; periods?: number }, signal?: AbortSignal) =>
    request<Hotspots>('GET', `${base}/hotspots${qs(q)}`, undefined, signal),

  report: (kind: ReportKind, q: ReportQuery, signal?: AbortSignal) =>
    request<Report>('GET', `${base}/reports/${kind}${reportParams(kind, q)}`, undefined, signal),

  /** The key-community list as Excel or CSV: a plain link, downloaded with the session cookie. */
  keyCommunitiesFileUrl: (format: 'xlsx' | 'csv', q: { month: string; within?: string; topN?: number }) => `${base}/key-communities.${format}${qs(q)}`,

  /** A plain link: the browser downloads the workbook with its session cookie. */
  reportExcelUrl: (kind: ReportKind, q: ReportQuery) => `${base}/reports/${kind}.xlsx${reportParams(kind, q)}`,

  latest: (q: { within?: string }, signal?: AbortSignal) => request<LatestData>('GET', `${base}/latest${qs(q)}`, undefined, signal),

  config: (signal?: AbortSignal) => request<EvaluationRules>('GET', `${base}/config`, undefined, signal),

  appealCategories: (signal?: AbortSignal) =>
    request<{ items: AppealCategory[]; total: number }>('GET', '/api/v1/appeal-categories', undefined, signal),
};
