import { LinkOutlined } from '@ant-design/icons';
import { App, Card, Flex, Switch, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { localizeServerText } from '../../api.ts';
import { LoadMoreTable, useCursorList } from '../../components/LoadMoreTable.tsx';
import { formatBeijingTime, formatCount } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { importsApi, type UnmatchedItem } from './api.ts';
import { MatchAction } from './MatchAction.tsx';

const PAGE_SIZE = 20;

type UnmatchedPage = Awaited<ReturnType<typeof importsApi.unmatched>>;

/** Imported appeals without a community, oldest first; each gets one by a pick and a click. */
export function UnmatchedQueue({ importId, canMatch }: { importId: number | null; canMatch: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [onlyThis, setOnlyThis] = useState(true);
  const filter = importId !== null && onlyThis ? { importId } : {};
  const list = useCursorList<UnmatchedItem, UnmatchedPage>(JSON.stringify(filter), (cursor, signal) =>
    importsApi.unmatched({ ...filter, limit: PAGE_SIZE, cursor }, signal),
  );

  function matched(item: UnmatchedItem) {
    message.success(t('appeals.import.matched', { ticket: item.ticketNo, community: item.communityName ?? item.communityCode ?? '' }));
    list.setPage((page) => ({ ...page, items: page.items.filter((u) => u.id !== item.id), total: Math.max(0, page.total - 1) }));
  }

  const columns: TableColumnsType<UnmatchedItem> = [
    {
      key: 'ticket',
      title: t('appeals.col.ticket'),
      render: (_, u) => (
        <>
          <Link to={`/appeals/${u.appealId}`} className="appeal-mono">
            {u.ticketNo} <LinkOutlined />
          </Link>
          <Typography.Text type="secondary" className="appeal-mono" style={{ display: 'block', fontSize: 12 }}>
            {formatBeijingTime(u.receivedAt)}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'description',
      title: t('appeals.col.description'),
      render: (_, u) => (
        <Typography.Paragraph ellipsis={{ rows: 2, tooltip: u.description }} style={{ margin: 0, width: 200 }}>
          {u.description}
        </Typography.Paragraph>
      ),
    },
    {
      key: 'given',
      title: t('appeals.import.col.given'),
      render: (_, u) => (
        <div style={{ minWidth: 140, maxWidth: 240 }}>
          {[u.districtName, u.givenStreet ?? u.streetName, u.givenCommunity].filter(Boolean).join(' / ')}
          {u.address && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {u.address}
            </Typography.Text>
          )}
          <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }}>
            {localizeServerText(u.reason, lang)}
          </Typography.Text>
        </div>
      ),
    },
    ...(canMatch
      ? [
          {
            key: 'match',
            title: t('appeals.import.col.match'),
            render: (_: unknown, u: UnmatchedItem) => <MatchAction item={u} onMatched={matched} />,
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          {t('appeals.import.unmatched')}
          {list.state.kind === 'ready' && (
            <Tag color={list.state.page.total > 0 ? 'warning' : 'default'}>
              {t('appeals.import.total', { n: formatCount(list.state.page.total, lang) })}
            </Tag>
          )}
        </Flex>
      }
      extra={
        importId !== null && (
          <Flex align="center" gap={8}>
            <Switch size="small" checked={onlyThis} onChange={setOnlyThis} data-testid="unmatched-only-this" />
            <Typography.Text>{t('appeals.import.thisImportOnly')}</Typography.Text>
          </Flex>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('appeals.import.unmatchedHint')}</Typography.Paragraph>
      <LoadMoreTable<UnmatchedItem, UnmatchedPage>
        list={list}
        data-testid="unmatched-table"
        rowKey="id"
        size="small"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('appeals.import.unmatchedEmpty') }}
        onRow={(u) => ({ 'data-testid': 'unmatched-row', 'data-ticket': u.ticketNo }) as HTMLAttributes<HTMLElement>}
        moreText={t('appeals.loadMore')}
      />
    </Card>
  );
}
