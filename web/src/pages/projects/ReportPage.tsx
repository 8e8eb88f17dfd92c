import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Row, Select, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi } from '../programs/api.ts';
import { LoadError, PageTitle, useLoad } from '../programs/common.tsx';
import { projectsApi, type AchievementReport } from './api.ts';
import { count, PartTable, ProgressBar, ProjectStatusTag, yuan } from './common.tsx';
import { ImpactSection } from '../impact/ImpactCard.tsx';
import './projects.css';

export const ReportPage = guardedPage('projects.read', 'nav.projects', ReportView);

const rate = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
const signed = (n: number) => `${n > 0 ? '+' : ''}${n.toFixed(2)}`;
const points = (r: number | null) => (r === null ? '—' : signed(r * 100));
const percent = (r: number | null) => (r === null ? '—' : `${signed(r * 100)}%`);

/** A program (and a batch) picked in the address (?program=&batch=), its GET /programs/:id/report below. */
function ReportView() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [params, setParams] = useSearchParams();
  const programId = Number(params.get('program')) || null;
  const batch = Number(params.get('batch')) || undefined;
  const programs = useLoad('programs', (signal) => programsApi.programs({ limit: 100 }, signal));
  const batches = useLoad(programId ? `batches-${programId}` : null, (signal) => programsApi.batches(programId!, signal));
  // The server writes the report in the reader's language: its title, labels, categories and rule.
  const report = useLoad(programId ? `report-${programId}-${batch ?? ''}-${lang}` : null, (signal) =>
    projectsApi.report(programId!, { batch, lang }, signal),
  );

  // One program in scope: open it straight away.
  useEffect(() => {
    if (!programId && programs.kind === 'ready' && programs.data.items.length === 1)
      setParams({ program: String(programs.data.items[0]!.id) }, { replace: true });
  }, [programId, programs.kind]);

  const pick = (program: number | null, b?: number) => {
    const next: Record<string, string> = {};
    if (program) next.program = String(program);
    if (program && b) next.batch = String(b);
    setParams(next);
  };

  return (
    <Flex vertical gap={16}>
      <Card>
        <PageTitle
          title={report.kind === 'ready' ? report.data.title : t('proj.report.title')}
          subtitle={t('proj.report.subtitle')}
          extra={
            programId && (
              <Flex gap={8} className="no-print">
                <a href={projectsApi.reportXlsxUrl(programId, { batch, lang })} download data-testid="report-xlsx">
                  <Button icon={<DownloadOutlined />}>{t('proj.report.download')}</Button>
                </a>
                <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="report-print">
                  {t('proj.report.print')}
                </Button>
              </Flex>
            )
          }
        />
        <Flex gap={12} wrap className="no-print">
          <Select
            style={{ width: 280 }}
            placeholder={t('proj.report.pickProgram')}
            loading={programs.kind === 'loading'}
            value={programId ?? undefined}
            onChange={(v: number) => pick(v)}
            options={programs.kind === 'ready' ? programs.data.items.map((p) => ({ value: p.id, label: p.name })) : []}
            data-testid="report-program"
          />
          <Select
            style={{ width: 180 }}
            disabled={!programId}
            value={batch ?? 0}
            onChange={(v: number) => pick(programId, v || undefined)}
            options={[
              { value: 0, label: t('proj.report.allBatches') },
              ...(batches.kind === 'ready'
                ? batches.data.items.map((b) => ({ value: b.id, label: t('proj.report.batchName', { n: b.number }) }))
                : []),
            ]}
            data-testid="report-batch"
          />
        </Flex>
      </Card>
      {programs.kind === 'error' && <LoadError error={programs.error} errorText={errorText} />}
      {report.kind === 'error' && <LoadError error={report.error} errorText={errorText} />}
      {programId && report.kind === 'loading' && <Card loading />}
      {report.kind === 'ready' && <Report r={report.data} lang={lang} />}
      {programId && <ImpactSection program={programId} batch={batch} />}
    </Flex>
  );
}

function Report({ r, lang }: { r: AchievementReport; lang: 'zh' | 'en' }) {
  const { t } = useI18n();
  const totals: Array<[string, string, string]> = [
    ['funds', t('proj.report.funds'), yuan(r.totals.fundsSecured)],
    ['projects', t('proj.report.projects'), count(r.totals.projects)],
    ['problems', t('proj.report.problems'), count(r.totals.problemsSolved)],
    ['historical', t('proj.report.historical'), count(r.totals.historicalProblemsSolved)],
    ['appeals', t('proj.report.appeals'), count(r.totals.appealsAssisted)],
    ['households', t('proj.report.households'), count(r.totals.householdsBenefited)],
  ];
  const overall = r.resolution.overall;
  return (
    <>
      <Card data-testid="report-totals">
        <Typography.Text type="secondary">{t('proj.report.period', { from: r.from, to: r.to })}</Typography.Text>
        <Row gutter={[16, 16]} style={{ marginTop: 12 }}>
          {totals.map(([key, title, value]) => (
            <Col key={key} xs={12} md={8} xl={4}>
              <Statistic title={title} value={value} data-testid={`total-${key}`} />
            </Col>
          ))}
        </Row>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('proj.report.byCategory')} style={{ height: '100%' }}>
            <PartTable
              rowKey="category"
              testId="report-by-category"
              dataSource={r.byCategory}
              columns={[
                { key: 'name', title: t('proj.category'), render: (_, c) => (lang === 'zh' ? c.nameZh : c.nameEn) },
                { key: 'projects', title: t('proj.report.completedProjects'), dataIndex: 'completedProjects', align: 'end' },
                { key: 'outputs', title: t('proj.report.completedOutputs'), dataIndex: 'completedOutputs', align: 'end' },
                { key: 'problems', title: t('proj.report.problems'), dataIndex: 'problemsSolved', align: 'end' },
                { key: 'historical', title: t('proj.report.historical'), dataIndex: 'historicalProblemsSolved', align: 'end' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('proj.report.outputs')} style={{ height: '100%' }}>
            <PartTable
              rowKey="kind"
              testId="report-outputs"
              dataSource={r.outputs}
              columns={[
                { key: 'kind', title: t('proj.output.kind'), dataIndex: 'label' },
                { key: 'count', title: t('proj.report.outputCount'), align: 'end', render: (_, o) => `${o.done} / ${o.outputs}` },
                {
                  key: 'achieved',
                  title: t('proj.output.achieved'),
                  align: 'end',
                  render: (_, o) => `${count(o.achieved)} / ${count(o.target)} ${o.unitLabel}`,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card title={t('proj.report.resolution', { n: r.resolution.months })}>
        {!r.resolution.complete && <Alert type="info" showIcon title={t('proj.report.incomplete')} style={{ marginBottom: 12 }} />}
        <PartTable
          rowKey="communityCode"
          testId="report-resolution"
          dataSource={r.resolution.communities}
          scroll={{ x: 'max-content' }}
          columns={[
            { key: 'community', title: t('proj.community'), render: (_, c) => `${c.streetName} · ${c.communityName}` },
            { key: 'start', title: t('proj.report.firstStart'), dataIndex: 'firstPostingStart' },
            {
              key: 'before',
              title: t('proj.report.before'),
              align: 'end',
              render: (_, c) => `${rate(c.before.resolutionRate)} (${c.before.solved}/${c.before.resolutionValid})`,
            },
            {
              key: 'after',
              title: t('proj.report.after'),
              align: 'end',
              render: (_, c) => `${rate(c.after.resolutionRate)} (${c.after.solved}/${c.after.resolutionValid})`,
            },
            { key: 'points', title: t('proj.report.points'), align: 'end', render: (_, c) => points(c.changePoints) },
            { key: 'percent', title: t('proj.report.percent'), align: 'end', render: (_, c) => percent(c.changePercent) },
          ]}
          summary={() => (
            <Table.Summary.Row data-testid="resolution-overall">
              <Table.Summary.Cell index={0} colSpan={2}>
                <Typography.Text strong>{t('proj.report.overall')}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell
                index={2}
                align="right"
              >{`${rate(overall.before.resolutionRate)} (${overall.before.solved}/${overall.before.resolutionValid})`}</Table.Summary.Cell>
              <Table.Summary.Cell
                index={3}
                align="right"
              >{`${rate(overall.after.resolutionRate)} (${overall.after.solved}/${overall.after.resolutionValid})`}</Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <Typography.Text strong>{points(overall.changePoints)}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <Typography.Text strong data-testid="overall-percent">
                  {percent(overall.changePercent)}
                </Typography.Text>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }} data-testid="resolution-rule">
          {r.resolution.rule}
        </Typography.Paragraph>
      </Card>
      <Card title={`${t('proj.report.apprentices')}（${r.apprentices.length}）`}>
        <PartTable
          rowKey={(a) => `${a.secretaryName}:${a.apprenticeName}:${a.startDate}`}
          testId="report-apprentices"
          dataSource={r.apprentices}
          columns={[
            {
              key: 'name',
              title: t('proj.report.apprentice'),
              render: (_, a) => <span data-testid="report-apprentice-name">{a.apprenticeName}</span>,
            },
            { key: 'position', title: t('proj.report.apprenticePosition'), render: (_, a) => a.apprenticePosition ?? '—' },
            { key: 'secretary', title: t('proj.report.apprenticeOf'), dataIndex: 'secretaryName' },
            { key: 'community', title: t('proj.community'), dataIndex: 'communityName' },
            { key: 'start', title: t('proj.report.apprenticeSince'), dataIndex: 'startDate' },
          ]}
        />
      </Card>
      <Card title={t('proj.report.projectList')}>
        <PartTable
          rowKey="id"
          testId="report-projects"
          dataSource={r.projects}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              key: 'title',
              title: t('proj.title'),
              render: (_, p) => (
                <>
                  <Link to={`/projects/${p.id}`}>{p.title}</Link>{' '}
                  {p.historical && (
                    <Tag color="magenta" style={{ marginInlineEnd: 0 }}>
                      {t('proj.historical')}
                    </Tag>
                  )}
                </>
              ),
            },
            { key: 'community', title: t('proj.community'), dataIndex: 'communityName' },
            { key: 'category', title: t('proj.category'), dataIndex: 'categoryName' },
            { key: 'status', title: t('proj.status'), render: (_, p) => <ProjectStatusTag status={p.status} label={p.statusLabel} /> },
            { key: 'lead', title: t('proj.lead'), render: (_, p) => p.leadCadreName ?? '—' },
            {
              key: 'progress',
              title: t('proj.progress'),
              width: 160,
              render: (_, p) => <ProgressBar progress={p.progress} size="small" />,
            },
            { key: 'funds', title: t('proj.fund.amount'), align: 'end', render: (_, p) => yuan(p.funds) },
          ]}
        />
      </Card>
    </>
  );
}
