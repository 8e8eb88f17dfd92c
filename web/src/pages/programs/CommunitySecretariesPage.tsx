import { ArrowRightOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Card, Divider, Empty, Flex, Skeleton, Tag, Timeline, Typography } from 'antd';
import { Fragment } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi, type CommunitySecretaries } from './api.ts';
import { KindTag, LoadError, NotReady, PageTitle, spanText, StatusTag, useLoad, useReasonText } from './common.tsx';
import { MatchPanel } from './Matching.tsx';
import { UnitTypeTag } from './pickers.tsx';
import { HandoverView } from './PostingPage.tsx';

type Item = CommunitySecretaries['items'][number];

/** The community's postings per program, in the order they served. */
function byProgram(items: Item[]): Array<{ programId: number; programName: string; items: Item[] }> {
  const groups: Array<{ programId: number; programName: string; items: Item[] }> = [];
  for (const item of items) {
    const group = groups.find((g) => g.programId === item.programId);
    if (group) group.items.push(item);
    else groups.push({ programId: item.programId, programName: item.programName, items: [item] });
  }
  return groups;
}

/**
 * "贾岚 → 田慧林": the people in order, one name per stay (a renewal does not repeat its cadre).
 * Each name links to the posting it began with.
 */
function Chain({ items }: { items: Item[] }) {
  const people = items.filter((p, i) => i === 0 || !(p.kind === 'renewal' && items[i - 1]!.cadre.id === p.cadre.id));
  return (
    <Flex gap={6} align="center" wrap data-testid="secretary-chain">
      {people.map((p, i) => (
        <Fragment key={p.id}>
          {i > 0 && <ArrowRightOutlined style={{ color: '#999' }} />}
          <Link to={`/programs/postings/${p.id}`} data-testid="chain-name">
            {p.cadre.name}
          </Link>
        </Fragment>
      ))}
    </Flex>
  );
}

export function SecretaryTimeline({ items }: { items: Item[] }) {
  const { t } = useI18n();
  const reasonText = useReasonText();
  return (
    <Timeline
      data-testid="secretary-timeline"
      items={items.map((p) => ({
        key: p.id,
        color: p.status === 'active' ? 'green' : 'gray',
        content: (
          <div data-testid="secretary-item" data-cadre={p.cadre.name}>
            <Flex gap={8} align="center" wrap>
              <Link to={`/programs/postings/${p.id}`}>
                <Typography.Text strong>{p.cadre.name}</Typography.Text>
              </Link>
              {p.cadre.position && <Typography.Text type="secondary">{p.cadre.position}</Typography.Text>}
              <StatusTag status={p.status} />
              <KindTag kind={p.kind} />
            </Flex>
            <Flex gap={8} align="center" wrap style={{ marginTop: 2 }}>
              <Typography.Text type="secondary">{p.cadre.unitName}</Typography.Text>
              <UnitTypeTag type={p.cadre.unitType} />
            </Flex>
            <div style={{ marginTop: 2 }}>
              <Typography.Text data-testid="secretary-span">{spanText(p.startDate, p.endDate, t)}</Typography.Text>
              <Typography.Text type="secondary"> · {t('prog.batch.name', { n: p.batchNumber })}</Typography.Text>
              {p.endReason && (
                <Typography.Text type="secondary"> · {t('prog.end.because', { reason: reasonText(p.endReason) })}</Typography.Text>
              )}
            </div>
            {p.handoverIn && (
              <Card size="small" style={{ marginTop: 8, maxWidth: 640 }} title={t('prog.handover.from')} data-testid="secretary-handover">
                <HandoverView handover={p.handoverIn} />
              </Card>
            )}
          </div>
        ),
      }))}
    />
  );
}

/**
 * The secretaries on the geography page's community detail: the chain per program, with a link
 * to the full history and matching. Nothing is said to users who may not read the programs.
 */
export function CommunitySecretariesSection({ code }: { code: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { state, can } = useAuth();
  const allowed = state.kind === 'user' && can('programs.read');
  const history = useLoad(allowed ? `sec:${code}:${state.kind === 'user' ? state.session.user.id : ''}` : null, (signal) =>
    programsApi.secretaries(code, signal),
  );
  if (!allowed) return null;
  if (history.kind === 'loading') return <Skeleton active paragraph={{ rows: 1 }} />;
  if (history.kind === 'error') {
    // Outside the user's scope: the profile above already says so.
    if (history.error instanceof ApiError && history.error.status === 403) return null;
    return <LoadError error={history.error} errorText={errorText} />;
  }
  const groups = byProgram(history.data.items);
  return (
    <>
      <Divider titlePlacement="start">{t('prog.history.title')}</Divider>
      <Flex vertical gap={8} data-testid="community-secretaries">
        {groups.length === 0 ? (
          <Typography.Text type="secondary">{t('prog.history.none')}</Typography.Text>
        ) : (
          groups.map((g) => (
            <Flex key={g.programId} gap={12} align="center" wrap>
              <Tag>{g.programName}</Tag>
              <Chain items={g.items} />
            </Flex>
          ))
        )}
        <Link to={`/programs/communities/${code}`} data-testid="community-secretaries-link">
          {t('prog.history.open')}
        </Link>
      </Flex>
    </>
  );
}

export const CommunitySecretariesPage = guardedPage('programs.read', 'nav.programs', CommunityHistory);

/** GET /communities/{code}/secretaries: the chain of secretaries with dates and handovers; and matching. */
function CommunityHistory() {
  const { t } = useI18n();
  const { code = '' } = useParams();
  const history = useLoad(`history:${code}`, (signal) => programsApi.secretaries(code, signal));

  if (history.kind !== 'ready') return <NotReady remote={history} />;
  const h = history.data;
  const groups = byProgram(h.items);
  const current = h.items.filter((p) => p.status === 'active');

  return (
    <Flex vertical gap={16} data-testid="community-history" data-code={h.communityCode}>
      <Card>
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[
            { key: 'list', title: <Link to="/programs">{t('prog.title')}</Link> },
            { key: 'geo', title: <Link to={`/geo/${h.communityCode}`}>{h.communityName}</Link> },
            { key: 'self', title: t('prog.history.title') },
          ]}
        />
        <PageTitle
          title={t('prog.history.heading', { community: h.communityName })}
          subtitle={
            current.length > 0
              ? t('prog.history.current', { names: current.map((p) => p.cadre.name).join('、') })
              : t('prog.history.noCurrent')
          }
        />
        {groups.length === 0 ? (
          <Empty description={t('prog.history.none')} />
        ) : (
          <Flex vertical gap={24}>
            {groups.map((g) => (
              <div key={g.programId} data-testid="history-program">
                <Flex gap={12} align="center" wrap style={{ marginBottom: 16 }}>
                  <Link to={`/programs/${g.programId}`}>
                    <Typography.Title level={5} style={{ margin: 0 }}>
                      {g.programName}
                    </Typography.Title>
                  </Link>
                  <Chain items={g.items} />
                </Flex>
                <SecretaryTimeline items={g.items} />
              </div>
            ))}
          </Flex>
        )}
      </Card>
      <Card title={t('prog.match.title')}>
        <Alert type="info" showIcon title={t('prog.match.hint')} style={{ marginBottom: 16 }} />
        <MatchPanel code={h.communityCode} programId={groups[0]?.programId} />
      </Card>
    </Flex>
  );
}
