import { Empty, Spin, theme } from 'antd';
import { useMemo } from 'react';
import { useI18n, type Lang } from '../../i18n.tsx';
import type { CategoryFigures, MonthFigures } from './api.ts';
import { EChart, type ChartOption } from './EChart.tsx';
import { monthLabel } from './months.ts';
import { formatNumber, formatRate } from './numbers.ts';

// The three rates keep one colour each across the pages.
export const RATE_COLORS = { response: '#1677ff', resolution: '#52c41a', satisfaction: '#fa8c16' } as const;
const VOLUME_COLOR = '#bfcbd9';

interface TooltipItem {
  dataIndex: number;
  seriesName: string;
  marker: string;
  value: number | null;
  seriesIndex: number;
}

/**
 * A month's tooltip on a trend of volume and rates: the month, then each series' value, the volume
 * (series 0) as a count and the rates as percentages. `month` is the one pointed at.
 */
export function trendTooltip(raw: unknown, months: readonly { month: string }[], lang: Lang): { month: string; lines: string[] } {
  const items = raw as TooltipItem[];
  const month = months[items[0]?.dataIndex ?? 0]?.month ?? '';
  const rows = items.map((i) => {
    const text = i.seriesIndex === 0 ? formatNumber(i.value, lang) : formatRate(i.value, lang);
    return `${i.marker}${i.seriesName}&nbsp;&nbsp;<b>${text}</b>`;
  });
  return { month, lines: [`<b>${monthLabel(month, lang)}</b>`, ...rows] };
}

/** Months ('YYYY-MM') along the x axis, short: 23/6 in Chinese, 23/06 in English. */
export function monthAxis(months: string[], lang: Lang) {
  return {
    type: 'category' as const,
    data: months,
    axisLabel: {
      formatter: (value: string) => (lang === 'zh' ? `${value.slice(2, 4)}/${Number(value.slice(5))}` : value.slice(2).replace('-', '/')),
    },
  };
}

/** The volume's axis on the right (y axis 0) and the rates' on the left (y axis 1), for a trend of both. */
export function volumeAndRateAxes(volumeName: string, rateName: string, lang: Lang) {
  return [
    {
      type: 'value' as const,
      name: volumeName,
      position: 'right' as const,
      splitLine: { show: false },
      axisLabel: { formatter: (v: number) => formatNumber(v, lang) },
    },
    {
      type: 'value' as const,
      name: rateName,
      position: 'left' as const,
      // Rates near 100% would be a flat line on a 0–100% axis: start the axis near the data.
      scale: true,
      max: 1,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
  ];
}

/** The three rates as lines and the volume as bars, month by month. */
export function TrendChart({ months, loading, height = 320 }: { months: MonthFigures[] | null; loading: boolean; height?: number }) {
  const { t, lang } = useI18n();
  const { token } = theme.useToken();

  const option = useMemo<ChartOption | null>(() => {
    if (!months) return null;
    const rate = (pick: (m: MonthFigures) => number | null) => months.map((m) => pick(m));
    const lines = [
      { name: t('eval.metric.responseRate'), data: rate((m) => m.responseRate), color: RATE_COLORS.response },
      { name: t('eval.metric.resolutionRate'), data: rate((m) => m.resolutionRate), color: RATE_COLORS.resolution },
      { name: t('eval.metric.satisfactionRate'), data: rate((m) => m.satisfactionRate), color: RATE_COLORS.satisfaction },
    ];
    return {
      grid: { left: 56, right: 56, top: 40, bottom: 28 },
      legend: { top: 0, textStyle: { color: token.colorText } },
      tooltip: {
        trigger: 'axis',
        formatter: (raw: unknown) => trendTooltip(raw, months, lang).lines.join('<br/>'),
      },
      xAxis: monthAxis(
        months.map((m) => m.month),
        lang,
      ),
      yAxis: volumeAndRateAxes(t('eval.chart.volumeAxis'), t('eval.chart.rateAxis'), lang),
      series: [
        {
          type: 'bar',
          name: t('eval.metric.volume'),
          yAxisIndex: 0,
          data: months.map((m) => m.volume),
          itemStyle: { color: VOLUME_COLOR },
          barMaxWidth: 28,
        },
        ...lines.map((l) => ({
          type: 'line' as const,
          name: l.name,
          yAxisIndex: 1,
          data: l.data,
          connectNulls: false,
          symbolSize: 6,
          showAllSymbol: true,
          itemStyle: { color: l.color },
          lineStyle: { color: l.color, width: 2 },
        })),
      ],
    };
  }, [months, t, lang, token.colorText]);

  if (loading || !option) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (months?.every((m) => m.volume === 0 && m.responseValid === 0)) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('eval.trend.empty')} style={{ height: height - 40 }} />;
  }
  return <EChart option={option} height={height} ariaLabel={t('eval.trend.title')} data-testid="trend-chart" />;
}

/** Volume by category, the largest first, as horizontal bars; the tooltip adds the resolution rate. */
export function CategoryChart({
  categories,
  nameOf,
  loading,
  emptyText,
  limit = 10,
  height = 320,
}: {
  categories: CategoryFigures[] | null;
  nameOf: (code: string) => string;
  loading: boolean;
  emptyText: string;
  limit?: number;
  height?: number;
}) {
  const { t, lang } = useI18n();
  const shown = useMemo(() => (categories ?? []).filter((c) => c.volume > 0).slice(0, limit), [categories, limit]);

  const option = useMemo<ChartOption>(() => {
    // ECharts draws the first category at the bottom: reverse so the largest is on top.
    const rows = [...shown].reverse();
    return {
      grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (raw: unknown) => {
          const index = (raw as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0;
          const c = rows[index];
          if (!c) return '';
          return [
            `<b>${nameOf(c.category)}</b>`,
            `${t('eval.metric.volume')}&nbsp;&nbsp;<b>${formatNumber(c.volume, lang)}</b>`,
            `${t('eval.metric.resolutionRate')}&nbsp;&nbsp;<b>${formatRate(c.resolutionRate, lang)}</b>`,
            `${t('eval.metric.satisfactionRate')}&nbsp;&nbsp;<b>${formatRate(c.satisfactionRate, lang)}</b>`,
          ].join('<br/>');
        },
      },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatNumber(v, lang) } },
      yAxis: { type: 'category', data: rows.map((c) => nameOf(c.category)), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          name: t('eval.metric.volume'),
          data: rows.map((c) => c.volume),
          itemStyle: { color: '#5b8ff9', borderRadius: [0, 3, 3, 0] },
          barMaxWidth: 22,
          label: { show: true, position: 'right', formatter: (p: { value: unknown }) => formatNumber(Number(p.value), lang) },
        },
      ],
    };
  }, [shown, nameOf, t, lang]);

  if (loading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (shown.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} style={{ height: height - 40 }} />;
  // A few categories get bars of the usual thickness, not the whole box.
  const fitted = Math.min(height, Math.max(160, 48 + 30 * shown.length));
  return <EChart option={option} height={fitted} ariaLabel={t('eval.categories.title')} data-testid="category-chart" />;
}
