import { Alert, DatePicker, Flex, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { localizeServerText } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi, type Batch, type Compliance, type ComplianceWeek, type Program } from './api.ts';
import { beijingToday, DATE, LoadError, toDay, useLoad } from './common.tsx';
import { BatchFilter } from './pickers.tsx';

const DEFAULT_WEEKS = 12;

function WeekChip({ w }: { w: ComplianceWeek }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t('prog.compliance.weekTip', { monday: w.monday, covered: w.coveredDays, required: w.required, logged: w.logged })}>
      <Tag
        color={w.short ? 'error' : w.required === 0 ? 'default' : 'success'}
        style={{ marginInlineEnd: 0 }}
        data-testid="week-chip"
        data-short={w.short}
      >
        {w.week.slice(5)} {w.logged}/{w.required}
      </Tag>
    </Tooltip>
  );
}

/**
 * GET /programs/{id}/compliance: days logged per ISO week against the program's minimum, and
 * who fell short in which weeks, for a date range (and a batch). The server's rule is shown as sent.
 */
export function ComplianceCard({ program, batches }: { program: Program; batches: Batch[] }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  // The weeks up to today, or up to the last day logged when the program's record ends earlier.
  const today = beijingToday();
  const end = dayjs(program.lastDutyDay !== null && program.lastDutyDay < today ? program.lastDutyDay : today, DATE);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([end.subtract(DEFAULT_WEEKS, 'week'), end]);
  const [batchId, setBatchId] = useState<number | undefined>(undefined);
  const from = toDay(range[0])!;
  const to = toDay(range[1])!;
  const report = useLoad(`compliance:${program.id}:${batchId ?? ''}:${from}:${to}`, (signal) =>
    programsApi.compliance(program.id, { from, to, batchId }, signal),
  );

  const postingColumns: TableColumnsType<Compliance['postings'][number]> = [
    {
      key: 'cadre',
      title: t('prog.col.cadre'),
      render: (_, p) => <Link to={`/programs/postings/${p.postingId}`}>{p.cadreName}</Link>,
    },
    { key: 'community', title: t('prog.col.community'), dataIndex: 'communityName' },
    {
      key: 'short',
      title: t('prog.compliance.shortWeeks'),
      align: 'end',
      render: (_, p) => (p.shortWeeks > 0 ? <Tag color="error">{p.shortWeeks}</Tag> : <Tag color="success">0</Tag>),
    },
    {
      key: 'weeks',
      title: t('prog.compliance.weeks'),
      render: (_, p) => (
        <Flex gap={4} wrap style={{ maxWidth: 720 }}>
          {p.weeks.map((w) => (
            <WeekChip key={w.week} w={w} />
          ))}
        </Flex>
      ),
    },
  ];

  const shortColumns: TableColumnsType<Compliance['shortfalls'][number]> = [
    { key: 'cadre', title: t('prog.col.cadre'), render: (_, s) => <Link to={`/programs/postings/${s.postingId}`}>{s.cadreName}</Link> },
    { key: 'community', title: t('prog.col.community'), dataIndex: 'communityName' },
    { key: 'week', title: t('prog.compliance.week'), render: (_, s) => `${s.week}（${t('prog.compliance.from', { monday: s.monday })}）` },
    { key: 'logged', title: t('prog.compliance.logged'), dataIndex: 'logged', align: 'end' },
    { key: 'required', title: t('prog.compliance.required'), dataIndex: 'required', align: 'end' },
  ];

  return (
    <Flex vertical gap={16} data-testid="compliance-card">
      <Flex gap={12} align="center" wrap>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0], v[1]]);
          }}
          data-testid="compliance-range"
        />
        <BatchFilter batches={batches} value={batchId} onChange={setBatchId} width={160} />
      </Flex>
      {report.kind === 'error' ? (
        <LoadError error={report.error} errorText={errorText} />
      ) : (
        report.kind === 'ready' && (
          <>
            <Alert
              type="info"
              showIcon
              data-testid="compliance-rule"
              title={
                program.minDutyDaysPerWeek > 0
                  ? t('prog.compliance.minimum', { n: program.minDutyDaysPerWeek, from: report.data.from, to: report.data.to })
                  : t('prog.compliance.noMinimum', { from: report.data.from, to: report.data.to })
              }
              description={localizeServerText(report.data.rule, lang)}
            />
            {report.data.recordedUntil !== null && report.data.recordedUntil < to && (
              <Alert
                type="warning"
                showIcon
                data-testid="compliance-record-end"
                title={t('prog.compliance.recordEnd', { date: report.data.recordedUntil })}
              />
            )}
            <div>
              <Typography.Title level={5}>{t('prog.compliance.shortfalls', { n: report.data.shortfalls.length })}</Typography.Title>
              <Table
                rowKey={(s) => `${s.postingId}:${s.week}`}
                size="small"
                columns={shortColumns}
                dataSource={report.data.shortfalls}
                pagination={report.data.shortfalls.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                locale={{ emptyText: t('prog.compliance.noShortfalls') }}
                data-testid="compliance-shortfalls"
              />
            </div>
            <div>
              <Typography.Title level={5}>{t('prog.compliance.byPosting')}</Typography.Title>
              <Table
                rowKey="postingId"
                size="small"
                columns={postingColumns}
                dataSource={report.data.postings}
                pagination={false}
                locale={{ emptyText: t('prog.compliance.noPostings') }}
                data-testid="compliance-postings"
              />
            </div>
          </>
        )
      )}
    </Flex>
  );
}
