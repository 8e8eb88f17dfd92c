import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { localizeServerText } from '../../api.ts';
import { formatBeijingTime, formatCount } from '../../format.ts';
import { useI18n, type TKey } from '../../i18n.tsx';
import type { ImportProblem, ImportSummary } from './api.ts';

const COUNTS: { key: keyof ImportSummary; label: TKey; tone?: 'danger' | 'warning' }[] = [
  { key: 'rowsTotal', label: 'appeals.import.count.rowsTotal' },
  { key: 'inserted', label: 'appeals.import.count.inserted' },
  { key: 'updated', label: 'appeals.import.count.updated' },
  { key: 'unchanged', label: 'appeals.import.count.unchanged' },
  { key: 'unmatched', label: 'appeals.import.count.unmatched', tone: 'warning' },
  { key: 'badRows', label: 'appeals.import.count.badRows', tone: 'danger' },
  { key: 'warnings', label: 'appeals.import.count.warnings', tone: 'warning' },
];

/** One import's counts and problem rows, with the full report as CSV. */
export function ImportResult({ summary }: { summary: ImportSummary }) {
  const { t, lang } = useI18n();
  const problemCount = summary.badRows + summary.warnings;
  const columns: TableColumnsType<ImportProblem> = [
    { key: 'row', title: t('appeals.import.col.row'), render: (_, p) => <span className="appeal-mono">{p.rowNo}</span> },
    { key: 'column', title: t('appeals.import.col.column'), render: (_, p) => p.column ?? '—' },
    {
      key: 'value',
      title: t('appeals.import.col.value'),
      render: (_, p) => (p.value ? <Typography.Text code>{p.value}</Typography.Text> : '—'),
    },
    { key: 'ticket', title: t('appeals.import.col.ticket'), render: (_, p) => <span className="appeal-mono">{p.ticketNo ?? '—'}</span> },
    {
      key: 'severity',
      title: t('appeals.import.col.severity'),
      render: (_, p) => (
        <Tag color={p.severity === 'error' ? 'error' : 'warning'} data-testid="import-problem-severity">
          {t(`appeals.import.severity.${p.severity}`)}
        </Tag>
      ),
    },
    {
      key: 'reason',
      title: t('appeals.import.col.reason'),
      render: (_, p) => <span data-testid="import-problem-reason">{localizeServerText(p.reason, lang)}</span>,
    },
  ];
  const tone = (key: keyof ImportSummary, base?: 'danger' | 'warning') => (base && Number(summary[key]) > 0 ? base : undefined);
  const colors = { danger: '#ff4d4f', warning: '#d48806' };

  return (
    <Card
      data-testid="import-result"
      data-id={summary.id}
      title={t('appeals.import.result', { file: summary.fileName })}
      extra={
        <Typography.Text type="secondary" className="appeal-mono" style={{ fontSize: 12 }}>
          {t('appeals.import.resultMeta', {
            by: summary.importedBy,
            time: formatBeijingTime(summary.startedAt),
            format: [summary.format.toUpperCase(), summary.encoding].filter(Boolean).join(' '),
          })}
        </Typography.Text>
      }
    >
      {summary.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('appeals.import.failed', { reason: summary.failure ? localizeServerText(summary.failure, lang) : '—' })}
        />
      )}
      <Flex gap={32} wrap data-testid="import-counts">
        {COUNTS.map(({ key, label, tone: base }) => {
          const color = tone(key, base);
          return (
            <Statistic
              key={key}
              title={t(label)}
              value={Number(summary[key])}
              formatter={(v) => <span data-testid={`import-count-${key}`}>{formatCount(Number(v), lang)}</span>}
              styles={{ content: color ? { color: colors[color] } : undefined }}
            />
          );
        })}
      </Flex>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginTop: 24, marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('appeals.import.problems')}
        </Typography.Title>
        {problemCount > 0 && (
          <Button href={summary.errorReportUrl} icon={<DownloadOutlined />} data-testid="import-report">
            {t('appeals.import.report')}
          </Button>
        )}
      </Flex>
      {problemCount === 0 ? (
        <Typography.Text type="secondary">{t('appeals.import.noProblems')}</Typography.Text>
      ) : (
        <>
          <Table<ImportProblem>
            data-testid="import-problems"
            rowKey={(p) => `${p.rowNo}|${p.column ?? ''}|${p.severity}`}
            size="small"
            columns={columns}
            dataSource={summary.problems}
            pagination={false}
            scroll={{ x: 'max-content' }}
            onRow={(p) => ({ 'data-testid': 'import-problem', 'data-row': p.rowNo }) as HTMLAttributes<HTMLElement>}
          />
          {summary.problems.length < problemCount && (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
              {t('appeals.import.problemsMore', { n: summary.problems.length })}
            </Typography.Text>
          )}
        </>
      )}
    </Card>
  );
}
