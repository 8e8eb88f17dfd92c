import { ArrowDownOutlined, ArrowUpOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Alert, Card, Flex, Segmented, Select, Table, Tooltip, Typography, theme, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useI18n, type TKey } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { evaluationApi, RANKING_METRICS, RATE_METRICS, type Metric, type RankedPlace } from './api.ts';
import { useRemote } from './data.ts';
import { Change } from './Kpis.tsx';
import { levelBelow, levelNameKey, levelsWithin, placeNounKey, type RankLevel } from './levels.ts';
import { formatMetric, formatNumber } from './numbers.ts';

const LIMITS = [5, 10, 20, 50, 100];
const metricKey = (m: Metric): TKey => `eval.metric.${m}`;

/** Movement since last month: ▲3 when it climbed three places. */
function RankMove({ rank, previousRank }: { rank: number; previousRank: number | null }) {
  const { t } = useI18n();
  const { token } = theme.useToken();
  if (previousRank === null) return <Typography.Text type="secondary">{t('eval.ranking.new')}</Typography.Text>;
  const moved = previousRank - rank;
  return (
    <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
      {previousRank}
      {moved !== 0 && (
        <span style={{ marginInlineStart: 6, color: moved > 0 ? token.colorSuccess : token.colorError, fontSize: 12 }}>
          {moved > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
          {Math.abs(moved)}
        </span>
      )}
    </span>
  );
}

interface Props {
  within: string;
  month: string;
  /** A street or district was picked: show it in the dashboard. */
  onPlace: (code: string, level: RankLevel) => void;
}

/** Places of one level inside the division, top or bottom N by a figure, with the change on last month. */
export function RankingCard({ within, month, onPlace }: Props) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const levels = levelsWithin(within);
  const [level, setLevel] = useState<RankLevel>(levelBelow(within));
  const [metric, setMetric] = useState<Metric>('score');
  const [order, setOrder] = useState<'top' | 'bottom'>('top');
  const [limit, setLimit] = useState(10);
  // Residents are on community profiles only: per 10,000 residents ranks communities.
  const effectiveMetric: Metric = metric === 'volumePer10k' && level !== 'community' ? 'volume' : metric;

  const ranking = useRemote(`${within}|${month}|${level}|${effectiveMetric}|${order}|${limit}`, (signal) =>
    evaluationApi.ranking({ level, month, within, metric: effectiveMetric, order, limit }, signal),
  );
  const data = ranking.kind === 'ready' ? ranking.data : null;
  const noun = t(placeNounKey(level));

  const columns: TableColumnsType<RankedPlace> = [
    {
      key: 'rank',
      title: order === 'top' ? t('eval.ranking.rank') : t('eval.ranking.rankFromBottom'),
      width: 72,
      render: (_, p) => <b style={{ fontVariantNumeric: 'tabular-nums' }}>{p.rank}</b>,
    },
    {
      key: 'name',
      title: t(levelNameKey(level)),
      render: (_, p) => (
        <Typography.Link onClick={() => onPlace(p.code, level)} data-testid="ranking-name">
          {p.name}
        </Typography.Link>
      ),
    },
    {
      key: 'value',
      title: t(metricKey(effectiveMetric)),
      align: 'right',
      render: (_, p) => (
        <span data-testid="ranking-value" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatMetric(effectiveMetric, p.value, lang)}
        </span>
      ),
    },
    {
      key: 'change',
      title: t('eval.ranking.change'),
      align: 'right',
      render: (_, p) => <Change metric={effectiveMetric} change={p.change} />,
    },
    {
      key: 'previousRank',
      title: t('eval.ranking.previousRank'),
      align: 'right',
      render: (_, p) => <RankMove rank={p.rank} previousRank={p.previousRank} />,
    },
    ...(RATE_METRICS.has(effectiveMetric)
      ? [
          {
            key: 'valid',
            title: t('eval.ranking.validCallbacks'),
            align: 'right' as const,
            render: (_: unknown, p: RankedPlace) => formatNumber(p.validCallbacks, lang),
          },
        ]
      : []),
  ];

  const skipped = data?.skipped ?? [];
  return (
    <Card
      title={t('eval.ranking.title')}
      data-testid="ranking-card"
      style={{ height: '100%' }}
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {data ? t('eval.ranking.total', { n: formatNumber(data.total, lang), noun }) : null}
        </Typography.Text>
      }
    >
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Select<RankLevel>
          aria-label={t('eval.ranking.level')}
          data-testid="ranking-level"
          value={level}
          onChange={setLevel}
          options={levels.map((l) => ({ value: l, label: t(levelNameKey(l)) }))}
          style={{ width: lang === 'zh' ? 140 : 150 }}
          popupMatchSelectWidth={false}
        />
        <Select<Metric>
          aria-label={t('eval.ranking.metric')}
          data-testid="ranking-metric"
          value={effectiveMetric}
          onChange={setMetric}
          options={RANKING_METRICS.map((m) => ({
            value: m,
            label: t(metricKey(m)),
            disabled: m === 'volumePer10k' && level !== 'community',
          }))}
          style={{ width: lang === 'zh' ? 124 : 164 }}
          popupMatchSelectWidth={false}
        />
        <Segmented<'top' | 'bottom'>
          data-testid="ranking-order"
          value={order}
          onChange={setOrder}
          options={[
            { value: 'top', label: t('eval.ranking.top') },
            { value: 'bottom', label: t('eval.ranking.bottom') },
          ]}
        />
        <Select<number>
          aria-label={t('eval.ranking.limit')}
          value={limit}
          onChange={setLimit}
          options={LIMITS.map((n) => ({ value: n, label: t('eval.ranking.limitOption', { n }) }))}
          style={{ width: 84 }}
        />
      </Flex>
      {ranking.kind === 'error' ? (
        <Alert type="error" showIcon title={errorText(ranking.error)} />
      ) : (
        <Table<RankedPlace>
          data-testid="ranking-table"
          rowKey="code"
          size="small"
          loading={ranking.kind === 'loading'}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(p) => ({ 'data-code': p.code }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('eval.empty.month') }}
        />
      )}
      {effectiveMetric === 'volumePer10k' && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
          {t('eval.ranking.per10kNote')}
        </Typography.Paragraph>
      )}
      {skipped.length > 0 && data && (
        <Tooltip
          title={
            skipped
              .slice(0, 30)
              .map((s) => (lang === 'zh' ? `${s.name}（${s.validCallbacks}）` : `${s.name} (${s.validCallbacks})`))
              .join(lang === 'zh' ? '、' : ', ') + (skipped.length > 30 ? ' …' : '')
          }
        >
          <Typography.Paragraph type="secondary" data-testid="ranking-skipped" style={{ fontSize: 12, margin: '8px 0 0' }}>
            <InfoCircleOutlined /> {t('eval.ranking.skipped', { min: data.minValidCallbacks, n: formatNumber(skipped.length, lang), noun })}
          </Typography.Paragraph>
        </Tooltip>
      )}
    </Card>
  );
}
