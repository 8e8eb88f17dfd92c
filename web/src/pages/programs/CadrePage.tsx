import { Breadcrumb, Card, Descriptions, Empty, Flex, Tag, Timeline, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { programsApi, type Posting } from './api.ts';
import { ExpertiseTags, KindTag, NotReady, PageTitle, programKindKey, spanText, StatusTag, useLoad, useReasonText } from './common.tsx';
import { UnitTypeTag } from './pickers.tsx';

export const CadrePage = guardedPage('programs.read', 'nav.programs', CadreView);

/**
 * A cadre's postings as continuous records: a renewal continues the posting it renews (same
 * cadre, same community, next batch), so the chain reads as one stay from its first day to its last.
 */
export function chainsOf(postings: Posting[]): Posting[][] {
  const byId = new Map(postings.map((p) => [p.id, p]));
  const chains: Posting[][] = [];
  const placed = new Set<number>();
  for (const p of postings) {
    if (placed.has(p.id)) continue;
    // Walk back to the first posting of this cadre's chain.
    let first = p;
    while (first.kind === 'renewal' && first.predecessorPostingId !== null && byId.has(first.predecessorPostingId))
      first = byId.get(first.predecessorPostingId)!;
    const chain: Posting[] = [];
    for (let cur: Posting | undefined = first; cur && !placed.has(cur.id); ) {
      chain.push(cur);
      placed.add(cur.id);
      const next: Posting | undefined = cur.successorPostingId !== null ? byId.get(cur.successorPostingId) : undefined;
      cur = next && next.kind === 'renewal' ? next : undefined;
    }
    chains.push(chain);
  }
  return chains.sort((a, b) => a[0]!.startDate.localeCompare(b[0]!.startDate));
}

function CadreView() {
  const { t } = useI18n();
  const reasonText = useReasonText();
  const { id: idParam = '' } = useParams();
  const id = Number(idParam);
  const cadre = useLoad(`cadre:${id}`, (signal) => programsApi.cadre(id, signal));

  if (cadre.kind !== 'ready') return <NotReady remote={cadre} />;
  const c = cadre.data;
  const chains = chainsOf(c.postings);

  return (
    <Flex vertical gap={16} data-testid="cadre-detail" data-id={c.id}>
      <Card>
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[
            { key: 'list', title: <Link to="/programs">{t('prog.title')}</Link> },
            { key: 'cadres', title: <Link to="/programs/cadres">{t('prog.cadres.title')}</Link> },
            { key: 'self', title: c.name },
          ]}
        />
        <PageTitle
          title={<span data-testid="cadre-title">{c.name}</span>}
          subtitle={[c.position, c.unitName].filter(Boolean).join(' · ')}
        />
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'unit', label: t('prog.cadre.unit'), children: c.unitName },
            { key: 'type', label: t('prog.col.unitType'), children: <UnitTypeTag type={c.unitType} /> },
            { key: 'position', label: t('prog.cadre.position'), children: c.position ?? '—' },
            { key: 'phone', label: t('prog.cadre.phone'), children: <span data-testid="cadre-phone-shown">{c.phone ?? '—'}</span> },
            { key: 'expertise', label: t('prog.cadre.expertise'), span: 2, children: <ExpertiseTags codes={c.expertise} /> },
            ...(c.notes ? [{ key: 'notes', label: t('prog.col.notes'), span: 2, children: c.notes }] : []),
          ]}
        />
      </Card>
      <Card title={t('prog.cadre.record')} data-testid="cadre-record">
        {chains.length === 0 ? (
          <Empty description={t('prog.cadre.noPostings')} />
        ) : (
          <Flex vertical gap={16}>
            {chains.map((chain) => {
              const first = chain[0]!;
              const last = chain[chain.length - 1]!;
              return (
                <Card
                  key={first.id}
                  size="small"
                  type="inner"
                  data-testid="cadre-chain"
                  title={
                    <span>
                      <Link to={`/programs/communities/${first.communityCode}`}>{first.communityName}</Link>
                      <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                        {' '}
                        · {first.streetName} · {first.programName}
                      </Typography.Text>
                    </span>
                  }
                  extra={<StatusTag status={last.status} />}
                >
                  <Typography.Paragraph style={{ marginBottom: 12 }} data-testid="cadre-chain-span">
                    <Typography.Text strong>{spanText(first.startDate, last.endDate, t)}</Typography.Text>
                    {chain.length > 1 && (
                      <Tag color="cyan" style={{ marginInlineStart: 8 }}>
                        {t('prog.cadre.continuous', { n: chain.length })}
                      </Tag>
                    )}
                  </Typography.Paragraph>
                  <Timeline
                    items={chain.map((p) => ({
                      key: p.id,
                      color: p.status === 'active' ? 'green' : 'gray',
                      content: (
                        <Flex gap={8} align="center" wrap>
                          <Link to={`/programs/postings/${p.id}`}>{t('prog.batch.name', { n: p.batchNumber })}</Link>
                          <span>{spanText(p.startDate, p.endDate, t)}</span>
                          <KindTag kind={p.kind} />
                          <Typography.Text type="secondary">{t(programKindKey(p.role))}</Typography.Text>
                          {p.endReason && (
                            <Typography.Text type="secondary">
                              · {t('prog.end.because', { reason: reasonText(p.endReason) })}
                            </Typography.Text>
                          )}
                        </Flex>
                      ),
                    }))}
                  />
                </Card>
              );
            })}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
