import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  InputNumber,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState, type HTMLAttributes } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { type CreateDialogProps, FormDialog } from '../../components/FormDialog.tsx';
import { formatCount } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi, type Batch, type Program, type Roster } from './api.ts';
import { BatchView } from './BatchView.tsx';
import {
  LoadError,
  NotReady,
  PageTitle,
  programKindColor,
  programKindKey,
  type Remote,
  spanText,
  toDay,
  unitTypeKey,
  useLoad,
} from './common.tsx';
import { ComplianceCard } from './ComplianceCard.tsx';
import { RulesText } from './ProgramsPage.tsx';
import { RosterCard } from './RosterCard.tsx';
import './programs.css';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

export const ProgramPage = guardedPage('programs.read', 'nav.programs', ProgramView);

type Tab = 'batches' | 'roster' | 'compliance';

/** One program: its rules, its batches ► communities ► postings, the roster and the weekly compliance. */
function ProgramView() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { id: idParam = '' } = useParams();
  const id = Number(idParam);
  const [params, setParams] = useSearchParams();
  const [creatingBatch, setCreatingBatch] = useState(false);
  const program = useLoad(`program:${id}`, (signal) => programsApi.program(id, signal));
  const batches = useLoad(`batches:${id}`, (signal) => programsApi.batches(id, signal));
  const roster = useLoad(`roster:${id}`, (signal) => programsApi.roster(id, {}, signal));

  const tab = (['batches', 'roster', 'compliance'] as const).find((k) => k === params.get('tab')) ?? 'batches';
  const batchList = batches.kind === 'ready' ? batches.data.items : [];
  const batchParam = Number(params.get('batch'));
  const selected = batchList.find((b) => b.id === batchParam) ?? batchList[batchList.length - 1];
  const setParam = (key: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === null) next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );

  if (program.kind !== 'ready') return <NotReady remote={program} />;
  const p = program.data;
  const manage = can('programs.manage');

  const batchColumns: TableColumnsType<Batch> = [
    {
      key: 'number',
      title: t('prog.batch.number'),
      render: (_, b) => <Typography.Text strong>{t('prog.batch.name', { n: b.number })}</Typography.Text>,
    },
    { key: 'dates', title: t('prog.col.dates'), render: (_, b) => spanText(b.startDate, b.endDate, t) },
    { key: 'communities', title: t('prog.batch.communities'), dataIndex: 'communityCount', align: 'end' },
    { key: 'postings', title: t('prog.batch.postings'), dataIndex: 'postingCount', align: 'end' },
    { key: 'notes', title: t('prog.col.notes'), render: (_, b) => b.notes ?? <Typography.Text type="secondary">—</Typography.Text> },
  ];

  function changed() {
    batches.reload();
    roster.reload();
  }

  return (
    <Flex vertical gap={16} data-testid="program-detail" data-id={p.id}>
      <Card>
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[
            { key: 'list', title: <Link to="/programs">{t('prog.title')}</Link> },
            { key: 'self', title: p.name },
          ]}
        />
        <PageTitle
          title={<span data-testid="program-title">{p.name}</span>}
          tags={<Tag color={programKindColor[p.kind]}>{t(programKindKey(p.kind))}</Tag>}
          subtitle={
            <>
              {p.districtName} · <RulesText program={p} />
            </>
          }
          extra={
            <>
              <a href={programsApi.rosterXlsxUrl(p.id)} download data-testid="roster-export">
                <Button icon={<DownloadOutlined />}>{t('prog.roster.export')}</Button>
              </a>
              {manage && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreatingBatch(true)} data-testid="batch-new">
                  {t('prog.batch.new')}
                </Button>
              )}
            </>
          }
        />
        <Row gutter={[24, 16]}>
          <Col xs={24} xl={12}>
            <Descriptions
              size="small"
              bordered
              column={1}
              items={[
                { key: 'district', label: t('prog.program.district'), children: `${p.districtName}（${p.districtCode}）` },
                {
                  key: 'min',
                  label: t('prog.program.minDays'),
                  children: p.minDutyDaysPerWeek > 0 ? t('prog.rules.minDays', { n: p.minDutyDaysPerWeek }) : t('prog.rules.noMinDays'),
                },
                {
                  key: 'term',
                  label: t('prog.program.term'),
                  children: p.termMonths ? t('prog.rules.term', { n: p.termMonths }) : t('prog.rules.noTerm'),
                },
                {
                  key: 'allowed',
                  label: t('prog.program.allowed'),
                  children: (
                    <Flex gap={4} wrap>
                      {p.allowedUnitTypes.map((u) => (
                        <Tag key={u} style={{ marginInlineEnd: 0 }}>
                          {t(unitTypeKey(u))}
                        </Tag>
                      ))}
                    </Flex>
                  ),
                },
              ]}
            />
          </Col>
          <Col xs={24} xl={12}>
            <RosterSummary roster={roster} lang={lang} />
          </Col>
        </Row>
      </Card>

      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParam('tab', key === 'batches' ? null : key)}
          items={[
            {
              key: 'batches' satisfies Tab,
              label: <span data-testid="tab-batches">{t('prog.tab.batches')}</span>,
              children:
                batches.kind === 'error' ? (
                  <LoadError error={batches.error} errorText={errorText} />
                ) : (
                  <Table<Batch>
                    rowKey="id"
                    size="small"
                    data-testid="batches-table"
                    loading={batches.kind === 'loading'}
                    columns={batchColumns}
                    dataSource={batchList}
                    pagination={false}
                    rowClassName={(b) => (b.id === selected?.id ? 'prog-row-selected' : '')}
                    onRow={(b) =>
                      ({
                        onClick: () => setParam('batch', String(b.id)),
                        style: { cursor: 'pointer' },
                        'data-testid': 'batch-row',
                        'data-number': b.number,
                      }) as HTMLAttributes<HTMLElement>
                    }
                    locale={{ emptyText: <Empty description={t('prog.batch.empty')} /> }}
                  />
                ),
            },
            {
              key: 'roster' satisfies Tab,
              label: <span data-testid="tab-roster">{t('prog.tab.roster')}</span>,
              children: <RosterCard program={p} batches={batchList} />,
            },
            {
              key: 'compliance' satisfies Tab,
              label: <span data-testid="tab-compliance">{t('prog.tab.compliance')}</span>,
              children: <ComplianceCard program={p} batches={batchList} />,
            },
          ]}
        />
      </Card>

      {tab === 'batches' && selected && <BatchView key={selected.id} program={p} batch={selected} onChanged={changed} />}

      <NewBatchDialog
        program={p}
        open={creatingBatch}
        onClose={() => setCreatingBatch(false)}
        onCreated={(b) => {
          setCreatingBatch(false);
          message.success(t('prog.batch.created', { n: b.number }));
          changed();
          setParam('batch', String(b.id));
        }}
      />
    </Flex>
  );
}

/** The roster's headline figures: cadres, how many from resident units and the two new organizations, communities, active and ended. */
function RosterSummary({ roster, lang }: { roster: Remote<Roster>; lang: 'zh' | 'en' }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  if (roster.kind === 'error') return <LoadError error={roster.error} errorText={errorText} />;
  if (roster.kind === 'loading') return <Skeleton active paragraph={{ rows: 2 }} />;
  const r = roster.data.totals;
  const stat = (key: string, title: string, value: number, testId: string) => (
    <Col xs={12} md={8} key={key}>
      <Statistic title={title} value={formatCount(value, lang)} data-testid={testId} />
    </Col>
  );
  return (
    <Row gutter={[16, 16]} data-testid="roster-summary">
      {stat('cadres', t('prog.roster.cadres'), r.cadres, 'roster-cadres')}
      {stat('grouped', t('prog.roster.fromResidentAndNew'), r.fromResidentUnitsAndNewOrganizations, 'roster-grouped')}
      {stat('communities', t('prog.roster.communities'), r.communities, 'roster-communities')}
      {stat('postings', t('prog.roster.postings'), r.postings, 'roster-postings')}
      {stat('active', t('prog.roster.active'), r.active, 'roster-active')}
      {stat('ended', t('prog.roster.ended'), r.ended, 'roster-ended')}
    </Row>
  );
}

interface BatchValues {
  number?: number | null;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
  notes?: string;
}

/** POST /programs/{id}/batches: the next number unless given; without an end, the program's term decides. */
function NewBatchDialog({ program, open, onClose, onCreated }: { program: Program } & CreateDialogProps<Batch>) {
  const { t } = useI18n();

  async function submit(v: BatchValues) {
    const batch = await programsApi.createBatch(program.id, {
      ...(v.number ? { number: v.number } : {}),
      startDate: toDay(v.startDate) ?? '',
      ...(v.endDate ? { endDate: toDay(v.endDate) } : {}),
      notes: v.notes?.trim() || null,
    });
    onCreated(batch);
  }

  return (
    <FormDialog<BatchValues>
      open={open}
      title={t('prog.batch.new')}
      testId="batch"
      fields={['number', 'startDate', 'endDate', 'notes']}
      width={520}
      submitText={t('prog.form.create')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Form.Item name="number" label={t('prog.batch.number')} extra={t('prog.batch.numberHint', { n: program.batchCount + 1 })}>
            <InputNumber<number> min={1} precision={0} style={{ width: 160 }} data-testid="batch-number" />
          </Form.Item>
          <Form.Item name="startDate" label={t('prog.col.start')} rules={[{ required: true, message: t('prog.form.required') }]}>
            <DatePicker data-testid="batch-start" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="endDate"
            label={t('prog.col.end')}
            extra={program.termMonths ? t('prog.batch.endHintTerm', { n: program.termMonths }) : t('prog.batch.endHintOpen')}
          >
            <DatePicker data-testid="batch-end" style={{ width: 200 }} />
          </Form.Item>
          <TextAreaItem
            name="notes"
            label={t('prog.col.notes')}
            rows={[2, 5]}
            maxLength={4000}
            placeholder={t('prog.batch.notesPlaceholder')}
            testId="batch-notes"
          />
        </>
      )}
    </FormDialog>
  );
}
