import { PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { formatBeijingTime, formatCount } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { AddCommunitiesDialog } from './AddCommunitiesDialog.tsx';
import { programsApi, type Batch, type BatchCommunity, type Posting, type Program } from './api.ts';
import { KindTag, LoadError, programKindKey, spanText, StatusTag, useLoad } from './common.tsx';
import { NewPostingDialog } from './NewPostingDialog.tsx';
import { UnitTypeTag } from './pickers.tsx';

/** The selection evidence stored with a community, in words: 上榜 5 次 · 第 3 名 · 备注. */
export function EvidenceText({ evidence }: { evidence: Record<string, unknown> }) {
  const { t, lang } = useI18n();
  const parts: string[] = [];
  const num = (k: string) => (typeof evidence[k] === 'number' ? (evidence[k] as number) : null);
  const str = (k: string) => (typeof evidence[k] === 'string' && evidence[k] ? (evidence[k] as string) : null);
  const appearances = num('rankAppearances');
  if (appearances !== null) {
    const periods = num('periods');
    const month = str('month');
    parts.push(
      periods && month
        ? t('prog.evidence.appearancesOf', { n: appearances, periods, month })
        : t('prog.evidence.appearances', { n: appearances }),
    );
  }
  const rank = num('rankNow');
  if (rank !== null) parts.push(t('prog.evidence.rankNow', { n: rank }));
  const volume = num('volumeTotal');
  if (volume !== null) parts.push(t('prog.evidence.volume', { n: formatCount(volume, lang) }));
  const known = new Set(['rankAppearances', 'periods', 'month', 'rankNow', 'volumeTotal', 'note', 'topN']);
  for (const [k, v] of Object.entries(evidence)) if (!known.has(k) && v !== null && typeof v !== 'object') parts.push(`${k}: ${String(v)}`);
  const note = str('note');
  if (parts.length === 0 && !note) return <Typography.Text type="secondary">{t('prog.evidence.none')}</Typography.Text>;
  return (
    <div data-testid="evidence" style={{ maxWidth: 420 }}>
      {parts.length > 0 && <div>{parts.join(' · ')}</div>}
      {note && <Typography.Text type="secondary">{note}</Typography.Text>}
    </div>
  );
}

/** A batch: the communities it covers (with the evidence they were chosen on) and its postings. */
export function BatchView({ program, batch, onChanged }: { program: Program; batch: Batch; onChanged: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { can } = useAuth();
  const manage = can('programs.manage');
  const [adding, setAdding] = useState(false);
  const [postingTo, setPostingTo] = useState<string | null | undefined>(undefined);
  const communities = useLoad(`bc:${batch.id}`, (signal) => programsApi.batchCommunities(batch.id, { limit: 500 }, signal));
  const postings = useLoad(`bp:${batch.id}`, (signal) => programsApi.postings({ batchId: batch.id, limit: 500 }, signal));

  function changed() {
    communities.reload();
    postings.reload();
    onChanged();
  }

  const communityColumns: TableColumnsType<BatchCommunity> = [
    {
      key: 'community',
      title: t('prog.col.community'),
      render: (_, c) => (
        <>
          <Link to={`/programs/communities/${c.communityCode}`} data-testid="batch-community-link">
            {c.communityName}
          </Link>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {c.streetName} · {c.communityCode}
          </Typography.Text>
        </>
      ),
    },
    { key: 'evidence', title: t('prog.col.evidence'), render: (_, c) => <EvidenceText evidence={c.selectionEvidence} /> },
    {
      key: 'current',
      title: t('prog.col.currentSecretary'),
      render: (_, c) =>
        c.currentSecretary ? (
          <Link to={`/programs/postings/${c.currentSecretary.postingId}`} data-testid="current-secretary">
            {c.currentSecretary.cadreName}
          </Link>
        ) : manage ? (
          <Button size="small" icon={<UserAddOutlined />} onClick={() => setPostingTo(c.communityCode)} data-testid="post-here">
            {t('prog.posting.new')}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t('prog.vacant')}</Typography.Text>
        ),
    },
    {
      key: 'added',
      title: t('prog.col.addedAt'),
      render: (_, c) => (
        <span style={{ whiteSpace: 'nowrap' }} title={formatBeijingTime(c.addedAt)} data-testid="joined-on">
          {c.joinedOn}
        </span>
      ),
    },
  ];

  const postingColumns: TableColumnsType<Posting> = [
    {
      key: 'cadre',
      title: t('prog.col.cadre'),
      render: (_, p) => (
        <>
          <Link to={`/programs/cadres/${p.cadre.id}`}>{p.cadre.name}</Link>
          {p.cadre.position && <Typography.Text type="secondary"> · {p.cadre.position}</Typography.Text>}
        </>
      ),
    },
    {
      key: 'unit',
      title: t('prog.col.unit'),
      render: (_, p) => (
        <Flex vertical gap={2} align="flex-start">
          <span>{p.cadre.unitName}</span>
          <UnitTypeTag type={p.cadre.unitType} />
        </Flex>
      ),
    },
    { key: 'community', title: t('prog.col.community'), render: (_, p) => p.communityName },
    { key: 'role', title: t('prog.col.role'), render: (_, p) => t(programKindKey(p.role)) },
    { key: 'kind', title: t('prog.col.kind'), render: (_, p) => <KindTag kind={p.kind} /> },
    {
      key: 'dates',
      title: t('prog.col.dates'),
      render: (_, p) => <span style={{ whiteSpace: 'nowrap' }}>{spanText(p.startDate, p.endDate, t)}</span>,
    },
    { key: 'status', title: t('prog.col.status'), render: (_, p) => <StatusTag status={p.status} /> },
    {
      key: 'open',
      title: '',
      render: (_, p) => (
        <Link to={`/programs/postings/${p.id}`} data-testid="posting-link">
          {t('prog.open')}
        </Link>
      ),
    },
  ];

  const communityItems = communities.kind === 'ready' ? communities.data.items : [];

  return (
    <Card
      data-testid="batch-view"
      data-number={batch.number}
      title={
        <span>
          {t('prog.batch.name', { n: batch.number })}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 12 }}>
            {spanText(batch.startDate, batch.endDate, t)}
          </Typography.Text>
        </span>
      }
      extra={
        manage && (
          <Flex gap={8}>
            <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="batch-add-communities">
              {t('prog.batch.addCommunities')}
            </Button>
            <Button
              type="primary"
              icon={<UserAddOutlined />}
              onClick={() => setPostingTo(null)}
              disabled={communityItems.length === 0}
              data-testid="posting-new"
            >
              {t('prog.posting.new')}
            </Button>
          </Flex>
        )
      }
    >
      {batch.notes && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {batch.notes}
        </Typography.Paragraph>
      )}
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('prog.batch.communitiesTitle', { n: communities.kind === 'ready' ? communities.data.total : batch.communityCount })}
      </Typography.Title>
      {communities.kind === 'error' ? (
        <LoadError error={communities.error} errorText={errorText} />
      ) : (
        <Table<BatchCommunity>
          rowKey="communityCode"
          size="small"
          data-testid="batch-communities"
          loading={communities.kind === 'loading'}
          columns={communityColumns}
          dataSource={communityItems}
          pagination={communityItems.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
          onRow={(c) => ({ 'data-testid': 'batch-community-row', 'data-code': c.communityCode }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('prog.batch.noCommunities') }}
          scroll={{ x: 'max-content' }}
        />
      )}
      <Typography.Title level={5}>
        {t('prog.batch.postingsTitle', { n: postings.kind === 'ready' ? postings.data.total : batch.postingCount })}
      </Typography.Title>
      {postings.kind === 'error' ? (
        <LoadError error={postings.error} errorText={errorText} />
      ) : (
        <Table<Posting>
          rowKey="id"
          size="small"
          data-testid="batch-postings"
          loading={postings.kind === 'loading'}
          columns={postingColumns}
          dataSource={postings.kind === 'ready' ? postings.data.items : []}
          pagination={false}
          onRow={(p) => ({ 'data-testid': 'posting-row', 'data-id': p.id, 'data-cadre': p.cadre.name }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('prog.batch.noPostings') }}
          scroll={{ x: 'max-content' }}
        />
      )}
      <AddCommunitiesDialog
        program={program}
        batch={batch}
        open={adding}
        onClose={() => setAdding(false)}
        onAdded={(n) => {
          setAdding(false);
          message.success(t('prog.batch.added', { n }));
          changed();
        }}
      />
      <NewPostingDialog
        program={program}
        batch={batch}
        communities={communityItems}
        community={postingTo ?? undefined}
        open={postingTo !== undefined}
        onClose={() => setPostingTo(undefined)}
        onCreated={(p) => {
          setPostingTo(undefined);
          message.success(t('prog.posting.created', { cadre: p.cadre.name, community: p.communityName }));
          changed();
        }}
      />
    </Card>
  );
}
