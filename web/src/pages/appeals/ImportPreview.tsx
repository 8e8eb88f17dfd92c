import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { HTMLAttributes } from 'react';
import { valuesOf } from '../../api.ts';
import type { ImportField, ImportPreview, ImportRole } from './api.ts';
import { useI18n, type TKey } from '../../i18n.tsx';

/** The fields a column may be read as, in the order the select lists them; 'ignore' = not read. */
export const importRoles = valuesOf<ImportField>()([
  'ticketNo',
  'receivedAt',
  'kind',
  'category',
  'description',
  'channel',
  'district',
  'street',
  'community',
  'communityCode',
  'address',
  'reporterName',
  'reporterPhone',
  'urgency',
  'historical',
  'dispatchedUnit',
  'dispatchedAt',
  'respondedAt',
  'handledAt',
  'contacted',
  'solved',
  'satisfaction',
  'callbackAt',
  'closedAt',
]);
export type { ImportPreview, ImportRole };
type Bilingual = ImportPreview['notes'][number];

/** The roles as the preview proposes them, or as the person changed them. */
export function rolesOf(preview: ImportPreview): Record<string, ImportRole> {
  const roles: Record<string, ImportRole> = {};
  for (const c of preview.columns) if (c.header) roles[c.header] = (c.role as ImportRole | null) ?? 'ignore';
  return roles;
}

/**
 * The preview: each column with its role (a select to change it), the evidence and sample values,
 * the first rows, where rows naming no district go, and what stops the file. Nothing is written
 * until 确认导入.
 */
export function ImportPreviewPanel({
  preview,
  roles,
  busy,
  onRole,
  onConfirm,
  onCancel,
}: {
  preview: ImportPreview;
  roles: Record<string, ImportRole>;
  busy: boolean;
  onRole: (header: string, role: ImportRole) => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const say = (b: Bilingual) => (lang === 'zh' ? b.zh : b.en);
  const options = [...importRoles, 'ignore' as const].map((role) => ({ value: role, label: t(`appeals.import.role.${role}` as TKey) }));
  type Column = ImportPreview['columns'][number];
  const columns: TableColumnsType<Column> = [
    {
      key: 'column',
      title: t('appeals.import.previewColumn'),
      render: (_, c) => <Typography.Text strong>{c.header || `#${c.index + 1}`}</Typography.Text>,
    },
    {
      key: 'role',
      title: t('appeals.import.previewRole'),
      render: (_, c) => (
        <Flex vertical gap={2}>
          <Select<ImportRole>
            size="small"
            style={{ width: 190 }}
            value={roles[c.header] ?? 'ignore'}
            options={options}
            showSearch={{ optionFilterProp: 'label' }}
            virtual={false}
            disabled={busy || !c.header}
            onChange={(role) => onRole(c.header, role)}
            data-testid="import-role"
            data-header={c.header}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`appeals.import.by.${c.by}` as TKey)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'evidence',
      title: t('appeals.import.previewEvidence'),
      render: (_, c) => (
        <Typography.Text style={{ fontSize: 12, display: 'block', maxWidth: 380 }} data-testid="import-evidence">
          {say(c.evidence)}
        </Typography.Text>
      ),
    },
    {
      key: 'samples',
      title: t('appeals.import.previewSamples'),
      render: (_, c) => (
        <Flex gap={4} wrap style={{ maxWidth: 280 }}>
          {c.samples.map((s) => (
            <Tag key={s} style={{ marginInlineEnd: 0 }}>
              {s}
            </Tag>
          ))}
        </Flex>
      ),
    },
  ];
  const rowColumns: TableColumnsType<ImportPreview['preview'][number]> = [
    { key: 'row', title: '#', render: (_, r) => <span className="appeal-mono">{r.rowNo}</span> },
    ...preview.columns.map((c) => ({
      key: `c${c.index}`,
      title: (
        <Flex vertical>
          <span>{c.header}</span>
          <Typography.Text type={roles[c.header] === 'ignore' ? 'secondary' : 'success'} style={{ fontSize: 11, fontWeight: 400 }}>
            {t(`appeals.import.role.${roles[c.header] ?? 'ignore'}` as TKey)}
          </Typography.Text>
        </Flex>
      ),
      render: (_: unknown, r: ImportPreview['preview'][number]) => (
        <Typography.Text ellipsis style={{ maxWidth: 160 }} type={roles[c.header] === 'ignore' ? 'secondary' : undefined}>
          {r.cells[c.index]}
        </Typography.Text>
      ),
    })),
  ];
  const places = preview.places;
  const format = [preview.format.toUpperCase(), preview.encoding].filter(Boolean).join(' ');

  return (
    <Card
      type="inner"
      style={{ marginTop: 16 }}
      data-testid="import-preview"
      title={t('appeals.import.previewTitle', { file: preview.fileName })}
      extra={
        <Typography.Text type="secondary" className="appeal-mono" style={{ fontSize: 12 }} data-testid="import-preview-meta">
          {t('appeals.import.previewMeta', { format, row: preview.headerRow, n: preview.sampledRows })}
        </Typography.Text>
      }
    >
      <Typography.Paragraph type="secondary">{t('appeals.import.previewHint')}</Typography.Paragraph>
      {preview.savedMapping && preview.source && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('appeals.import.previewSaved', { source: preview.source })} />
      )}
      {preview.problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="import-preview-problems"
          title={t('appeals.import.previewProblems')}
          description={preview.problems.map((p, i) => <div key={i}>{say(p)}</div>)}
        />
      )}
      {places.withoutDistrict > 0 && (
        <Alert
          type={places.ambiguous.length + places.unplaced.length > 0 ? 'warning' : 'success'}
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="import-preview-places"
          title={t('appeals.import.previewPlaces', {
            n: places.withoutDistrict,
            districts: places.districts.map((d) => `${d.name}（${d.rows}）`).join('、') || '—',
          })}
          description={
            places.ambiguous.length + places.unplaced.length > 0
              ? [...places.ambiguous, ...places.unplaced]
                  .slice(0, 5)
                  .map((a) => <div key={a.rowNo}>{t('appeals.import.previewAmbiguous', { row: a.rowNo, reason: say(a.reason) })}</div>)
              : undefined
          }
        />
      )}
      {preview.notes.length > 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="import-preview-notes"
          title={t('appeals.import.previewNotes')}
          description={preview.notes.map((n, i) => <div key={i}>{say(n)}</div>)}
        />
      )}
      <Table<Column>
        data-testid="import-preview-columns"
        rowKey="index"
        size="small"
        columns={columns}
        dataSource={preview.columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({ 'data-testid': 'import-preview-column', 'data-header': c.header }) as HTMLAttributes<HTMLElement>}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('appeals.import.previewRows')}
      </Typography.Title>
      <Table
        data-testid="import-preview-rows"
        rowKey="rowNo"
        size="small"
        columns={rowColumns}
        dataSource={preview.preview}
        pagination={false}
        scroll={{ x: 'max-content' }}
      />
      <Flex gap={8} style={{ marginTop: 16 }}>
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={busy}
          disabled={preview.problems.length > 0}
          onClick={onConfirm}
          data-testid="import-confirm"
        >
          {t('appeals.import.confirm')}
        </Button>
        <Button icon={<RollbackOutlined />} disabled={busy} onClick={onCancel} data-testid="import-cancel">
          {t('appeals.import.cancel')}
        </Button>
      </Flex>
    </Card>
  );
}
