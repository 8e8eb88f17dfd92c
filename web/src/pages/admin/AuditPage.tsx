import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, DatePicker, Flex, Form, Input, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, type AuditEntry, type AuditFilter } from '../../api.ts';
import { LoadMoreTable, useCursorList, type CursorPage } from '../../components/LoadMoreTable.tsx';
import { beijingDayBounds, formatBeijingTime } from '../../format.ts';
import { useI18n, type TKey } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';

const PAGE_SIZE = 50;

// The actions and entity types the server records today; the filters take any other text too,
// so actions added later (appeals…) are still searchable before they get a name here.
const ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'user.create',
  'user.update',
  'user.disable',
  'api_token.create',
  'api_token.revoke',
  'community_profile.create',
  'community_profile.update',
] as const;
const ENTITY_TYPES = ['user', 'community_profile', 'appeal'] as const;

function actionKey(action: string): TKey | undefined {
  return (ACTIONS as readonly string[]).includes(action) ? (`audit.action.${action}` as TKey) : undefined;
}

function entityKey(type: string): TKey | undefined {
  return (ENTITY_TYPES as readonly string[]).includes(type) ? (`audit.entity.${type}` as TKey) : undefined;
}

/** What RangePicker hands back (dayjs); only its formatting is needed. */
interface PickedDay {
  format(template: string): string;
}

interface FilterValues {
  actor?: string;
  action?: string;
  entityType?: string;
  range?: [PickedDay | null, PickedDay | null] | null;
}

function toFilter(v: FilterValues): AuditFilter {
  const filter: AuditFilter = {};
  if (v.actor?.trim()) filter.actor = v.actor.trim();
  if (v.action?.trim()) filter.action = v.action.trim();
  if (v.entityType?.trim()) filter.entityType = v.entityType.trim();
  const [first, last] = v.range ?? [null, null];
  if (first) filter.from = beijingDayBounds(first.format('YYYY-MM-DD')).start;
  if (last) filter.to = beijingDayBounds(last.format('YYYY-MM-DD')).end;
  return filter;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** {"residents":{"from":null,"to":3700}} reads as "residents: — → 3700", one line per field. */
function changeLines(changes: unknown): string[] {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return changes == null ? [] : [valueText(changes)];
  return Object.entries(changes).map(([key, value]) => {
    if (typeof value === 'object' && value !== null && 'from' in value && 'to' in value) {
      const { from, to } = value as { from: unknown; to: unknown };
      return `${key}: ${valueText(from)} → ${valueText(to)}`;
    }
    return `${key}: ${valueText(value)}`;
  });
}

export const AuditPage = guardedPage('audit.read', 'nav.audit', AuditView);

/** GET /audit, newest first, filtered on the server; the CSV export takes the same filters. */
function AuditView() {
  const { t } = useI18n();
  const [form] = Form.useForm<FilterValues>();
  const [filter, setFilter] = useState<AuditFilter>({});
  const list = useCursorList<AuditEntry, CursorPage<AuditEntry>>(filter, (cursor, signal) =>
    api.audit(filter, { limit: PAGE_SIZE, cursor }, signal),
  );

  const matches = (input: string, option?: { value?: unknown; label?: unknown }) =>
    `${String(option?.value ?? '')} ${String(option?.label ?? '')}`.toLowerCase().includes(input.toLowerCase());
  // A code typed or picked, the known ones offered with their names; one not listed still filters.
  const codeFilter = (
    name: 'action' | 'entityType',
    codes: readonly string[],
    key: (code: string) => TKey | undefined,
    [popupWidth, width]: [number, number],
    testId: string,
  ) => (
    <Form.Item name={name} label={t(`audit.${name}`)}>
      <AutoComplete
        allowClear
        options={codes.map((code) => {
          const k = key(code);
          return { value: code, label: k ? `${t(k)}  ${code}` : code };
        })}
        showSearch={{ filterOption: matches }}
        popupMatchSelectWidth={popupWidth}
        style={{ width }}
      >
        <Input placeholder={t('audit.any')} data-testid={testId} />
      </AutoComplete>
    </Form.Item>
  );

  const columns: TableColumnsType<AuditEntry> = [
    {
      key: 'at',
      title: t('audit.col.at'),
      width: 170,
      render: (_, e) => (
        <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{formatBeijingTime(e.at, { seconds: true })}</span>
      ),
    },
    { key: 'actor', title: t('audit.col.actor'), render: (_, e) => <Typography.Text code>{e.actor}</Typography.Text> },
    {
      key: 'action',
      title: t('audit.col.action'),
      render: (_, e) => {
        const k = actionKey(e.action);
        return (
          <>
            {k ? t(k) : null}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {e.action}
            </Typography.Text>
          </>
        );
      },
    },
    {
      key: 'entity',
      title: t('audit.col.entity'),
      render: (_, e) => {
        const k = entityKey(e.entityType);
        return (
          <>
            {k ? t(k) : e.entityType} <Typography.Text code>{e.entityId}</Typography.Text>
          </>
        );
      },
    },
    {
      key: 'changes',
      title: t('audit.col.changes'),
      render: (_, e) => {
        const lines = changeLines(e.changes);
        if (lines.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <div
            style={{ fontSize: 12, fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', maxWidth: 420, wordBreak: 'break-all' }}
          >
            {lines.map((line, i) => (
              <div key={i}>{line}</div>
            ))}
          </div>
        );
      },
    },
  ];

  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
        {t('audit.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('audit.subtitle')}</Typography.Paragraph>
      <Form<FilterValues>
        form={form}
        layout="inline"
        onFinish={(values) => setFilter(toFilter(values))}
        style={{ rowGap: 12, marginBottom: 16 }}
        data-testid="audit-filters"
      >
        <Form.Item name="actor" label={t('audit.actor')}>
          <Input allowClear placeholder={t('audit.actorPlaceholder')} style={{ width: 150 }} data-testid="audit-actor" />
        </Form.Item>
        {codeFilter('action', ACTIONS, actionKey, [260, 200], 'audit-action')}
        {codeFilter('entityType', ENTITY_TYPES, entityKey, [240, 170], 'audit-entity-type')}
        <Form.Item name="range" label={t('audit.range')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="audit-search">
              {t('audit.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilter({});
              }}
            >
              {t('audit.reset')}
            </Button>
            <Button href={api.auditExportUrl(filter)} icon={<DownloadOutlined />} data-testid="audit-export">
              {t('audit.export')}
            </Button>
          </Flex>
        </Form.Item>
      </Form>
      <LoadMoreTable<AuditEntry, CursorPage<AuditEntry>>
        list={list}
        data-testid="audit-table"
        rowKey="id"
        size="middle"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('audit.empty') }}
        status={(page, n) => (page.nextCursor ? t('audit.shown', { n }) : t('audit.allShown', { n }))}
        moreText={t('audit.loadMore')}
        moreTestId="audit-more"
      />
    </Card>
  );
}
