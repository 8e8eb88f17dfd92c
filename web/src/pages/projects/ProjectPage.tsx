import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Descriptions, Flex, Popconfirm, Progress, Row, Table, Tag, Timeline, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n.tsx';
import { RequireAbility } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { LoadError, PageTitle, useLoad } from '../programs/common.tsx';
import { projectsApi, type Consultation, type Fund, type LinkedAppeal, type Output, type ProjectDetail, type ProjectStatus, type Stakeholder } from './api.ts';
import { count, ProgressBar, ProjectStatusTag, useLabel, yuan } from './common.tsx';

export function ProjectPage() {
  return (
    <RequireAbility ability="projects.read" pageKey="nav.projects">
      <ProjectView />
    </RequireAbility>
  );
}

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

function Detail({ p, reload }: { p: ProjectDetail; reload: () => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const dash = (s: string | null) => s ?? '—';
  return (
    <>
      <Card data-testid="project-header">
        <PageTitle
          title={p.title}
          subtitle={`${p.streetName} · ${p.communityName}`}
          tags={
            <Flex gap={4} style={{ display: 'inline-flex', verticalAlign: 'middle' }}>
              <ProjectStatusTag status={p.status} label={p.statusLabel} />
              {p.historical && (
                <Tag color="magenta" style={{ marginInlineEnd: 0 }} data-testid="historical-tag">
                  {t('proj.historical')}
                </Tag>
              )}
            </Flex>
          }
          extra={p.abilities.manage && <Transitions p={p} onDone={reload} />}
        />
        {p.description && <Typography.Paragraph>{p.description}</Typography.Paragraph>}
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('proj.category')}>{p.categoryName}</Descriptions.Item>
          <Descriptions.Item label={t('proj.lead')}>{p.leadPosting?.cadreName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('proj.households')}>{p.householdsBenefited ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('proj.planned')}>{`${dash(p.plannedStartDate)} — ${dash(p.plannedEndDate)}`}</Descriptions.Item>
          <Descriptions.Item label={t('proj.actual')}>{`${dash(p.actualStartDate)} — ${dash(p.actualEndDate)}`}</Descriptions.Item>
          <Descriptions.Item label={t('proj.expected')}>{dash(p.expectedCompletionDate)}</Descriptions.Item>
        </Descriptions>
        <Flex align="center" gap={12} style={{ maxWidth: 480, marginTop: 8 }}>
          <Typography.Text type="secondary">{t('proj.progress')}</Typography.Text>
          <div style={{ flex: 1 }} data-testid="project-progress">
            <ProgressBar progress={p.progress} />
          </div>
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Card title={t('proj.milestones')} style={{ height: '100%' }}>
            {p.milestones.length === 0 ? (
              <Typography.Text type="secondary">{t('proj.empty')}</Typography.Text>
            ) : (
              <Timeline
                data-testid="milestones"
                items={p.milestones.map((m) => ({
                  color: m.doneOn ? 'green' : 'gray',
                  content: (
                    <>
                      <Typography.Text strong>{m.title}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {[m.plannedOn && t('proj.milestone.planned', { d: m.plannedOn }), m.doneOn ? t('proj.milestone.done', { d: m.doneOn }) : t('proj.milestone.pending')]
                          .filter(Boolean)
                          .join(' · ')}
                      </Typography.Text>
                    </>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card title={t('proj.stakeholders')} style={{ height: '100%' }}>
            <Table<Stakeholder>
              rowKey="id"
              size="small"
              pagination={false}
              data-testid="stakeholders"
              dataSource={p.stakeholders}
              locale={{ emptyText: t('proj.empty') }}
              columns={[
                { key: 'unit', title: t('proj.unit'), dataIndex: 'unitName' },
                { key: 'role', title: t('proj.role'), render: (_, s) => <Tag style={{ marginInlineEnd: 0 }}>{label('proj.role', s.role, s.roleLabel)}</Tag> },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('proj.consultations')}>
        <Table<Consultation> rowKey="id" size="small" pagination={false} data-testid="consultations" dataSource={p.consultations} locale={{ emptyText: t('proj.empty') }} columns={consultationColumns(t, label)} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('proj.funds')} style={{ height: '100%' }}>
            <Table<Fund>
              rowKey="id"
              size="small"
              pagination={false}
              data-testid="funds"
              dataSource={p.funds}
              locale={{ emptyText: t('proj.empty') }}
              columns={[
                { key: 'date', title: t('proj.fund.date'), dataIndex: 'receivedOn' },
                { key: 'source', title: t('proj.fund.source'), dataIndex: 'sourceUnitName' },
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
          <Card title={t('proj.outputs')} style={{ height: '100%' }}>
            <Table<Output>
              rowKey="id"
              size="small"
              pagination={false}
              data-testid="outputs"
              dataSource={p.outputs}
              locale={{ emptyText: t('proj.empty') }}
              columns={[
                { key: 'kind', title: t('proj.output.kind'), dataIndex: 'label' },
                { key: 'achieved', title: t('proj.output.achieved'), align: 'end', render: (_, o) => `${count(o.achieved)} / ${count(o.target)} ${o.unitLabel}` },
                {
                  key: 'progress',
                  title: t('proj.output.progress'),
                  width: 160,
                  render: (_, o) => <Progress size="small" percent={o.target > 0 ? Math.min(100, Math.round((o.achieved / o.target) * 100)) : 0} status={o.done ? 'success' : 'normal'} />,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card title={`${t('proj.appeals')} (${p.linkedAppeals.total})`}>
        <Table<LinkedAppeal>
          rowKey="appealId"
          size="small"
          pagination={false}
          data-testid="linked-appeals"
          dataSource={p.linkedAppeals.items}
          locale={{ emptyText: t('proj.empty') }}
          columns={[
            { key: 'ticket', title: t('proj.appeal.ticket'), render: (_, a) => <Link to={`/appeals/${a.appealId}`}>{a.ticketNo}</Link> },
            { key: 'received', title: t('proj.appeal.received'), render: (_, a) => a.receivedAt.slice(0, 10) },
            { key: 'category', title: t('proj.appeal.category'), dataIndex: 'categoryName' },
            { key: 'summary', title: t('proj.appeal.summary'), dataIndex: 'summary', ellipsis: true },
          ]}
        />
      </Card>
    </>
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
          <Typography.Text type="success">{c.support}</Typography.Text> / <Typography.Text type="danger">{c.oppose}</Typography.Text> / {c.abstain}
        </>
      ),
    },
    { key: 'summary', title: t('proj.consultation.summary'), render: (_, c) => c.summary ?? '—' },
  ];
}

/** POST /projects/:id/transitions, one button per status the server allows next. */
function Transitions({ p, onDone }: { p: ProjectDetail; onDone: () => void }) {
  const { t } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<ProjectStatus | null>(null);
  const go = async (to: ProjectStatus) => {
    setBusy(to);
    try {
      await projectsApi.transition(p.id, { to });
      message.success(t('proj.transition.done', { s: label('proj.status', to) }));
      onDone();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      {p.allowedTransitions.map((to) => (
        <Popconfirm key={to} title={t('proj.transition', { s: label('proj.status', to) })} onConfirm={() => go(to)}>
          <Button loading={busy === to} data-testid={`transition-${to}`}>
            {t('proj.transition', { s: label('proj.status', to) })}
          </Button>
        </Popconfirm>
      ))}
    </>
  );
}
