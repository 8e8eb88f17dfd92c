// How the evaluation pages write their figures: rates as "97.30%", changes of rates in percentage
// points, scores with two decimals, counts with the locale's grouping. A missing figure is "—".
import type { Lang, TFunction } from '../../i18n.tsx';
import type { Metric } from './api.ts';

const locales = { zh: 'zh-CN', en: 'en-US' } as const;

const percentFormats = {
  zh: new Intl.NumberFormat(locales.zh, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat(locales.en, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};
const decimalFormats = {
  zh: new Intl.NumberFormat(locales.zh, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat(locales.en, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};
const oneDecimalFormats = {
  zh: new Intl.NumberFormat(locales.zh, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat(locales.en, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
};
const countFormats = {
  zh: new Intl.NumberFormat(locales.zh),
  en: new Intl.NumberFormat(locales.en),
};

export const NONE = '—';

export function formatRate(rate: number | null | undefined, lang: Lang): string {
  return rate === null || rate === undefined ? NONE : percentFormats[lang].format(rate);
}

export function formatScore(score: number | null | undefined, lang: Lang): string {
  return score === null || score === undefined ? NONE : decimalFormats[lang].format(score);
}

export function formatNumber(n: number | null | undefined, lang: Lang): string {
  return n === null || n === undefined ? NONE : countFormats[lang].format(n);
}

/** A signed number: "+1.25", "−0.40", "0.00". */
function signed(text: string, value: number): string {
  if (value > 0) return `+${text}`;
  if (value < 0) return `−${text.replace(/^-/, '')}`;
  return text;
}

/** A change of a rate in percentage points: "+1.25 个百分点" / "+1.25 pp". */
export function formatPoints(change: number | null | undefined, lang: Lang, t: TFunction): string {
  if (change === null || change === undefined) return NONE;
  const points = Math.round(change * 10_000) / 100;
  return t('eval.points', { n: signed(decimalFormats[lang].format(points), points) });
}

export function formatCountChange(change: number | null | undefined, lang: Lang): string {
  if (change === null || change === undefined) return NONE;
  return signed(countFormats[lang].format(change), change);
}

export function formatScoreChange(change: number | null | undefined, lang: Lang): string {
  if (change === null || change === undefined) return NONE;
  const rounded = Math.round(change * 100) / 100;
  return signed(decimalFormats[lang].format(rounded), rounded);
}

export function formatMetric(metric: Metric, value: number | null | undefined, lang: Lang): string {
  switch (metric) {
    case 'score':
      return formatScore(value, lang);
    case 'volume':
      return formatNumber(value, lang);
    case 'volumePer10k':
      return value === null || value === undefined ? NONE : oneDecimalFormats[lang].format(value);
    default:
      return formatRate(value, lang);
  }
}

export function formatMetricChange(metric: Metric, change: number | null | undefined, lang: Lang, t: TFunction): string {
  switch (metric) {
    case 'score':
      return formatScoreChange(change, lang);
    case 'volume':
      return formatCountChange(change, lang);
    case 'volumePer10k':
      if (change === null || change === undefined) return NONE;
      return signed(oneDecimalFormats[lang].format(Math.round(change * 10) / 10), Math.round(change * 10) / 10);
    default:
      return formatPoints(change, lang, t);
  }
}

/** A change rounded to the precision it is shown in, so that what prints as 0.00 counts as none. */
export function shownChange(metric: Metric, change: number): number {
  switch (metric) {
    case 'volume':
      return Math.round(change);
    case 'volumePer10k':
      return Math.round(change * 10) / 10;
    case 'score':
      return Math.round(change * 100) / 100;
    default:
      return Math.round(change * 10_000) / 10_000;
  }
}

/**
 * Whether a change is good news: higher rates and scores are, and so is less volume (fewer
 * complaints is what proactive governance aims at). A change that rounds to nothing is neither.
 */
export function changeTone(metric: Metric, change: number | null | undefined): 'good' | 'bad' | 'flat' {
  if (change === null || change === undefined) return 'flat';
  const shown = shownChange(metric, change);
  if (shown === 0) return 'flat';
  const lessIsBetter = metric === 'volume' || metric === 'volumePer10k';
  return shown > 0 !== lessIsBetter ? 'good' : 'bad';
}
