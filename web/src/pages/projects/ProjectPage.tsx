import { ArrowLeftOutlined, CheckOutlined, EditOutlined, LinkOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Popconfirm,
  Progress,
  Row,
  Table,
  Tag,
  Timeline,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import type { AppealStatus } from '../appeals/api.ts';
import { statusKey } from '../appeals/appealText.ts';
import { BeforeAfterCard } from './BeforeAfterCard.tsx';
import { useCategoryName } from '../../components/CategorySelect.tsx';
import { LoadError, PageTitle, useLoad } from '../programs/common.tsx';
import {
  projectsApi,
  type Consultation,
  type Fund,
  type LinkedAppeal,
  type Milestone,
  type Output,
  type ProjectDetail,
  type ProjectStatus,
  type Stakeholder,
} from './api.ts';
import {
  beijingDay,
  count,
  moveKey,
  PartTable,
  ProgressBar,
  ProjectFlags,
  ProjectStatusTag,
  useLabel,
  useOutputText,
  yuan,
} from './common.tsx';
import { LinkAppealsDialog } from './LinkAppealsDialog.tsx';
import { PartDialog, type ProjectDialog } from './PartDialogs.tsx';

export const ProjectPage = guardedPage('projects.read', 'nav.projects', ProjectView);

/** GET /projects/:id: the project with its milestones, stakeholders, consultations, funds, outputs and appeals. */
function ProjectView() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const id = Number(useParams().id);
  const project = useLoad(Number.isInteger(id) ? `project-${id}` : null, (signal) => projectsApi.project(id, signal));
  return (
    <Flex vertical gap={16}>
      <div>
        <Link to="/projects">
          <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
            {t('proj.back')}
          </Button>
        </Link>
      </div>
      {project.kind === 'error' && <LoadError error={project.error} errorText={errorText} />}
      {project.kind === 'loading' && <Card loading />}
      {project.kind === 'ready' && <Detail p={project.data} reload={project.reload} />}
    </Flex>
  );
}

const isOpen = (s: ProjectStatus) => s !== 'completed' && s !== 'cancelled';

/**
 * The project, and for those who may change it (abilities.manage, decided by the server for this
 * project) the buttons that change it. Progress comes from the milestones, never typed.
 */
function Detail({ p, reload }: { p: ProjectDetail; reload: () => void }) {
  const { t, lang } = useI18n();
  const label = useLabel();
  const output = useOutputText();
  const categoryName = useCategoryName();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<ProjectDialog | null>(null);
  const [linking, setLinking] = useState(false);
  const [pageError, setPageError] = useState<unknown>(null);
  const manage = p.abilities.manage;
  const open = isOpen(p.status);
  const dash = (s: string | null) => s ?? '—';
  const category = (code: string, zh: string) => (lang === 'zh' ? zh : categoryName(code));

  const saved = (text: string) => {
    setDialog(null);
    setLinking(false);
    setPageError(null);
    message.success(text);
    reload();
  };
  /** A write without a dialog (remove, unlink): a refusal shows above the cards. */
  const act = async (write: () => Promise<unknown>) => {
    try {
      await write();
      saved(t('proj.saved'));
    } catch (err) {
      setPageError(err);
    }
  };
  const addButton = (text: string, onClick: () => void, testId: string, icon = <PlusOutlined />) =>
    manage && (
      <Button size="small" icon={icon} onClick={onClick} data-testid={testId}>
        {text}
      </Button>
    );

  return (
    <>
      <Card data-testid="project-header" data-id={p.id} data-status={p.status}>
        <PageTitle
          title={p.title}
          subtitle={`${p.streetName} · ${p.communityName}`}
          tags={
            <Flex gap={4} style={{ display: 'inline-flex', verticalAlign: 'middle' }}>
              <ProjectStatusTag status={p.status} label={p.statusLabel} />
              <ProjectFlags p={p} />
            </Flex>
          }
          extra={manage && <Transitions p={p} onPick={(to) => setDialog({ kind: 'transition', to })} />}
        />
        {p.description && <Typography.Paragraph>{p.description}</Typography.Paragraph>}
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('proj.category')}>{category(p.categoryCode, p.categoryName)}</Descriptions.Item>
          <Descriptions.Item label={t('proj.origin')}>{t(`proj.origin.${p.origin}`)}</Descriptions.Item>
          <Descriptions.Item label={t('proj.lead')}>{p.leadPosting?.cadreName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('proj.planned')}>{`${dash(p.plannedStartDate)} — ${dash(p.plannedEndDate)}`}</Descriptions.Item>
          <Descriptions.Item label={t('proj.actual')}>
            <span data-testid="actual-dates">{`${dash(p.actualStartDate)} — ${dash(p.actualEndDate)}`}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('proj.expected')}>{dash(p.expectedCompletionDate)}</Descriptions.Item>
          <Descriptions.Item label={t('proj.households')}>{p.householdsBenefited ?? '—'}</Descriptions.Item>
        </Descriptions>
        <Flex align="center" gap={12} style={{ maxWidth: 480, marginTop: 8 }}>
          <Typography.Text type="secondary">{t('proj.progress')}</Typography.Text>
          <div style={{ flex: 1 }} data-testid="project-progress">
            <ProgressBar progress={p.progress} />
          </div>
        </Flex>
      </Card>
      {pageError !== null && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setPageError(null) }}
          title={errorText(pageError)}
          data-testid="project-error"
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Card
            title={t('proj.milestones')}
            style={{ height: '100%' }}
            extra={open && addButton(t('proj.milestone.add'), () => setDialog({ kind: 'milestone' }), 'milestone-add')}
          >
            {p.milestones.length === 0 ? (
              <Typography.Text type="secondary">{t('proj.empty')}</Typography.Text>
            ) : (
              <Timeline
                data-testid="milestones"
                items={p.milestones.map((m) => ({
                  color: m.doneOn ? 'green' : 'gray',
                  content: (
                    <MilestoneItem
                      m={m}
                      onDone={manage && open && !m.doneOn ? () => setDialog({ kind: 'milestoneDone', milestone: m }) : undefined}
                    />
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card
            title={t('proj.stakeholders')}
            style={{ height: '100%' }}
            extra={addButton(t('proj.stakeholder.add'), () => setDialog({ kind: 'stakeholder' }), 'stakeholder-add')}
          >
            <PartTable<Stakeholder>
              rowKey="id"
              testId="stakeholders"
              dataSource={p.stakeholders}
              onRow={(s) => ({ 'data-testid': 'stakeholder-row', 'data-unit': s.unitName }) as HTMLAttributes<HTMLElement>}
              columns={[
                { key: 'unit', title: t('proj.unit'), dataIndex: 'unitName' },
                {
                  key: 'role',
                  title: t('proj.role'),
                  render: (_, s) => <Tag style={{ marginInlineEnd: 0 }}>{label('proj.role', s.role, s.roleLabel)}</Tag>,
                },
                ...(p.stakeholders.some((s) => s.note)
                  ? [{ key: 'note', title: t('proj.note'), render: (_: unknown, s: Stakeholder) => s.note ?? '' }]
                  : []),
                ...(manage
                  ? [
                      {
                        key: 'actions',
                        title: t('proj.actions'),
                        width: 90,
                        render: (_: unknown, s: Stakeholder) => (
                          <Popconfirm
                            title={t('proj.stakeholder.removeConfirm', { name: s.unitName, role: label('proj.role', s.role, s.roleLabel) })}
                            onConfirm={() => act(() => projectsApi.removeStakeholder(p.id, s.id))}
                          >
                            <Button type="link" size="small" danger style={{ paddingInline: 0 }} data-testid="stakeholder-remove">
                              {t('proj.stakeholder.remove')}
                            </Button>
                          </Popconfirm>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card
        title={t('proj.consultations')}
        extra={addButton(t('proj.consultation.add'), () => setDialog({ kind: 'consultation' }), 'consultation-add')}
      >
        <PartTable<Consultation> rowKey="id" testId="consultations" dataSource={p.consultations} columns={consultationColumns(t, label)} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card
            title={t('proj.funds')}
            style={{ height: '100%' }}
            extra={addButton(t('proj.fund.add'), () => setDialog({ kind: 'fund' }), 'fund-add')}
          >
            <PartTable<Fund>
              rowKey="id"
              testId="funds"
              dataSource={p.funds}
              columns={[
                { key: 'date', title: t('proj.fund.date'), dataIndex: 'receivedOn', width: 110 },
                {
                  key: 'source',
                  title: t('proj.fund.source'),
                  render: (_, f) => (f.note ? `${f.sourceUnitName}（${f.note}）` : f.sourceUnitName),
                },
                { key: 'amount', title: t('proj.fund.amount'), align: 'end', render: (_, f) => yuan(f.amount) },
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2}>
                    <Typography.Text strong>{t('proj.fund.total')}</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    <Typography.Text strong data-testid="funds-total">
                      {yuan(p.fundsTotal)}
                    </Typography.Text>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={t('proj.outputs')}
            style={{ height: '100%' }}
            extra={addButton(t('proj.output.add'), () => setDialog({ kind: 'output' }), 'output-add')}
          >
            <PartTable<Output>
              rowKey="id"
              testId="outputs"
              dataSource={p.outputs}
              onRow={(o) => ({ 'data-testid': 'output-row', 'data-kind': o.kind }) as HTMLAttributes<HTMLElement>}
              columns={[
                { key: 'kind', title: t('proj.output.kind'), render: (_, o) => output.label(o.kind, o.label) },
                {
                  key: 'achieved',
                  title: t('proj.output.achieved'),
                  align: 'end',
                  render: (_, o) => (
                    <span data-testid="output-achieved-text">{`${count(o.achieved)} / ${count(o.target)} ${output.unit(o.kind, o.unitLabel)}`}</span>
                  ),
                },
                {
                  key: 'progress',
                  title: t('proj.output.progress'),
                  width: 150,
                  render: (_, o) => (
                    <Progress
                      size="small"
                      percent={o.target > 0 ? Math.min(100, Math.round((o.achieved / o.target) * 100)) : 0}
                      status={o.done ? 'success' : 'normal'}
                    />
                  ),
                },
                ...(manage
                  ? [
                      {
                        key: 'actions',
                        title: t('proj.actions'),
                        width: 110,
                        render: (_: unknown, o: Output) => (
                          <Button
                            type="link"
                            size="small"
                            icon={<EditOutlined />}
                            style={{ paddingInline: 0 }}
                            onClick={() => setDialog({ kind: 'outputUpdate', output: o })}
                            data-testid="output-update"
                          >
                            {t('proj.output.update')}
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
      </Row>
      <BeforeAfterCard project={p} />
      <Card
        title={`${t('proj.appeals')} (${p.linkedAppeals.total})`}
        extra={addButton(t('proj.appeal.link'), () => setLinking(true), 'appeals-link', <LinkOutlined />)}
      >
        <PartTable<LinkedAppeal>
          rowKey="appealId"
          testId="linked-appeals"
          dataSource={p.linkedAppeals.items}
          onRow={(a) => ({ 'data-testid': 'linked-appeal-row', 'data-ticket': a.ticketNo }) as HTMLAttributes<HTMLElement>}
          columns={[
            { key: 'ticket', title: t('proj.appeal.ticket'), render: (_, a) => <Link to={`/appeals/${a.appealId}`}>{a.ticketNo}</Link> },
            { key: 'received', title: t('proj.appeal.received'), render: (_, a) => beijingDay(a.receivedAt) },
            { key: 'category', title: t('proj.appeal.category'), render: (_, a) => category(a.categoryCode, a.categoryName) },
            { key: 'summary', title: t('proj.appeal.summary'), dataIndex: 'summary', ellipsis: true },
            {
              key: 'status',
              title: t('proj.appeal.status'),
              render: (_, a) => <Tag style={{ marginInlineEnd: 0 }}>{t(statusKey(a.status as AppealStatus))}</Tag>,
            },
            { key: 'linkedOn', title: t('proj.appeal.linkedOn'), dataIndex: 'linkedOn' },
            ...(manage
              ? [
                  {
                    key: 'actions',
                    title: t('proj.actions'),
                    width: 90,
                    render: (_: unknown, a: LinkedAppeal) => (
                      <Popconfirm
                        title={t('proj.appeal.unlinkConfirm', { ticket: a.ticketNo })}
                        onConfirm={() => act(() => projectsApi.unlinkAppeal(p.id, a.appealId))}
                      >
                        <Button type="link" size="small" danger style={{ paddingInline: 0 }} data-testid="appeal-unlink">
                          {t('proj.appeal.unlink')}
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card title={t('proj.history')}>
        <Timeline
          data-testid="history"
          items={p.history.map((h) => ({
            content: (
              <>
                <Typography.Text>{h.date}</Typography.Text>{' '}
                {h.from && (
                  <>
                    <ProjectStatusTag status={h.from as ProjectStatus} /> →{' '}
                  </>
                )}
                <ProjectStatusTag status={h.to} />
                <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                  {[h.note, h.actor].filter(Boolean).join(' · ')}
                </Typography.Text>
              </>
            ),
          }))}
        />
      </Card>
      {dialog && <PartDialog p={p} dialog={dialog} onClose={() => setDialog(null)} onSaved={saved} />}
      {linking && (
        <LinkAppealsDialog
          p={p}
          linked={new Set(p.linkedAppeals.items.map((a) => a.appealId))}
          onClose={() => setLinking(false)}
          onSaved={saved}
        />
      )}
    </>
  );
}

function MilestoneItem({ m, onDone }: { m: Milestone; onDone?: () => void }) {
  const { t } = useI18n();
  return (
    <div data-testid="milestone" data-title={m.title} data-done={m.doneOn ?? ''}>
      <Typography.Text strong>{m.title}</Typography.Text>{' '}
      <Tag style={{ marginInlineEnd: 0, fontSize: 11 }}>{t('proj.milestone.weightTag', { w: m.weight })}</Tag>
      <br />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[
          m.plannedOn && t('proj.milestone.planned', { d: m.plannedOn }),
          m.doneOn ? t('proj.milestone.done', { d: m.doneOn }) : t('proj.milestone.pending'),
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Text>
      {onDone && (
        <Button
          type="link"
          size="small"
          icon={<CheckOutlined />}
          onClick={onDone}
          style={{ paddingInline: 4 }}
          data-testid="milestone-mark-done"
        >
          {t('proj.milestone.markDone')}
        </Button>
      )}
    </div>
  );
}

function consultationColumns(t: ReturnType<typeof useI18n>['t'], label: ReturnType<typeof useLabel>): TableColumnsType<Consultation> {
  return [
    { key: 'date', title: t('proj.consultation.date'), dataIndex: 'heldOn', width: 110 },
    { key: 'form', title: t('proj.consultation.form'), render: (_, c) => label('proj.form', c.form, c.formLabel), width: 120 },
    { key: 'participants', title: t('proj.consultation.participants'), dataIndex: 'participants', align: 'end', width: 100 },
    {
      key: 'votes',
      title: t('proj.consultation.votes'),
      width: 150,
      render: (_, c) => (
        <>
          <Typography.Text type="success">{c.support}</Typography.Text> / <Typography.Text type="danger">{c.oppose}</Typography.Text> /{' '}
          {c.abstain}
        </>
      ),
    },
    { key: 'summary', title: t('proj.consultation.summary'), render: (_, c) => c.summary ?? '—' },
  ];
}

/** One button per status the server allows next; each opens a dialog for the day and a note. */
function Transitions({ p, onPick }: { p: ProjectDetail; onPick: (to: ProjectStatus) => void }) {
  const { t } = useI18n();
  // The step forward is the primary button; stalling and cancelling are the exceptions.
  const forward = p.allowedTransitions.find((s) => s !== 'stalled' && s !== 'cancelled');
  return (
    <>
      {p.allowedTransitions.map((to) => (
        <Button
          key={to}
          type={to === forward ? 'primary' : 'default'}
          danger={to === 'cancelled'}
          onClick={() => onPick(to)}
          data-testid={`transition-${to}`}
        >
          {t(moveKey(to, p.status))}
        </Button>
      ))}
    </>
  );
}
