import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Progress, Select, Switch, Table, Tag, Typography, theme, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { evaluationApi, type KeyCommunity, type KeyCommunityList } from './api.ts';
import { useRemote } from './data.ts';
import { formatNumber, formatRate, NONE } from './numbers.ts';

const TOP_NS = [20, 50, 100, 200, 500];

export const communityPath = (code: string, month: string) => `/evaluation/community/${code}?month=${month}`;

/**
 * The evidence for a proposal: on the list often enough, and resolving below the area. For a
 * community that is not proposed, which of the two it misses.
 */
function Evidence({ item, list, areaName }: { item: KeyCommunity; list: KeyCommunityList; areaName: string }) {
  const { t, lang } = useI18n();
  const rate = item.figures.resolutionRate;
  const often = item.appearances >= list.minAppearances;
  const below = rate !== null && list.areaResolutionRate !== null && rate < list.areaResolutionRate;
  const vars = {
    n: item.appearances,
    periods: list.periods,
    min: list.minAppearances,
    rate: formatRate(rate, lang),
    area: areaName,
    areaRate: formatRate(list.areaResolutionRate, lang),
  };
  const text = item.candidate
    ? t('eval.key.evidence', vars)
    : [!often && t('eval.key.missAppearances', vars), !below && t('eval.key.missRate', vars)]
        .filter(Boolean)
        .join(lang === 'zh' ? '；' : '; ');
  return (
    <Typography.Text
      type={item.candidate ? undefined : 'secondary'}
      style={{ fontSize: 12, display: 'block', maxWidth: 300, whiteSpace: 'normal' }}
      data-testid="key-evidence"
    >
      {text}
    </Typography.Text>
  );
}

interface Props {
  within: string;
  /** The division's name, the area the resolution rates are held against. */
  areaName: string;
  month: string;
}

/**
 * The key-community list: each month's top N communities by volume over the last 12 months, how
 * often each was on it, and the candidates for a secretary with the evidence.
 */
export function KeyCommunitiesCard({ within, areaName, month }: Props) {
  const { t, lang } = useI18n();
  const { token } = theme.useToken();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [topN, setTopN] = useState(100);
  const [onlyCandidates, setOnlyCandidates] = useState(false);
  const list = useRemote(`${within}|${month}|${topN}`, (signal) => evaluationApi.keyCommunities({ within, month, topN }, signal));
  const data = list.kind === 'ready' ? list.data : null;
  const candidates = data?.items.filter((i) => i.candidate).length ?? 0;
  const rows = data ? (onlyCandidates ? data.items.filter((i) => i.candidate) : data.items) : [];

  const columns: TableColumnsType<KeyCommunity> = [
    {
      key: 'rankNow',
      title: t('eval.key.rankNow'),
      width: 80,
      render: (_, i) => (i.rankNow === null ? <Typography.Text type="secondary">{NONE}</Typography.Text> : <b>{i.rankNow}</b>),
    },
    {
      key: 'name',
      title: t('eval.level.community'),
      render: (_, i) => (
        <>
          <Link to={communityPath(i.code, month)} onClick={(e) => e.stopPropagation()} data-testid="key-name">
            {i.name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
            {i.code}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'appearances',
      title: t('eval.key.appearances', { n: data?.periods ?? 12 }),
      width: 150,
      render: (_, i) => (
        <Flex align="center" gap={8}>
          <Progress
            percent={(100 * i.appearances) / (data?.periods ?? 12)}
            showInfo={false}
            size="small"
            strokeColor={i.appearances >= (data?.minAppearances ?? Infinity) ? token.colorWarning : undefined}
            style={{ width: 64, margin: 0 }}
          />
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>
            {i.appearances} / {data?.periods ?? 12}
          </span>
        </Flex>
      ),
    },
    {
      key: 'volumeNow',
      title: t('eval.key.volumeNow'),
      align: 'right',
      render: (_, i) => formatNumber(i.volumeNow, lang),
    },
    {
      key: 'volumeTotal',
      title: t('eval.key.volumeTotal', { n: data?.periods ?? 12 }),
      align: 'right',
      render: (_, i) => formatNumber(i.volumeTotal, lang),
    },
    {
      key: 'resolution',
      title: t('eval.key.resolution', { n: data?.periods ?? 12 }),
      align: 'right',
      render: (_, i) => {
        const below =
          i.figures.resolutionRate !== null && data?.areaResolutionRate != null && i.figures.resolutionRate < data.areaResolutionRate;
        return (
          <span style={{ color: below ? token.colorError : undefined, fontVariantNumeric: 'tabular-nums' }}>
            {formatRate(i.figures.resolutionRate, lang)}
          </span>
        );
      },
    },
    {
      key: 'candidate',
      title: t('eval.key.proposal'),
      render: (_, i) =>
        data && (
          <>
            {i.candidate && (
              <Tag color="volcano" data-testid="key-candidate" style={{ marginBottom: 2 }}>
                {t('eval.key.candidate')}
              </Tag>
            )}
            <Evidence item={i} list={data} areaName={areaName} />
          </>
        ),
    },
  ];

  return (
    <Card
      title={t('eval.key.title')}
      data-testid="key-communities"
      extra={
        <Flex gap={12} align="center" wrap>
          <label style={{ display: 'inline-flex', gap: 6, alignItems: 'center', fontSize: 13 }}>
            <Switch size="small" checked={onlyCandidates} onChange={setOnlyCandidates} data-testid="key-only-candidates" />
            {t('eval.key.onlyCandidates', { n: candidates })}
          </label>
          <Select<number>
            aria-label={t('eval.key.topN')}
            size="small"
            value={topN}
            onChange={setTopN}
            options={TOP_NS.map((n) => ({ value: n, label: t('eval.key.topNOption', { n }) }))}
            style={{ width: 110 }}
          />
          <Button
            size="small"
            icon={<DownloadOutlined />}
            href={evaluationApi.keyCommunitiesFileUrl('xlsx', { within, month, topN })}
            data-testid="key-export-xlsx"
          >
            Excel
          </Button>
          <Button
            size="small"
            icon={<DownloadOutlined />}
            href={evaluationApi.keyCommunitiesFileUrl('csv', { within, month, topN })}
            data-testid="key-export-csv"
          >
            CSV
          </Button>
        </Flex>
      }
    >
      {data && data.items.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }} data-testid="key-summary">
          {t('eval.key.summary', {
            periods: data.periods,
            from: data.from,
            to: data.month,
            topN: data.topN,
            n: formatNumber(data.items.length, lang),
            area: areaName,
            rate: formatRate(data.areaResolutionRate, lang),
            min: data.minAppearances,
          })}
        </Typography.Paragraph>
      )}
      {list.kind === 'error' ? (
        <Alert type="error" showIcon title={errorText(list.error)} />
      ) : (
        <Table<KeyCommunity>
          data-testid="key-table"
          rowKey="code"
          size="small"
          loading={list.kind === 'loading'}
          columns={columns}
          dataSource={rows}
          pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          onRow={(i) =>
            ({
              'data-code': i.code,
              style: { cursor: 'pointer' },
              onClick: () => navigate(communityPath(i.code, month)),
            }) as HTMLAttributes<HTMLElement>
          }
          locale={{ emptyText: t('eval.empty.window') }}
        />
      )}
    </Card>
  );
}
