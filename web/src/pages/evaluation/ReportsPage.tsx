import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Segmented, Spin, Table, Typography, type TableColumnsType } from 'antd';
import { useEffect, type HTMLAttributes, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { formatBeijingTime } from '../../format.ts';
import { useI18n, type TKey } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { evaluationApi, type Figures, type Metric, type Report, type ReportKind, type ReportLine } from './api.ts';
import { useLatest, useRemote } from './data.ts';
import { divisionWithin } from './EvaluationPage.tsx';
import { Change } from './Kpis.tsx';
import { DayPicker, MonthPicker } from './MonthPicker.tsx';
import { currentMonth, dayLabel, isDay, isMonth, lastDayOf, monthLabel } from './months.ts';
import { formatMetric, formatNumber, formatRate, formatScore } from './numbers.ts';
import './report.css';

export const ReportsPage = guardedPage('evaluation.read', 'eval.reports.title', Reports);

/** The daily or monthly report of a division, as a printable page and as Excel. */
function Reports() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { session } = useAuth();
  const scope = session!.user.scopeCode;
  const [params, setParams] = useSearchParams();
  const kind: ReportKind = params.get('kind') === 'daily' ? 'daily' : 'monthly';
  const division = divisionWithin(scope, params.get('division'));
  const monthParam = params.get('month');
  const dateParam = params.get('date');
  const needsDefault = kind === 'monthly' ? !isMonth(monthParam) : !isDay(dateParam);
  // Without a period in the address: the latest month, or the latest day, with appeals.
  const latest = useLatest(needsDefault ? scope : null);
  const fallbackMonth = latest.kind === 'ready' ? (latest.data.month ?? currentMonth()) : null;
  const fallbackDay = latest.kind === 'ready' ? (latest.data.day ?? (fallbackMonth && lastDayOf(fallbackMonth))) : null;
  const period = kind === 'monthly' ? (isMonth(monthParam) ? monthParam : fallbackMonth) : isDay(dateParam) ? dateParam : fallbackDay;

  // While this page is open, printing hides the navigation (report.css).
  useEffect(() => {
    document.body.classList.add('ma-printing-report');
    return () => document.body.classList.remove('ma-printing-report');
  }, []);

  const report = useRemote(period ? `${kind}|${period}|${division}` : null, (signal) =>
    evaluationApi.report(kind, { period: period!, within: division }, signal),
  );

  const update = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    p.set('kind', kind);
    p.set('division', division);
    if (period) p.set(kind === 'monthly' ? 'month' : 'date', period);
    for (const [k, v] of Object.entries(next)) p.set(k, v);
    setParams(p);
  };
  const showDivision = (code: string) => update({ division: code });

  return (
    <Flex vertical gap={16}>
      <Card className="ma-no-print">
        <Flex justify="space-between" align="center" wrap gap={12}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('eval.reports.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('eval.reports.subtitle')}</Typography.Text>
          </div>
          <Flex wrap gap={8} align="center">
            <Segmented<ReportKind>
              data-testid="report-kind"
              value={kind}
              onChange={(k) => {
                const p = new URLSearchParams(params);
                p.set('kind', k);
                p.set('division', division);
                // Keep the period in step: a month's last day, or a day's month.
                if (k === 'daily' && period && !isDay(dateParam)) p.set('date', lastDayOf(period.slice(0, 7)));
                if (k === 'monthly' && period && !isMonth(monthParam)) p.set('month', period.slice(0, 7));
                setParams(p);
              }}
              options={[
                { value: 'monthly', label: t('eval.reports.monthly') },
                { value: 'daily', label: t('eval.reports.daily') },
              ]}
            />
            {period &&
              (kind === 'monthly' ? (
                <MonthPicker value={period} onChange={(m) => update({ month: m })} data-testid="report-month" />
              ) : (
                <DayPicker value={period} onChange={(d) => update({ date: d })} data-testid="report-date" />
              ))}
            <DivisionSelect cascade within={scope} value={division} onChange={showDivision} data-testid="report-division" />
            <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={report.kind !== 'ready'} data-testid="report-print">
              {t('eval.reports.print')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              href={
                period
                  ? evaluationApi.reportExcelUrl(kind, { period, within: division, lang: lang === 'en' ? 'en' : undefined })
                  : undefined
              }
              disabled={!period}
              data-testid="report-excel"
            >
              {t('eval.reports.excel')}
            </Button>
          </Flex>
        </Flex>
      </Card>
      {latest.kind === 'error' && !period && <Alert type="error" showIcon title={errorText(latest.error)} />}
      {report.kind === 'error' ? (
        <Alert type="error" showIcon title={errorText(report.error)} />
      ) : report.kind === 'loading' ? (
        <Spin style={{ display: 'block', margin: '64px auto' }} />
      ) : (
        <ReportView report={report.data} />
      )}
    </Flex>
  );
}

const isEmpty = (f: Figures) => f.volume === 0 && f.responseValid === 0 && f.resolutionValid === 0 && f.satisfactionValid === 0;

function periodLabel(kind: ReportKind, period: string, lang: 'zh' | 'en'): string {
  return kind === 'monthly' ? monthLabel(period, lang) : dayLabel(period, lang);
}

interface SummaryRow {
  key: string;
  label: TKey;
  metric: Metric | 'overdue';
  current: ReactNode;
  previous: ReactNode;
  change: ReactNode;
}

function ReportView({ report }: { report: Report }) {
  const { t, lang } = useI18n();
  // The factor is configuration: the page states the one in force.
  const config = useRemote('config', (signal) => evaluationApi.config(signal));
  const factor = config.kind === 'ready' ? config.data.basicallySatisfiedFactor : 0.9;
  const startDay = config.kind === 'ready' ? (config.data.periodStartDay ?? 1) : 1;
  const title =
    lang === 'zh'
      ? report.title
      : t(report.kind === 'monthly' ? 'eval.reports.titleMonthly' : 'eval.reports.titleDaily', {
          place: report.place.name,
          period: periodLabel(report.kind, report.period, lang),
        });
  const level = t(`eval.noun.${report.childLevel}` as TKey);
  const c = report.current;
  const p = report.previous;

  const summary: SummaryRow[] = [
    {
      key: 'volume',
      label: 'eval.reports.row.volume',
      metric: 'volume',
      current: formatNumber(c.volume, lang),
      previous: formatNumber(p.volume, lang),
      change: <Change metric="volume" change={report.change.volume} />,
    },
    ...(['responseRate', 'resolutionRate', 'satisfactionRate'] as const).map((m) => ({
      key: m,
      label: `eval.metric.${m}` as TKey,
      metric: m,
      current: formatRate(c[m], lang),
      previous: formatRate(p[m], lang),
      change: <Change metric={m} change={report.change[m]} />,
    })),
    {
      key: 'score',
      label: 'eval.metric.score',
      metric: 'score',
      current: formatScore(c.score, lang),
      previous: formatScore(p.score, lang),
      change: <Change metric="score" change={report.change.score} />,
    },
    {
      key: 'overdue',
      label: 'eval.reports.row.overdue',
      metric: 'overdue',
      current: formatNumber(c.overdue, lang),
      previous: formatNumber(p.overdue, lang),
      // More overdue is bad news, as more volume is.
      change: <Change metric="volume" change={c.overdue - p.overdue} />,
    },
  ];

  const summaryColumns: TableColumnsType<SummaryRow> = [
    { key: 'label', title: t('eval.reports.col.indicator'), render: (_, r) => t(r.label) },
    {
      key: 'current',
      title: t('eval.reports.col.current', { period: periodLabel(report.kind, report.period, lang) }),
      align: 'right',
      render: (_, r) => <b data-testid={`report-current-${r.key}`}>{r.current}</b>,
    },
    {
      key: 'previous',
      title: t('eval.reports.col.previous', { period: periodLabel(report.kind, report.previousPeriod, lang) }),
      align: 'right',
      render: (_, r) => r.previous,
    },
    { key: 'change', title: t('eval.reports.col.change'), align: 'right', render: (_, r) => r.change },
  ];

  const lineColumns = (first: TKey, nameTitle: string): TableColumnsType<ReportLine & { n: number }> => [
    { key: 'n', title: t(first), width: 64, render: (_, l) => l.n },
    { key: 'name', title: nameTitle, render: (_, l) => (lang === 'zh' ? l.nameZh : l.nameEn) },
    { key: 'volume', title: t('eval.metric.volume'), align: 'right', render: (_, l) => formatMetric('volume', l.figures.volume, lang) },
    { key: 'response', title: t('eval.metric.responseRate'), align: 'right', render: (_, l) => formatRate(l.figures.responseRate, lang) },
    {
      key: 'resolution',
      title: t('eval.metric.resolutionRate'),
      align: 'right',
      render: (_, l) => formatRate(l.figures.resolutionRate, lang),
    },
    {
      key: 'satisfaction',
      title: t('eval.metric.satisfactionRate'),
      align: 'right',
      render: (_, l) => formatRate(l.figures.satisfactionRate, lang),
    },
    { key: 'score', title: t('eval.metric.score'), align: 'right', render: (_, l) => formatScore(l.figures.score, lang) },
  ];
  const numbered = (lines: ReportLine[]) => lines.map((l, i) => ({ ...l, n: i + 1 }));
  const levelTitle = t(`eval.level.${report.childLevel}` as TKey);
  const section = (text: string, testId: string) => (
    <Typography.Title level={5} className="ma-report-section" data-testid={testId}>
      {text}
    </Typography.Title>
  );
  const rowProps = (testId: string) => (l: ReportLine) => ({ 'data-testid': testId, 'data-code': l.code }) as HTMLAttributes<HTMLElement>;
  // The best and the worst places of the level below, each ranked from its own end.
  const ranked = (end: 'best' | 'worst', rankTitle: TKey) => (
    <>
      {section(t(`eval.reports.section.${end}`, { level }), `report-section-${end}`)}
      <Table
        data-testid={`report-${end}`}
        rowKey="code"
        size="small"
        bordered
        pagination={false}
        onRow={rowProps(`report-${end}-row`)}
        columns={lineColumns(rankTitle, levelTitle)}
        dataSource={numbered(report[end])}
        locale={{ emptyText: t('eval.reports.noneRanked', { level }) }}
      />
    </>
  );

  return (
    <Card className="ma-report" data-testid="report">
      <Typography.Title level={2} className="ma-report-title" data-testid="report-title">
        {title}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
        {t('eval.reports.basis', { factor: String(factor) })}
        {report.kind === 'monthly' && startDay > 1
          ? t('eval.reports.period', { start: String(startDay), end: String(startDay - 1) })
          : null}
      </Typography.Paragraph>
      {isEmpty(c) ? (
        <Empty
          data-testid="report-empty"
          description={t('eval.empty.monthOf', { place: report.place.name, month: periodLabel(report.kind, report.period, lang) })}
        />
      ) : (
        <>
          {section(t('eval.reports.section.summary'), 'report-section-summary')}
          <Table<SummaryRow>
            data-testid="report-summary"
            rowKey="key"
            size="small"
            bordered
            pagination={false}
            columns={summaryColumns}
            dataSource={summary}
          />
          {section(t('eval.reports.section.categories'), 'report-section-categories')}
          <Table
            data-testid="report-categories"
            rowKey="code"
            size="small"
            bordered
            pagination={false}
            columns={lineColumns('eval.reports.col.no', t('eval.hotspots.category'))}
            dataSource={numbered(report.topCategories)}
            locale={{ emptyText: t('eval.empty.month') }}
          />
          {ranked('best', 'eval.reports.col.rank')}
          {ranked('worst', 'eval.reports.col.rankFromBottom')}
          {report.skipped > 0 && (
            <Typography.Paragraph style={{ marginTop: 12 }} data-testid="report-skipped">
              {t('eval.reports.skipped', { n: report.skipped, level, min: report.minValidCallbacks })}
            </Typography.Paragraph>
          )}
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 24, fontSize: 12, textAlign: 'right' }}>
        {t('eval.reports.generated', { time: formatBeijingTime(new Date().toISOString()) })}
      </Typography.Paragraph>
    </Card>
  );
}
