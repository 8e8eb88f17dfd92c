import { ArrowLeftOutlined, EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { ApiError, isAbort } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { formatBeijingTime } from '../../format.ts';
import { useI18n, useT } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { appealsApi, type AppealDetail, type Step } from './api.ts';
import { AppealTimeline } from './AppealTimeline.tsx';
import {
  categoryName,
  channelKey,
  kindKey,
  satisfactionKey,
  statusColor,
  statusKey,
  stepDoneKey,
  stepKey,
  unitTypeKey,
  urgencyKey,
} from './appealText.ts';
import { DueTime } from './DueTime.tsx';
import { StepDialog } from './StepDialog.tsx';
import './appeals.css';

export const AppealPage = guardedPage('appeal.read', 'nav.appeals', AppealView);

type LoadState = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; appeal: AppealDetail; loadedAt: number };

/**
 * The reporter, masked as the server sends it; roles whose work needs it may unmask it, one
 * deliberate click that the server writes to the audit log.
 */
function Reporter({ appeal }: { appeal: AppealDetail }) {
  const t = useT();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [revealed, setRevealed] = useState<{ reporterName: string | null; reporterPhone: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = revealed ?? appeal;
  if (!appeal.reporterName && !appeal.reporterPhone) return <Typography.Text type="secondary">—</Typography.Text>;

  async function reveal() {
    setBusy(true);
    try {
      setRevealed(await appealsApi.reporter(appeal.id));
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Flex align="center" gap={8} wrap>
      <span data-testid="appeal-reporter" className="appeal-mono">
        {[shown.reporterName, shown.reporterPhone].filter(Boolean).join(' · ')}
      </span>
      {!revealed && appeal.personalDataMasked && (
        <>
          <Tag style={{ marginInlineEnd: 0 }} data-testid="appeal-masked">
            {t('appeal.masked')}
          </Tag>
          {can('appeal.reveal_reporter') && (
            <Tooltip title={t('appeal.revealHint')}>
              <Button
                size="small"
                type="link"
                icon={<EyeOutlined />}
                loading={busy}
                onClick={() => void reveal()}
                data-testid="appeal-reveal"
              >
                {t('appeal.reveal')}
              </Button>
            </Tooltip>
          )}
        </>
      )}
    </Flex>
  );
}

/** The buttons' order on the page: forward steps first, then the ones that send it back. */
const STEP_ORDER: Step[] = ['dispatch', 'respond', 'handle', 'callback', 'close', 'return', 'reopen'];

/** GET /appeals/{id}: the work order, its timeline, and a button for each step the viewer may take. */
function AppealView() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { refresh } = useAuth();
  const location = useLocation();
  const params = useParams();
  const id = Number(params.id);
  const valid = Number.isInteger(id) && id > 0;
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [step, setStep] = useState<Step | null>(null);
  // The error itself, not its text, so a language switch rewords it.
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const from = (location.state as { from?: unknown } | null)?.from;
  const backTo = typeof from === 'string' && from ? `/appeals?${from}` : '/appeals';

  useEffect(() => {
    if (!valid) return;
    const ctrl = new AbortController();
    // Another appeal (a duplicate's link): show it loading, not the previous one's details.
    setLoad((l) => (l.kind === 'ready' && l.appeal.id === id ? l : { kind: 'loading' }));
    appealsApi
      .get(id, ctrl.signal)
      .then((appeal) => setLoad({ kind: 'ready', appeal, loadedAt: Date.now() }))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        if (err instanceof ApiError && err.status === 401) refresh();
        setLoad({ kind: 'error', error: err });
      });
    return () => ctrl.abort();
  }, [id, valid, generation]);

  const back = (
    <Link to={backTo} data-testid="appeal-back">
      <ArrowLeftOutlined /> {t('appeals.back')}
    </Link>
  );

  if (!valid || (load.kind === 'error' && load.error instanceof ApiError && load.error.status === 404)) {
    return (
      <Card data-testid="appeal-detail">
        <Result status="404" title={t('appeal.notFound', { id: params.id ?? '' })} subTitle={t('appeal.notFoundHint')} extra={back} />
      </Card>
    );
  }
  if (load.kind === 'error') return <Alert type="error" showIcon title={errorText(load.error)} action={back} />;
  if (load.kind === 'loading') {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }

  const { appeal, loadedAt } = load;
  const steps = STEP_ORDER.filter((s) => appeal.nextSteps.includes(s));
  const none = <Typography.Text type="secondary">—</Typography.Text>;
  const time = (iso: string | null) => (iso ? <span className="appeal-mono">{formatBeijingTime(iso)}</span> : none);
  // A deadline with whether it was met (or how long is left); none where the step has no deadline.
  const due = (key: 'responseDue' | 'handlingDue', at: string | null, done: string | null, testId: string) => ({
    key,
    label: t(`appeal.field.${key}`),
    children: at ? <DueTime due={at} done={done} now={loadedAt} testId={testId} /> : none,
  });
  const chain: { code: string; name: string }[] = [
    { code: appeal.districtCode, name: appeal.districtName },
    ...(appeal.streetCode && appeal.streetName ? [{ code: appeal.streetCode, name: appeal.streetName }] : []),
    ...(appeal.communityCode && appeal.communityName ? [{ code: appeal.communityCode, name: appeal.communityName }] : []),
  ];

  const callback: ReactNode = appeal.lastCallbackAt ? (
    <span data-testid="appeal-callback">
      {appeal.contacted
        ? t('appeal.callbackSummary', {
            solved: appeal.solved ? t('appeal.eventText.solved') : t('appeal.eventText.unsolved'),
            satisfaction: appeal.satisfaction ? t(satisfactionKey(appeal.satisfaction)) : '—',
          })
        : t('appeal.callbackMissed')}
      <Typography.Text type="secondary" className="appeal-mono" style={{ marginInlineStart: 8, fontSize: 12 }}>
        {formatBeijingTime(appeal.lastCallbackAt)}
      </Typography.Text>
    </span>
  ) : (
    none
  );

  const items = [
    {
      key: 'category',
      label: t('appeal.field.category'),
      children: <span data-testid="appeal-category">{categoryName(appeal, lang)}</span>,
    },
    { key: 'kind', label: t('appeal.field.kind'), children: t(kindKey(appeal.kind)) },
    { key: 'channel', label: t('appeal.field.channel'), children: t(channelKey(appeal.channel)) },
    { key: 'received', label: t('appeal.field.received'), children: time(appeal.receivedAt) },
    {
      key: 'place',
      label: t('appeal.field.place'),
      span: 2,
      children: (
        <Breadcrumb
          data-testid="appeal-place"
          items={chain.map((link) => ({ key: link.code, title: <Link to={`/geo/${link.code}`}>{link.name}</Link> }))}
        />
      ),
    },
    { key: 'address', label: t('appeal.field.address'), span: 2, children: appeal.address ?? none },
    {
      key: 'reporter',
      label: t('appeal.field.reporter'),
      span: 2,
      children: <Reporter key={appeal.id} appeal={appeal} />,
    },
    {
      key: 'unit',
      label: t('appeal.field.unit'),
      span: 2,
      children: appeal.dispatchedUnit ? (
        <span data-testid="appeal-unit">
          {appeal.dispatchedUnit.name}
          <Typography.Text type="secondary">
            {lang === 'zh' ? `（${t(unitTypeKey(appeal.dispatchedUnit.type))}）` : ` (${t(unitTypeKey(appeal.dispatchedUnit.type))})`}
          </Typography.Text>
        </span>
      ) : (
        <Typography.Text type="secondary">{t('appeal.notDispatched')}</Typography.Text>
      ),
    },
    { key: 'dispatchedAt', label: t('appeal.field.dispatchedAt'), children: time(appeal.dispatchedAt) },
    { key: 'closedAt', label: t('appeal.field.closedAt'), children: time(appeal.closedAt) },
    due('responseDue', appeal.responseDueAt, appeal.respondedAt, 'appeal-response-due'),
    { key: 'respondedAt', label: t('appeal.field.respondedAt'), children: time(appeal.respondedAt) },
    due('handlingDue', appeal.handlingDueAt, appeal.handledAt, 'appeal-handling-due'),
    { key: 'handledAt', label: t('appeal.field.handledAt'), children: time(appeal.handledAt) },
    { key: 'callback', label: t('appeal.field.callback'), span: 2, children: callback },
    {
      key: 'createdBy',
      label: t('appeal.field.createdBy'),
      span: 2,
      children: (
        <span>
          {appeal.createdBy}
          <Typography.Text type="secondary" className="appeal-mono" style={{ marginInlineStart: 8 }}>
            {formatBeijingTime(appeal.createdAt)}
          </Typography.Text>
        </span>
      ),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="appeal-detail" data-id={appeal.id} data-version={appeal.version} data-status={appeal.status}>
      <div>{back}</div>
      {conflict && (
        <Alert
          type="warning"
          showIcon
          data-testid="appeal-conflict"
          title={t('appeal.conflict', { reason: errorText(conflict) })}
          description={t('appeal.conflictReloaded')}
          closable={{ onClose: () => setConflict(null) }}
        />
      )}
      <Card>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <div style={{ minWidth: 0 }}>
            <Flex align="center" gap={8} wrap>
              <Typography.Title level={3} style={{ margin: 0 }} copyable={{ text: appeal.ticketNo }} data-testid="appeal-ticket">
                {appeal.ticketNo}
              </Typography.Title>
              <Tag color={statusColor[appeal.status]} data-testid="appeal-status" style={{ marginInlineEnd: 0 }}>
                {t(statusKey(appeal.status))}
              </Tag>
              {appeal.overdue && (
                <Tag color="error" data-testid="appeal-overdue" style={{ marginInlineEnd: 0 }}>
                  {t('appeals.overdue')}
                </Tag>
              )}
              {appeal.urgency === 'urgent' && (
                <Tag color="volcano" style={{ marginInlineEnd: 0 }}>
                  {t(urgencyKey(appeal.urgency))}
                </Tag>
              )}
              {appeal.historical && (
                <Tag color="gold" style={{ marginInlineEnd: 0 }}>
                  {t('appeal.historical')}
                </Tag>
              )}
              {appeal.duplicateOf !== null && (
                <Link to={`/appeals/${appeal.duplicateOf}`}>
                  <Tag style={{ marginInlineEnd: 0, cursor: 'pointer' }}>{t('appeal.duplicateOf', { id: appeal.duplicateOf })}</Tag>
                </Link>
              )}
            </Flex>
            <Typography.Text type="secondary">
              {categoryName(appeal, lang)} · {t(kindKey(appeal.kind))} · {chain.map((c) => c.name).join(' / ')}
            </Typography.Text>
          </div>
          <Flex gap={8} wrap data-testid="appeal-actions">
            {steps.map((s, i) => (
              <Button
                key={s}
                type={i === 0 && s !== 'return' && s !== 'reopen' ? 'primary' : 'default'}
                danger={s === 'return' || s === 'reopen'}
                onClick={() => setStep(s)}
                data-testid={`appeal-step-${s}`}
              >
                {t(stepKey(s))}
              </Button>
            ))}
            <Button
              icon={<ReloadOutlined />}
              aria-label={t('appeal.reloaded')}
              title={t('appeal.reloaded')}
              onClick={() => setGeneration((g) => g + 1)}
              data-testid="appeal-reload"
            />
          </Flex>
        </Flex>
        <Typography.Paragraph
          style={{ marginTop: 16, marginBottom: 0, fontSize: 15, whiteSpace: 'pre-wrap' }}
          data-testid="appeal-description"
        >
          {appeal.description}
        </Typography.Paragraph>
        {steps.length === 0 && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
            {t('appeal.noActions')}
          </Typography.Text>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('appeal.details')}>
            <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} items={items} styles={{ label: { whiteSpace: 'nowrap' } }} />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('appeal.timeline')}>
            <AppealTimeline events={appeal.events} />
          </Card>
        </Col>
      </Row>
      <StepDialog
        appeal={appeal}
        step={step}
        onClose={() => setStep(null)}
        onDone={(updated, done) => {
          setStep(null);
          setConflict(null);
          setLoad({ kind: 'ready', appeal: updated, loadedAt: Date.now() });
          message.success(t(stepDoneKey(done)));
        }}
        onConflict={(err) => {
          setStep(null);
          setConflict(err);
          setGeneration((g) => g + 1);
        }}
      />
    </Flex>
  );
}
