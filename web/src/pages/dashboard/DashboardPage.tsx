import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Row,
  Select,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
  theme,
  type TableColumnsType,
} from 'antd';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useI18n, type TKey } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { monthAxis, RATE_COLORS, trendTooltip, volumeAndRateAxes } from '../evaluation/Charts.tsx';
import { useRemote } from '../evaluation/data.ts';
import { EChart, type ChartOption } from '../evaluation/EChart.tsx';
import { MonthPicker } from '../evaluation/MonthPicker.tsx';
import { dayLabel, isMonth, monthLabel } from '../evaluation/months.ts';
import { formatNumber, formatRate } from '../evaluation/numbers.ts';
import { dashboardApi, type DashboardMark, type DistrictDashboard } from './api.ts';

const BATCH_COLOR = '#c8102e';
const SUCCESSION_COLOR = '#722ed1';
const VOLUME_COLOR = '#dfe5ec';

export const DashboardPage = guardedPage('programs.dashboard.read', 'nav.dashboard', Dashboard);

/**
 * A leader's view of one district: how many secretaries are on duty and in how many communities,
 * on the last day of the latest complete assessment period (or a month picked), and the district's
 * resolution rate with the days batches began and secretaries were succeeded marked on it. The URL
 * (?district=&month=) holds only what the reader chose; the server picks the rest from the data.
 */
function Dashboard() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const districtParam = params.get('district');
  const district = districtParam && /^\d{6}$/.test(districtParam) ? districtParam : undefined;
  const monthParam = params.get('month');
  const month = isMonth(monthParam) ? monthParam : undefined;

  const remote = useRemote(`${district ?? ''}|${month ?? ''}`, (signal) => dashboardApi.get({ district, month }, signal));
  const data = remote.kind === 'ready' ? remote.data : null;

  const choose = (next: { district?: string; month?: string | null }) => {
    const p = new URLSearchParams(params);
    if (next.district) p.set('district', next.district);
    if (next.month === null) p.delete('month');
    else if (next.month) p.set('month', next.month);
    setParams(p);
  };

  return (
    <Flex vertical gap={16} data-testid="leader-dashboard">
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={12}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('dash.title')}
              {data && (
                <Typography.Text
                  type="secondary"
                  style={{ fontSize: 16, fontWeight: 'normal', marginInlineStart: 12 }}
                  data-testid="dash-heading"
                >
                  {data.district.name} · {monthLabel(data.asOf.month, lang)}
                </Typography.Text>
              )}
            </Typography.Title>
            <Typography.Text type="secondary">{t('dash.subtitle')}</Typography.Text>
            {data && <AsOf data={data} onLatest={() => choose({ month: null })} onMonth={(m) => choose({ month: m })} />}
          </div>
          {data && (
            <Flex wrap gap={8} align="center">
              <Select
                data-testid="dash-district"
                aria-label={t('dash.district')}
                value={data.district.code}
                onChange={(code: string) => choose({ district: code })}
                style={{ minWidth: 200 }}
                popupMatchSelectWidth={false}
                options={data.districts.map((d) => ({
                  value: d.code,
                  label: (
                    <Flex justify="space-between" gap={8}>
                      <span>{d.name}</span>
                      {d.programs > 0 ? (
                        <Tag color="red">{t('dash.programsTag', { n: d.programs })}</Tag>
                      ) : (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('dash.noProgram')}
                        </Typography.Text>
                      )}
                    </Flex>
                  ),
                }))}
                labelRender={(v) => data.districts.find((d) => d.code === v.value)?.name ?? String(v.value)}
              />
              <MonthPicker value={data.asOf.month} onChange={(m) => choose({ month: m })} data-testid="dash-month" />
            </Flex>
          )}
        </Flex>
      </Card>

      {remote.kind === 'error' && <Alert type="error" showIcon title={errorText(remote.error)} data-testid="dash-error" />}
      {remote.kind === 'loading' && !data && <Spin style={{ display: 'block', margin: '64px auto' }} />}
      {data && (
        <>
          <Kpis data={data} />
          <Card
            title={t('dash.trend.title')}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('dash.trend.range', {
                  from: monthLabel(data.trend.from, lang),
                  to: monthLabel(data.trend.to, lang),
                  max: data.trend.maxMonths,
                })}
              </Typography.Text>
            }
          >
            <ResolutionTrend data={data} />
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <MarksCard data={data} />
            </Col>
            <Col xs={24} xl={10}>
              <ProgramsCard data={data} />
            </Col>
          </Row>
        </>
      )}
    </Flex>
  );
}

/** Which day the figures are for, and why that one. */
function AsOf({ data, onLatest, onMonth }: { data: DistrictDashboard; onLatest: () => void; onMonth: (month: string) => void }) {
  const { t, lang } = useI18n();
  const { asOf } = data;
  const underWay = asOf.date < asOf.periodEnd;
  return (
    <div style={{ marginTop: 8 }} data-testid="dash-as-of">
      <Typography.Text strong>
        {t(underWay ? 'dash.asOfToday' : 'dash.asOf', { date: dayLabel(asOf.date, lang), month: monthLabel(asOf.month, lang) })}
      </Typography.Text>{' '}
      {asOf.latestComplete === asOf.month ? (
        <Typography.Text type="secondary">{t('dash.asOfLatest')}</Typography.Text>
      ) : asOf.latestComplete ? (
        <>
          <Typography.Text type="secondary">{t('dash.asOfChosen', { month: monthLabel(asOf.latestComplete, lang) })}</Typography.Text>{' '}
          <Button size="small" type="link" onClick={onLatest} data-testid="dash-go-latest">
            {t('dash.goLatest', { month: monthLabel(asOf.latestComplete, lang) })}
          </Button>
        </>
      ) : null}
      {asOf.inProgress && asOf.inProgress !== asOf.month && (
        <div>
          <Tag
            color="processing"
            style={{ cursor: 'pointer', marginTop: 8 }}
            onClick={() => onMonth(asOf.inProgress!)}
            data-testid="dash-in-progress"
          >
            {t('dash.inProgress', { month: monthLabel(asOf.inProgress, lang) })}
          </Tag>
        </div>
      )}
    </div>
  );
}

function Kpis({ data }: { data: DistrictDashboard }) {
  const { t, lang } = useI18n();
  const last = data.trend.months[data.trend.months.length - 1];
  const cards: Array<{ id: string; label: TKey; value: string; note: string }> = [
    {
      id: 'postings',
      label: 'dash.kpi.postings',
      value: formatNumber(data.postingsActive, lang),
      note: t('dash.kpi.postingsNote', { date: dayLabel(data.asOf.date, lang) }),
    },
    {
      id: 'communities',
      label: 'dash.kpi.communities',
      value: formatNumber(data.communitiesCovered, lang),
      note: t('dash.kpi.communitiesNote'),
    },
    {
      id: 'resolution',
      label: 'dash.kpi.resolution',
      value: formatRate(last?.resolutionRate, lang),
      note: t('dash.kpi.resolutionNote', { n: formatNumber(last?.solved ?? 0, lang), of: formatNumber(last?.resolutionValid ?? 0, lang) }),
    },
    { id: 'programs', label: 'dash.kpi.programs', value: formatNumber(data.programs.length, lang), note: t('dash.kpi.programsNote') },
  ];
  return (
    <Row gutter={[16, 16]}>
      {cards.map((c) => (
        <Col key={c.id} xs={12} xl={6}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic
              title={t(c.label)}
              value={c.value}
              data-testid={`dash-kpi-${c.id}`}
              styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.note}
            </Typography.Text>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function markText(mark: DashboardMark, t: ReturnType<typeof useI18n>['t']): string {
  if (mark.kind === 'batch_start') {
    return t('dash.mark.batchDetail', { program: mark.programName, n: mark.batchNumber, communities: mark.communities ?? 0 });
  }
  return t('dash.mark.successionDetail', {
    community: mark.communityName ?? '',
    from: mark.predecessorName ?? t('dash.unknownPredecessor'),
    to: mark.cadreName ?? '',
  });
}

/**
 * The district's resolution rate month by month over its volume: a dashed vertical line where a
 * batch began, a pin on the line in each month a secretary was succeeded. The months drawn are
 * repeated on the box as data attributes, for the tour's test to read (the canvas says nothing).
 */
function ResolutionTrend({ data }: { data: DistrictDashboard }) {
  const { t, lang } = useI18n();
  const { token } = theme.useToken();
  const months = data.trend.months;
  // Derived once per answer, so the chart's option below is not rebuilt on every render.
  const { marks, batchStarts, successionMonths, severalPrograms } = useMemo(() => {
    const shown = new Set(months.map((m) => m.month));
    const marks = data.marks.filter((m) => shown.has(m.month));
    const batchStarts = marks.filter((m) => m.kind === 'batch_start');
    const successionMonths = [...new Set(marks.filter((m) => m.kind === 'succession').map((m) => m.month))];
    const severalPrograms = new Set(batchStarts.map((m) => m.programId)).size > 1;
    return { marks, batchStarts, successionMonths, severalPrograms };
  }, [months, data.marks]);

  const option = useMemo<ChartOption>(() => {
    const byMonth = new Map<string, DashboardMark[]>();
    for (const m of marks) byMonth.set(m.month, [...(byMonth.get(m.month) ?? []), m]);
    const rateOf = new Map(months.map((m) => [m.month, m.resolutionRate]));
    return {
      grid: { left: 56, right: 56, top: 48, bottom: 28 },
      legend: { top: 0, textStyle: { color: token.colorText } },
      tooltip: {
        trigger: 'axis',
        formatter: (raw: unknown) => {
          const { month, lines } = trendTooltip(raw, months, lang);
          const events = (byMonth.get(month) ?? []).map(
            (m) =>
              `${dayLabel(m.date, lang)} ${t(m.kind === 'batch_start' ? 'dash.mark.batchStart' : 'dash.mark.succession')}：${markText(m, t)}`,
          );
          return [...lines, ...events].join('<br/>');
        },
      },
      xAxis: monthAxis(
        months.map((m) => m.month),
        lang,
      ),
      yAxis: volumeAndRateAxes(t('dash.trend.volume'), t('dash.trend.rate'), lang),
      series: [
        {
          type: 'bar',
          name: t('dash.trend.volume'),
          yAxisIndex: 0,
          data: months.map((m) => m.volume),
          itemStyle: { color: VOLUME_COLOR },
          barMaxWidth: 24,
        },
        {
          type: 'line',
          name: t('dash.trend.rate'),
          yAxisIndex: 1,
          data: months.map((m) => m.resolutionRate),
          connectNulls: false,
          symbolSize: 5,
          itemStyle: { color: RATE_COLORS.resolution },
          lineStyle: { color: RATE_COLORS.resolution, width: 2.5 },
          markLine: {
            silent: true,
            symbol: 'none',
            data: batchStarts.map((m) => ({
              xAxis: m.month,
              lineStyle: { color: BATCH_COLOR, type: 'dashed' as const, width: 1.5 },
              label: {
                color: BATCH_COLOR,
                position: 'insideEndTop' as const,
                formatter: `${severalPrograms ? `${m.programName} ` : ''}${t('dash.mark.batchShort', { n: m.batchNumber })}`,
              },
            })),
          },
          markPoint: {
            symbol: 'pin',
            symbolSize: 44,
            itemStyle: { color: SUCCESSION_COLOR },
            label: {
              color: '#fff',
              fontSize: 11,
              formatter: (p: { value?: unknown }) => (Number(p.value) > 1 ? String(p.value) : t('dash.mark.pin')),
            },
            data: successionMonths.map((month) => ({
              name: month,
              coord: [month, rateOf.get(month) ?? 1],
              value: marks.filter((m) => m.kind === 'succession' && m.month === month).length,
            })),
          },
        },
      ],
    };
  }, [months, marks, batchStarts, successionMonths, severalPrograms, t, lang, token.colorText]);

  if (months.every((m) => m.volume === 0 && m.resolutionValid === 0)) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dash.trend.empty')} />;
  }
  return (
    <div
      data-testid="dash-trend"
      data-batch-starts={batchStarts.map((m) => m.month).join(',')}
      data-successions={successionMonths.join(',')}
    >
      <EChart option={option} height={360} ariaLabel={t('dash.trend.title')} />
      <Flex gap={16} style={{ fontSize: 12, marginTop: 4 }}>
        <Typography.Text style={{ color: BATCH_COLOR, fontSize: 12 }}>┆ {t('dash.trend.legendBatch')}</Typography.Text>
        <Typography.Text style={{ color: SUCCESSION_COLOR, fontSize: 12 }}>● {t('dash.trend.legendSuccession')}</Typography.Text>
      </Flex>
    </div>
  );
}

function MarksCard({ data }: { data: DistrictDashboard }) {
  const { t, lang } = useI18n();
  const columns: TableColumnsType<DashboardMark> = [
    { key: 'date', title: t('dash.marks.date'), width: 130, render: (_, m) => dayLabel(m.date, lang) },
    {
      key: 'kind',
      title: t('dash.marks.kind'),
      width: 100,
      render: (_, m) => (
        <Tag color={m.kind === 'batch_start' ? 'red' : 'purple'}>
          {t(m.kind === 'batch_start' ? 'dash.mark.batchStart' : 'dash.mark.succession')}
        </Tag>
      ),
    },
    { key: 'program', title: t('dash.marks.program'), render: (_, m) => <Link to={`/programs/${m.programId}`}>{m.programName}</Link> },
    {
      key: 'detail',
      title: t('dash.marks.detail'),
      render: (_, m) =>
        m.kind === 'succession' && m.communityCode ? (
          <Link to={`/programs/communities/${m.communityCode}`}>{markText(m, t)}</Link>
        ) : (
          markText(m, t)
        ),
    },
  ];
  return (
    <Card title={t('dash.marks.title')} style={{ height: '100%' }}>
      <Table<DashboardMark>
        data-testid="dash-marks"
        size="small"
        rowKey={(m) => `${m.kind}-${m.programId}-${m.batchNumber}-${m.date}-${m.communityCode ?? ''}`}
        columns={columns}
        dataSource={data.marks}
        pagination={data.marks.length > 10 ? { pageSize: 10, size: 'small' } : false}
        locale={{ emptyText: t('dash.marks.empty') }}
      />
      {data.successionsLeftOut > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('dash.marks.leftOut', { n: data.successionsLeftOut })}
        </Typography.Text>
      )}
    </Card>
  );
}

function ProgramsCard({ data }: { data: DistrictDashboard }) {
  const { t, lang } = useI18n();
  type Program = DistrictDashboard['programs'][number];
  const columns: TableColumnsType<Program> = [
    {
      key: 'name',
      title: t('dash.programs.name'),
      render: (_, p) => (
        <>
          <Link to={`/programs/${p.id}`}>{p.name}</Link>{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`prog.kind.${p.kind}` as TKey)}
          </Typography.Text>
        </>
      ),
    },
    { key: 'postings', title: t('dash.programs.postings'), align: 'right', render: (_, p) => formatNumber(p.postingsActive, lang) },
    {
      key: 'communities',
      title: t('dash.programs.communities'),
      align: 'right',
      render: (_, p) => formatNumber(p.communitiesCovered, lang),
    },
  ];
  return (
    <Card title={t('dash.programs.title')} style={{ height: '100%' }}>
      <Table<Program>
        data-testid="dash-programs"
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={data.programs}
        pagination={false}
        locale={{ emptyText: t('dash.programs.empty') }}
      />
    </Card>
  );
}
