import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { Card, Col, Row, Skeleton, Statistic, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { useI18n, type TKey } from '../../i18n.tsx';
import type { Figures, Metric } from './api.ts';
import { changeTone, formatMetric, formatMetricChange, formatNumber, NONE, shownChange } from './numbers.ts';

interface Kpi {
  metric: Metric;
  id: string;
  label: TKey;
  /** The counts the figure stands on, for the line under it. */
  basis: (f: Figures) => { key: TKey; vars: Record<string, string> } | null;
}

const KPIS: Kpi[] = [
  { metric: 'volume', id: 'volume', label: 'eval.metric.volume', basis: () => null },
  {
    metric: 'responseRate',
    id: 'response',
    label: 'eval.metric.responseRate',
    basis: (f) => ({ key: 'eval.kpi.basis.response', vars: { n: String(f.contacted), of: String(f.responseValid) } }),
  },
  {
    metric: 'resolutionRate',
    id: 'resolution',
    label: 'eval.metric.resolutionRate',
    basis: (f) => ({ key: 'eval.kpi.basis.resolution', vars: { n: String(f.solved), of: String(f.resolutionValid) } }),
  },
  {
    metric: 'satisfactionRate',
    id: 'satisfaction',
    label: 'eval.metric.satisfactionRate',
    basis: (f) => ({
      key: 'eval.kpi.basis.satisfaction',
      vars: { n: String(f.satisfied), b: String(f.basically), of: String(f.satisfactionValid) },
    }),
  },
  { metric: 'score', id: 'score', label: 'eval.metric.score', basis: () => null },
];

/** Green when the change is good news, red when bad; an arrow for its direction. */
export function Change({ metric, change, testId }: { metric: Metric; change: number | null; testId?: string }) {
  const { t, lang } = useI18n();
  const { token } = theme.useToken();
  const tone = changeTone(metric, change);
  const color = tone === 'good' ? token.colorSuccess : tone === 'bad' ? token.colorError : token.colorTextSecondary;
  if (change === null) return <Typography.Text type="secondary">{NONE}</Typography.Text>;
  const shown = shownChange(metric, change);
  if (shown === 0) {
    return (
      <span data-testid={testId} data-tone="flat" style={{ color, whiteSpace: 'nowrap' }}>
        <MinusOutlined /> {t('eval.unchanged')}
      </span>
    );
  }
  const text = formatMetricChange(metric, change, lang, t);
  const icon: ReactNode = shown > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />;
  return (
    <span data-testid={testId} data-tone={tone} style={{ color, whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
      {icon} {text}
    </span>
  );
}

const change = (metric: Metric, now: Figures, before: Figures | null): number | null => {
  if (!before) return null;
  const a = now[metric];
  const b = before[metric];
  return a === null || b === null ? null : a - b;
};

/**
 * Volume, the three rates and the score of one place and month, each with its change against
 * the month before and the counts it stands on.
 */
export function KpiCards({ current, previous, loading }: { current: Figures | null; previous: Figures | null; loading: boolean }) {
  const { t, lang } = useI18n();
  return (
    <Row gutter={[16, 16]} data-testid="kpi-cards">
      {KPIS.map((kpi) => {
        const value = current ? current[kpi.metric] : null;
        const basis = current ? kpi.basis(current) : null;
        return (
          <Col key={kpi.id} xs={12} md={8} xl={{ flex: '20%' }}>
            <Card size="small" style={{ height: '100%' }}>
              {loading ? (
                <Skeleton active paragraph={{ rows: 1 }} title={false} />
              ) : (
                <>
                  <Statistic
                    title={t(kpi.label)}
                    value={formatMetric(kpi.metric, value, lang)}
                    data-testid={`kpi-${kpi.id}`}
                    styles={{ content: { fontVariantNumeric: 'tabular-nums' } }}
                  />
                  <div style={{ fontSize: 13, marginTop: 4 }}>
                    <Typography.Text type="secondary">{t('eval.kpi.vsPrevious')} </Typography.Text>
                    <Change
                      metric={kpi.metric}
                      change={current ? change(kpi.metric, current, previous) : null}
                      testId={`kpi-${kpi.id}-change`}
                    />
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 2 }}>
                    {basis
                      ? t(basis.key, Object.fromEntries(Object.entries(basis.vars).map(([k, v]) => [k, formatNumber(Number(v), lang)])))
                      : kpi.metric === 'volume' && current
                        ? t('eval.kpi.basis.overdue', { n: formatNumber(current.overdue, lang) })
                        : ' '}
                  </Typography.Text>
                </>
              )}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
