import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Collapse, Flex, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useAuth } from '../../auth.tsx';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { EChart, type ChartOption } from '../evaluation/EChart.tsx';
import { LoadError, useLoad } from '../programs/common.tsx';
import { impactApi, type ImpactReport, type Interval, type OutcomeReport, type Verdict } from './api.ts';
import { impactStrings } from './strings.ts';

const verdictColor: Record<Verdict, string> = { positive: 'green', negative: 'red', inconclusive: 'default', too_few: 'orange' };
const signed = (n: number, digits = 2) => `${n > 0 ? '+' : ''}${n.toFixed(digits)}`;
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);

/** A rate's effect in points, volume's in appeals; intervals in the same unit. */
function fmt(o: Pick<OutcomeReport, 'unit'>, v: number | null): string {
  if (v === null) return '—';
  return o.unit === 'rate' ? signed(v * 100) : signed(v, 1);
}
const range = (o: Pick<OutcomeReport, 'unit'>, i: Interval) =>
  i.low === null || i.high === null ? '—' : `[${fmt(o, i.low)}, ${fmt(o, i.high)}]`;

/**
 * The impact of a program, a batch or one posting (GET /api/v1/impact): the estimate of each
 * outcome with its interval and the naive figure beside it, the event study, the pre-trend and
 * placebo checks, the cohorts with their windows, the comparison communities and the method.
 * Shown only to roles that read impact; the server checks the scope again.
 */
export function ImpactSection({ program, batch, posting }: { program: number; batch?: number | undefined; posting?: number | undefined }) {
  const { can } = useAuth();
  if (!can('impact.read')) return null;
  return <ImpactView program={program} batch={batch} posting={posting} />;
}

function ImpactView({ program, batch, posting }: { program: number; batch?: number | undefined; posting?: number | undefined }) {
  const { lang } = useI18n();
  const s = impactStrings[lang];
  const errorText = useErrorText();
  const params = { program, batch, posting, lang };
  const report = useLoad(`impact-${program}-${batch ?? ''}-${posting ?? ''}-${lang}`, (signal) => impactApi.report(params, signal));
  return (
    <Card
      data-testid="impact"
      title={
        <div>
          <div>{s.title}</div>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {s.subtitle}
          </Typography.Text>
        </div>
      }
      extra={
        <Flex gap={8} className="no-print">
          <a href={impactApi.csvUrl(params)} download data-testid="impact-csv">
            <Button size="small" icon={<DownloadOutlined />}>
              {s.csv}
            </Button>
          </a>
          <a href={impactApi.xlsxUrl(params)} download data-testid="impact-xlsx">
            <Button size="small" icon={<DownloadOutlined />}>
              {s.xlsx}
            </Button>
          </a>
        </Flex>
      }
    >
      {report.kind === 'loading' && <Alert type="info" showIcon title={s.loading} />}
      {report.kind === 'error' && <LoadError error={report.error} errorText={errorText} />}
      {report.kind === 'ready' && <Impact r={report.data} />}
    </Card>
  );
}

function Impact({ r }: { r: ImpactReport }) {
  const s = impactStrings[r.lang];
  const resolution = r.outcomes.find((o) => o.outcome === 'resolution')!;
  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary" data-testid="impact-period">
        {r.period.text} · {s.data(r.data.from, r.data.to)}
      </Typography.Text>
      {r.notes.map((n) => (
        <Alert key={n} type="warning" showIcon title={n} />
      ))}
      <Row gutter={[16, 16]} data-testid="impact-outcomes">
        {r.outcomes.map((o) => (
          <Col key={o.outcome} xs={24} md={12} xl={6}>
            <OutcomeTile o={o} lang={r.lang} />
          </Col>
        ))}
      </Row>
      <EventStudy o={resolution} lang={r.lang} />
      <Alert
        data-testid="impact-pretrend"
        type={resolution.preTrend.diverged ? 'warning' : resolution.preTrend.diverged === false ? 'success' : 'info'}
        showIcon
        title={`${s.preTrend}：${resolution.preTrend.text}`}
        description={`slope ${fmt(resolution, resolution.preTrend.slope.estimate)} ${range(resolution, resolution.preTrend.slope)} / month`}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {s.placebo}
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="kind"
        data-testid="impact-placebo"
        dataSource={r.placebo}
        columns={[
          { key: 'label', title: s.placeboCols[0], dataIndex: 'label' },
          { key: 'n', title: s.placeboCols[1], render: (_, p) => `${p.treated} / ${p.controls}` },
          { key: 'e', title: s.placeboCols[2], align: 'end', render: (_, p) => fmt(resolution, p.resolution.estimate) },
          { key: 'ci', title: s.placeboCols[3], align: 'end', render: (_, p) => range(resolution, p.resolution) },
          {
            key: 'result',
            title: s.placeboCols[4],
            render: (_, p) => (
              <Tag color={p.passed === null ? 'default' : p.passed ? 'green' : 'red'}>
                {p.passed === null ? s.notRun : p.passed ? s.passed : s.failed}：{p.text}
              </Tag>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        {s.cohorts}
      </Typography.Title>
      <Table
        size="small"
        pagination={false}
        rowKey="cohort"
        data-testid="impact-cohorts"
        dataSource={resolution.cohorts}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'cohort', title: s.cohortCols[0], dataIndex: 'cohort' },
          { key: 'treated', title: s.cohortCols[1], dataIndex: 'treated', align: 'end' },
          { key: 'controls', title: s.cohortCols[2], dataIndex: 'controls', align: 'end' },
          { key: 'pre', title: s.cohortCols[3], render: (_, c) => `${c.preFrom} – ${c.preTo}` },
          { key: 'post', title: s.cohortCols[4], render: (_, c) => `${c.postFrom} – ${c.postTo}` },
          { key: 'e', title: s.cohortCols[5], align: 'end', render: (_, c) => fmt(resolution, c.estimate) },
          { key: 'ci', title: s.cohortCols[6], align: 'end', render: (_, c) => range(resolution, c) },
          { key: 'w', title: s.cohortCols[7], align: 'end', render: (_, c) => c.weight.toLocaleString() },
        ]}
      />
      <Collapse
        items={[
          { key: 'matched', label: `${s.matched}（${r.treated.length} → ${r.comparison.length}）`, children: <Matched r={r} /> },
          { key: 'balance', label: s.balance, children: <Balance r={r} /> },
          {
            key: 'method',
            label: s.method,
            children: (
              <Flex vertical gap={8} data-testid="impact-method">
                <Typography.Paragraph style={{ margin: 0 }}>{r.method.estimator}</Typography.Paragraph>
                <Typography.Paragraph style={{ margin: 0 }}>{r.method.matching}</Typography.Paragraph>
                <Typography.Paragraph style={{ margin: 0 }}>{r.method.uncertainty}</Typography.Paragraph>
                <Typography.Text type="secondary">
                  {s.pool(r.poolSize, r.method.pool)} · {s.params(r.method.draws, r.method.seed, r.method.k, r.method.months)}
                </Typography.Text>
              </Flex>
            ),
          },
        ]}
      />
    </Flex>
  );
}

function OutcomeTile({ o, lang }: { o: OutcomeReport; lang: 'zh' | 'en' }) {
  const s = impactStrings[lang];
  const weight = Math.round(o.overall.treatedWeight).toLocaleString();
  return (
    <Card size="small" data-testid={`impact-${o.outcome}`} style={{ height: '100%' }}>
      <Statistic title={`${o.label} · ${s.estimate}`} value={fmt(o, o.overall.estimate)} suffix={o.unit === 'rate' ? s.points : ''} />
      <Typography.Text>
        {s.ci} {range(o, o.overall)}
      </Typography.Text>
      <div style={{ margin: '6px 0' }}>
        <Tag color={verdictColor[o.overall.verdict]} data-testid={`verdict-${o.outcome}`}>
          {o.overall.verdictText}
        </Tag>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {o.unit === 'rate'
          ? s.basis(o.overall.treated, o.overall.controls, weight)
          : s.basisVolume(o.overall.treated, o.overall.controls, weight)}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} data-testid={`naive-${o.outcome}`}>
        {s.naive}：
        {o.unit === 'rate'
          ? s.naiveShort(pct(o.naive.before), pct(o.naive.after), `${fmt(o, o.naive.change)} ${s.points}`)
          : s.naiveShort(o.naive.before?.toFixed(1) ?? '—', o.naive.after?.toFixed(1) ?? '—', fmt(o, o.naive.change))}
      </Typography.Text>
    </Card>
  );
}

/** The event study as a line with its interval as a band (a transparent base plus the width, stacked). */
function EventStudy({ o, lang }: { o: OutcomeReport; lang: 'zh' | 'en' }) {
  const s = impactStrings[lang];
  const option = useMemo<ChartOption>(() => {
    const scale = o.unit === 'rate' ? 100 : 1;
    const x = o.event.map((p) => String(p.e));
    const v = (n: number | null) => (n === null ? null : Number((n * scale).toFixed(3)));
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [s.effect, s.band], top: 0, right: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 44 },
      xAxis: { type: 'category', data: x, name: s.month, nameLocation: 'middle', nameGap: 26 },
      yAxis: { type: 'value', name: o.unit === 'rate' ? s.points : s.perMonth },
      series: [
        {
          name: 'low',
          type: 'line',
          data: o.event.map((p) => v(p.low)),
          stack: 'band',
          stackStrategy: 'all',
          lineStyle: { opacity: 0 },
          symbol: 'none',
          silent: true,
          tooltip: { show: false },
        },
        {
          name: s.band,
          type: 'line',
          data: o.event.map((p) => (p.low === null || p.high === null ? null : Number(((p.high - p.low) * scale).toFixed(3)))),
          stack: 'band',
          stackStrategy: 'all',
          lineStyle: { opacity: 0 },
          symbol: 'none',
          areaStyle: { color: 'rgba(22,119,255,0.18)' },
          color: 'rgba(22,119,255,0.4)',
        },
        { name: s.effect, type: 'line', data: o.event.map((p) => v(p.estimate)), symbolSize: 6, color: '#1677ff' },
        {
          name: s.zero,
          type: 'line',
          data: x.map(() => 0),
          symbol: 'none',
          lineStyle: { color: '#999', type: 'dashed', width: 1 },
          silent: true,
          tooltip: { show: false },
        },
      ],
    };
  }, [o, s]);
  return (
    <div>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {s.event}
      </Typography.Title>
      <EChart option={option} height={300} ariaLabel={s.eventAria} data-testid="impact-event-chart" />
    </div>
  );
}

function Matched({ r }: { r: ImpactReport }) {
  const s = impactStrings[r.lang];
  return (
    <Flex vertical gap={12}>
      <Table
        size="small"
        rowKey="code"
        data-testid="impact-matched"
        pagination={r.treated.length > 20 ? { pageSize: 20 } : false}
        dataSource={r.treated}
        scroll={{ x: 'max-content' }}
        columns={[
          { key: 'name', title: s.matchedCols[0], render: (_, c) => `${c.streetName} · ${c.name}` },
          { key: 'batch', title: s.matchedCols[1], dataIndex: 'batchNumber', align: 'end' },
          { key: 'start', title: s.matchedCols[2], dataIndex: 'firstStart' },
          { key: 'last', title: s.matchedCols[3], render: (_, c) => c.lastTreated ?? s.open },
          {
            key: 'matches',
            title: s.matchedCols[4],
            render: (_, c) => c.matches.map((m) => `${m.name}（${m.distance.toFixed(2)}）`).join('、'),
          },
        ]}
      />
      {r.excluded.length > 0 && (
        <Alert
          type="info"
          title={s.excluded}
          data-testid="impact-excluded"
          description={r.excluded.map((e) => `${e.name}：${e.reason}`).join('；')}
        />
      )}
    </Flex>
  );
}

function Balance({ r }: { r: ImpactReport }) {
  const s = impactStrings[r.lang];
  const n = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  return (
    <Table
      size="small"
      rowKey="feature"
      pagination={false}
      data-testid="impact-balance"
      dataSource={r.balance}
      columns={[
        { key: 'label', title: s.balanceCols[0], dataIndex: 'label' },
        { key: 't', title: s.balanceCols[1], align: 'end', render: (_, b) => n(b.treated) },
        { key: 'm', title: s.balanceCols[2], align: 'end', render: (_, b) => n(b.matched) },
        { key: 'p', title: s.balanceCols[3], align: 'end', render: (_, b) => n(b.pool) },
        { key: 'sm', title: s.balanceCols[4], align: 'end', render: (_, b) => n(b.smdMatched) },
        { key: 'sp', title: s.balanceCols[5], align: 'end', render: (_, b) => n(b.smdPool) },
      ]}
    />
  );
}
