import { CloudUploadOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, DatePicker, Flex, Form, Input, Select, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { LoadMoreTable, useCursorList } from '../../components/LoadMoreTable.tsx';
import { formatBeijingTime, formatCount } from '../../format.ts';
import { type TKey, useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { appealsApi, KINDS, STATUSES, type Appeal, type AppealFilter } from './api.ts';
import { categoryName, filterFromSearch, kindKey, placeName, searchFromFilter, statusColor, statusKey, urgencyKey } from './appealText.ts';
import { CategorySelect } from '../../components/CategorySelect.tsx';
import { DueTime } from './DueTime.tsx';
import { NewAppealDialog } from './NewAppealDialog.tsx';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import './appeals.css';

const PAGE_SIZE = 50;

type AppealPage = Awaited<ReturnType<typeof appealsApi.list>>;

export const AppealsPage = guardedPage('appeal.read', 'nav.appeals', AppealsQueue);

/**
 * GET /appeals, newest first, filtered on the server. The filters live in the URL query (the
 * API's own parameter names), so a copied link opens the same list.
 */
function AppealsQueue() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { session, can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filter = useMemo(() => filterFromSearch(new URLSearchParams(search)), [search]);
  // The rows shown stay, under the table's spinner, until the new filter's rows replace them.
  const list = useCursorList<Appeal, AppealPage>(
    filter,
    (cursor, signal) => appealsApi.list(filter, { limit: PAGE_SIZE, cursor }, signal),
    { keep: true },
  );
  const [text, setText] = useState(filter.q ?? '');
  const [creating, setCreating] = useState(false);

  // Back/forward or 重置 change the query behind the search box: follow it.
  useEffect(() => setText(filter.q ?? ''), [filter.q]);

  const update = (changes: Partial<AppealFilter>) => setParams(searchFromFilter({ ...filter, ...changes }), { replace: true });
  // Kind and status: any of several values, none chosen meaning any.
  const anyOf = <V extends string>(
    label: string,
    values: readonly V[],
    value: V[] | undefined,
    keyOf: (v: V) => TKey,
    change: (chosen: V[]) => void,
    testId: string,
  ) => (
    <Form.Item label={label}>
      <Select<V[]>
        mode="multiple"
        allowClear
        value={value ?? []}
        onChange={change}
        placeholder={t('appeals.filter.any')}
        options={values.map((v) => ({ value: v, label: t(keyOf(v)) }))}
        maxTagCount="responsive"
        style={{ width: 180 }}
        data-testid={testId}
      />
    </Form.Item>
  );

  const now = list.state.kind === 'ready' ? list.state.page.fetchedAt : Date.now();
  const columns: TableColumnsType<Appeal> = [
    {
      key: 'ticket',
      title: t('appeals.col.ticket'),
      fixed: 'start',
      render: (_, a) => (
        <>
          <Link to={`/appeals/${a.id}`} state={{ from: search }} className="appeal-mono" data-testid="appeal-link">
            {a.ticketNo}
          </Link>
          {(a.urgency === 'urgent' || a.historical) && (
            <div style={{ marginTop: 2 }}>
              {a.urgency === 'urgent' && <Tag color="volcano">{t(urgencyKey(a.urgency))}</Tag>}
              {a.historical && <Tag color="gold">{t('appeal.historical')}</Tag>}
            </div>
          )}
        </>
      ),
    },
    {
      key: 'received',
      title: t('appeals.col.received'),
      render: (_, a) => {
        const [day, time] = formatBeijingTime(a.receivedAt).split(' ');
        return (
          <span className="appeal-mono" data-testid="appeal-received">
            {day}
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {time}
            </Typography.Text>
          </span>
        );
      },
    },
    {
      key: 'category',
      title: `${t('appeals.col.category')} / ${t('appeals.col.kind')}`,
      render: (_, a) => (
        <div style={{ minWidth: 72 }}>
          <span data-testid="appeal-category">{categoryName(a, lang)}</span>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} data-testid="appeal-kind">
            {t(kindKey(a.kind))}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'description',
      title: t('appeals.col.description'),
      render: (_, a) => (
        <Typography.Paragraph ellipsis={{ rows: 2, tooltip: a.description }} style={{ margin: 0, width: 190 }}>
          {a.description}
        </Typography.Paragraph>
      ),
    },
    {
      key: 'place',
      title: t('appeals.col.place'),
      render: (_, a) => (
        <div style={{ minWidth: 96 }}>
          {placeName(a)}
          {a.communityName && a.streetName && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {a.streetName}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      key: 'status',
      title: `${t('appeals.col.status')} / ${t('appeals.col.unit')}`,
      render: (_, a) => (
        <div style={{ minWidth: 110 }}>
          <Flex gap={4}>
            <Tag color={statusColor[a.status]} style={{ marginInlineEnd: 0 }} data-testid="appeal-status">
              {t(statusKey(a.status))}
            </Tag>
            {a.overdue && (
              <Tag color="error" style={{ marginInlineEnd: 0 }} data-testid="appeal-overdue">
                {t('appeals.overdue')}
              </Tag>
            )}
          </Flex>
          {a.dispatchedUnit && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 2 }} data-testid="appeal-unit">
              {a.dispatchedUnit.name}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      key: 'due',
      title: t('appeals.col.due'),
      render: (_, a) =>
        a.responseDueAt || a.handlingDueAt ? (
          <Flex vertical gap={2} style={{ fontSize: 13 }}>
            <DueTime
              label={t('appeals.due.response')}
              due={a.responseDueAt}
              done={a.respondedAt}
              now={now}
              short
              testId="appeal-response-due"
            />
            <DueTime
              label={t('appeals.due.handling')}
              due={a.handlingDueAt}
              done={a.handledAt}
              now={now}
              short
              testId="appeal-handling-due"
            />
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      key: 'reporter',
      title: t('appeals.col.reporter'),
      render: (_, a) =>
        a.reporterName || a.reporterPhone ? (
          <span style={{ whiteSpace: 'nowrap' }} data-testid="appeal-reporter">
            {a.reporterName ?? '—'}
            <Typography.Text type="secondary" className="appeal-mono" style={{ display: 'block', fontSize: 12 }}>
              {a.reporterPhone ?? ''}
            </Typography.Text>
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  const scope = session?.user.scopeCode ?? '11';
  const range: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null =
    filter.receivedFrom || filter.receivedTo
      ? [filter.receivedFrom ? dayjs(filter.receivedFrom) : null, filter.receivedTo ? dayjs(filter.receivedTo) : null]
      : null;
  const filtered = search !== '';

  return (
    <Card>
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('appeals.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('appeals.subtitle')}</Typography.Text>
        </div>
        <Flex gap={8} wrap>
          {can('appeal.import') && (
            <Link to="/appeals/import">
              <Button icon={<CloudUploadOutlined />} data-testid="appeal-import">
                {t('appeals.import.open')}
              </Button>
            </Link>
          )}
          {can('appeal.create') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="appeal-new">
              {t('appeals.new')}
            </Button>
          )}
        </Flex>
      </Flex>

      <Form
        layout="inline"
        style={{ rowGap: 12, marginBottom: 16 }}
        data-testid="appeal-filters"
        onFinish={() => update({ q: text.trim() || undefined })}
      >
        <Form.Item label={t('appeals.filter.q')}>
          <Input
            allowClear
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              // The clear icon empties the box: drop the search at once, not on the next Enter.
              if (e.type === 'click' && e.target.value === '') update({ q: undefined });
            }}
            placeholder={t('appeals.filter.qPlaceholder')}
            aria-label={t('appeals.filter.q')}
            style={{ width: 240 }}
            data-testid="appeal-filter-q"
          />
        </Form.Item>
        <Form.Item label={t('appeals.filter.division')}>
          <DivisionSelect
            within={scope}
            value={filter.division}
            onChange={(division) => update({ division })}
            placeholder={t('appeals.filter.divisionPlaceholder')}
            style={{ width: 220 }}
            data-testid="appeal-filter-division"
          />
        </Form.Item>
        <Form.Item label={t('appeals.filter.category')}>
          <CategorySelect
            value={filter.category}
            onChange={(category) => update({ category })}
            placeholder={t('appeals.filter.categoryPlaceholder')}
            style={{ width: 180 }}
            data-testid="appeal-filter-category"
          />
        </Form.Item>
        {anyOf(t('appeals.filter.kind'), KINDS, filter.kind, kindKey, (kind) => update({ kind }), 'appeal-filter-kind')}
        {anyOf(t('appeals.filter.status'), STATUSES, filter.status, statusKey, (status) => update({ status }), 'appeal-filter-status')}
        <Form.Item label={t('appeals.filter.received')}>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            value={range}
            onChange={(days) => update({ receivedFrom: days?.[0]?.format('YYYY-MM-DD'), receivedTo: days?.[1]?.format('YYYY-MM-DD') })}
            data-testid="appeal-filter-received"
          />
        </Form.Item>
        <Form.Item>
          <Checkbox
            checked={filter.overdue === true}
            onChange={(e) => update({ overdue: e.target.checked || undefined })}
            data-testid="appeal-filter-overdue"
          >
            <Typography.Text type={filter.overdue ? 'danger' : undefined}>{t('appeals.filter.overdue')}</Typography.Text>
          </Checkbox>
        </Form.Item>
        <Form.Item>
          <Flex gap={8}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="appeal-search">
              {t('appeals.filter.search')}
            </Button>
            <Button
              disabled={!filtered}
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
              data-testid="appeal-filter-reset"
            >
              {t('appeals.filter.reset')}
            </Button>
          </Flex>
        </Form.Item>
      </Form>

      <LoadMoreTable<Appeal, AppealPage>
        list={list}
        data-testid="appeals-table"
        rowKey="id"
        size="small"
        columns={columns}
        scroll={{ x: 'max-content' }}
        rowClassName={(a) => (a.overdue ? 'appeal-row-overdue' : '')}
        onRow={(a) =>
          ({ 'data-testid': 'appeal-row', 'data-ticket': a.ticketNo, 'data-overdue': String(a.overdue) }) as HTMLAttributes<HTMLElement>
        }
        locale={{ emptyText: t('appeals.empty') }}
        status={(page, n) =>
          page.nextCursor
            ? t('appeals.shown', { n: formatCount(n, lang), total: `${formatCount(page.total, lang)}${page.totalCapped ? '+' : ''}` })
            : t('appeals.allShown', { total: formatCount(page.total, lang) })
        }
        statusTestId="appeals-total"
        moreText={t('appeals.loadMore')}
        moreTestId="appeals-more"
      />
      {can('appeal.create') && (
        <NewAppealDialog
          open={creating}
          scope={scope}
          onClose={() => setCreating(false)}
          onCreated={(appeal) => {
            setCreating(false);
            message.success(t('appeals.created', { ticket: appeal.ticketNo }));
            navigate(`/appeals/${appeal.id}`, { state: { from: search } });
          }}
        />
      )}
    </Card>
  );
}
