import { ForwardOutlined, LogoutOutlined, SwapOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Col, Descriptions, Flex, List, Row, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { programsApi, type Handover, type PostingDetail } from './api.ts';
import { ApprenticeshipsCard } from './ApprenticeshipsCard.tsx';
import { KindTag, NotReady, PageTitle, programKindKey, type Remote, spanText, StatusTag, useLoad, useReasonText } from './common.tsx';
import { DutyDaysCard } from './DutyDaysCard.tsx';
import { ImpactSection } from '../impact/ImpactCard.tsx';
import { UnitTypeTag } from './pickers.tsx';
import { EndPostingDialog, RenewalDialog, SuccessionDialog } from './PostingActions.tsx';

export const PostingPage = guardedPage('programs.read', 'nav.programs', PostingView);

/** What one secretary handed the next: notes, open items, contacts. */
export function HandoverView({ handover, testId }: { handover: Handover; testId?: string }) {
  const { t } = useI18n();
  return (
    <div data-testid={testId}>
      <Typography.Text type="secondary">{t('prog.handover.on', { date: handover.date })}</Typography.Text>
      {handover.notes && <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{handover.notes}</Typography.Paragraph>}
      {handover.openItems.length > 0 && (
        <>
          <Typography.Text strong>{t('prog.handover.openItems')}</Typography.Text>
          <ul style={{ margin: '4px 0 8px', paddingInlineStart: 20 }} data-testid="handover-items">
            {handover.openItems.map((i, n) => (
              <li key={n}>{i.description}</li>
            ))}
          </ul>
        </>
      )}
      {handover.contacts.length > 0 && (
        <>
          <Typography.Text strong>{t('prog.handover.contacts')}</Typography.Text>
          <List
            size="small"
            split={false}
            dataSource={handover.contacts}
            renderItem={(c) => (
              <List.Item style={{ padding: '2px 0' }}>
                {c.name}
                {c.role && <Typography.Text type="secondary"> · {c.role}</Typography.Text>}
                {c.phone && <Typography.Text type="secondary"> · {c.phone}</Typography.Text>}
              </List.Item>
            )}
          />
        </>
      )}
    </div>
  );
}

type Dialog = 'succession' | 'renewal' | 'end' | null;

/** A linked posting by its cadre and dates: "贾岚（2021-11-30 — 2023-01-31）". */
function PostingRef({ id, linked, testId }: { id: number | null; linked: Remote<PostingDetail>; testId: string }) {
  const { t, lang } = useI18n();
  if (id === null) return <>—</>;
  const span = linked.kind === 'ready' ? spanText(linked.data.startDate, linked.data.endDate, t) : '';
  return (
    <Link to={`/programs/postings/${id}`} data-testid={testId}>
      {linked.kind === 'ready'
        ? lang === 'zh'
          ? `${linked.data.cadre.name}（${span}）`
          : `${linked.data.cadre.name} (${span})`
        : t('prog.posting.ref', { id })}
    </Link>
  );
}

/** One posting: who, where, when, its chain (predecessor, successor), actions, duty days and apprentices. */
function PostingView() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { id: idParam = '' } = useParams();
  const id = Number(idParam);
  const [dialog, setDialog] = useState<Dialog>(null);
  const posting = useLoad(`posting:${id}`, (signal) => programsApi.posting(id, signal));
  const reasonText = useReasonText();
  const programId = posting.kind === 'ready' ? posting.data.programId : null;
  const predecessorId = posting.kind === 'ready' ? posting.data.predecessorPostingId : null;
  const successorId = posting.kind === 'ready' ? posting.data.successorPostingId : null;
  const predecessor = useLoad(predecessorId !== null ? `posting:${predecessorId}` : null, (signal) =>
    programsApi.posting(predecessorId!, signal),
  );
  const successor = useLoad(successorId !== null ? `posting:${successorId}` : null, (signal) => programsApi.posting(successorId!, signal));
  const batches = useLoad(programId !== null ? `batches:${programId}` : null, (signal) => programsApi.batches(programId!, signal));

  if (posting.kind !== 'ready') return <NotReady remote={posting} />;
  const p = posting.data;
  const manage = can('programs.manage');
  const open = p.successorPostingId === null;
  const batchList = batches.kind === 'ready' ? batches.data.items : [];
  // The same cadre continuing is a renewal; another cadre taking over is a succession.
  const successorKey =
    successor.kind === 'ready' && successor.data.kind === 'renewal' ? 'prog.posting.renewedAs' : 'prog.posting.successor';
  const predecessorKey = p.kind === 'renewal' ? 'prog.posting.renewedFrom' : 'prog.posting.predecessor';

  return (
    <Flex vertical gap={16} data-testid="posting-detail" data-id={p.id} data-status={p.status}>
      <Card>
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[
            { key: 'list', title: <Link to="/programs">{t('prog.title')}</Link> },
            { key: 'program', title: <Link to={`/programs/${p.programId}?batch=${p.batchId}`}>{p.programName}</Link> },
            {
              key: 'batch',
              title: <Link to={`/programs/${p.programId}?batch=${p.batchId}`}>{t('prog.batch.name', { n: p.batchNumber })}</Link>,
            },
            { key: 'self', title: `${p.communityName} · ${p.cadre.name}` },
          ]}
        />
        <PageTitle
          title={
            <span data-testid="posting-title">
              {p.cadre.name} · {p.communityName}
            </span>
          }
          tags={
            <Flex gap={6} style={{ display: 'inline-flex', verticalAlign: 'middle' }}>
              <StatusTag status={p.status} />
              <KindTag kind={p.kind} />
            </Flex>
          }
          subtitle={`${t(programKindKey(p.role))} · ${spanText(p.startDate, p.endDate, t)}`}
          extra={
            manage &&
            open && (
              <>
                <Button type="primary" icon={<SwapOutlined />} onClick={() => setDialog('succession')} data-testid="posting-succeed">
                  {t('prog.succession.action')}
                </Button>
                <Button icon={<ForwardOutlined />} onClick={() => setDialog('renewal')} data-testid="posting-renew">
                  {t('prog.renewal.action')}
                </Button>
                <Button icon={<LogoutOutlined />} onClick={() => setDialog('end')} data-testid="posting-end">
                  {t('prog.end.action')}
                </Button>
              </>
            )
          }
        />
        <Row gutter={[24, 16]}>
          <Col xs={24} xl={14}>
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, md: 2 }}
              items={[
                {
                  key: 'cadre',
                  label: t('prog.col.cadre'),
                  children: (
                    <Link to={`/programs/cadres/${p.cadre.id}`} data-testid="posting-cadre-link">
                      {p.cadre.name}
                    </Link>
                  ),
                },
                { key: 'position', label: t('prog.cadre.position'), children: p.cadre.position ?? '—' },
                {
                  key: 'unit',
                  label: t('prog.col.unit'),
                  span: 2,
                  children: (
                    <Flex gap={8} align="center" wrap>
                      {p.cadre.unitName} <UnitTypeTag type={p.cadre.unitType} />
                    </Flex>
                  ),
                },
                {
                  key: 'community',
                  label: t('prog.col.community'),
                  children: (
                    <Link to={`/programs/communities/${p.communityCode}`} data-testid="posting-community-link">
                      {p.communityName}
                    </Link>
                  ),
                },
                { key: 'street', label: t('prog.col.street'), children: p.streetName },
                {
                  key: 'program',
                  label: t('prog.col.program'),
                  children: <Link to={`/programs/${p.programId}?batch=${p.batchId}`}>{p.programName}</Link>,
                },
                { key: 'batch', label: t('prog.col.batch'), children: t('prog.batch.name', { n: p.batchNumber }) },
                { key: 'start', label: t('prog.col.start'), children: <span data-testid="posting-start">{p.startDate}</span> },
                {
                  key: 'end',
                  label: t('prog.col.end'),
                  children: <span data-testid="posting-end-date">{p.endDate ?? t('prog.openEnd')}</span>,
                },
                ...(p.endReason ? [{ key: 'reason', label: t('prog.end.reason'), span: 2, children: reasonText(p.endReason) }] : []),
                {
                  key: 'pred',
                  label: t(predecessorKey),
                  children: <PostingRef id={p.predecessorPostingId} linked={predecessor} testId="posting-predecessor" />,
                },
                {
                  key: 'succ',
                  label: t(successorKey),
                  children: <PostingRef id={p.successorPostingId} linked={successor} testId="posting-successor" />,
                },
                ...(p.notes ? [{ key: 'notes', label: t('prog.col.notes'), span: 2, children: p.notes }] : []),
              ]}
            />
          </Col>
          <Col xs={24} xl={10}>
            <Flex vertical gap={12}>
              {p.handoverIn && (
                <Card size="small" type="inner" title={t('prog.handover.in')}>
                  <HandoverView handover={p.handoverIn} testId="handover-in" />
                </Card>
              )}
              {p.handoverOut && (
                <Card size="small" type="inner" title={t('prog.handover.out')}>
                  <HandoverView handover={p.handoverOut} testId="handover-out" />
                </Card>
              )}
              {!p.handoverIn && !p.handoverOut && <Typography.Text type="secondary">{t('prog.handover.none')}</Typography.Text>}
            </Flex>
          </Col>
        </Row>
      </Card>

      <DutyDaysCard key={`duty:${p.id}`} posting={p} onLogged={posting.reload} />
      <ApprenticeshipsCard posting={p} />
      <ImpactSection program={p.programId} posting={p.id} />

      <SuccessionDialog
        posting={p}
        batches={batchList}
        open={dialog === 'succession'}
        onClose={() => setDialog(null)}
        onDone={({ successor }) => {
          setDialog(null);
          message.success(t('prog.succession.done', { cadre: successor.cadre.name, date: successor.startDate }));
          navigate(`/programs/postings/${successor.id}`);
        }}
      />
      <RenewalDialog
        posting={p}
        batches={batchList}
        open={dialog === 'renewal'}
        onClose={() => setDialog(null)}
        onDone={({ renewal }) => {
          setDialog(null);
          message.success(t('prog.renewal.done', { n: renewal.batchNumber }));
          navigate(`/programs/postings/${renewal.id}`);
        }}
      />
      <EndPostingDialog
        posting={p}
        open={dialog === 'end'}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          message.success(t('prog.end.done'));
          posting.reload();
        }}
      />
    </Flex>
  );
}
