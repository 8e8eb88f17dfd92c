import { CloudUploadOutlined, DownloadOutlined, InboxOutlined, LinkOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Progress,
  Row,
  Spin,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
  Upload,
  type TableColumnsType,
  type UploadFile,
} from 'antd';
import { useEffect, useState, type HTMLAttributes, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, isAbort, localizeServerText } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { formatBeijingTime, formatCount } from '../../format.ts';
import { useI18n, type TKey } from '../../i18n.tsx';
import { RequireAbility } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { importsApi, type ImportProblem, type ImportSummary, type UnmatchedItem } from './api.ts';
import { ImportPreviewPanel, postImportForm, rolesOf, type ImportPreview, type ImportRole } from './ImportPreview.tsx';
import { ScopedDivisionSelect } from './ScopedDivisionSelect.tsx';
import './appeals.css';

const PAGE_SIZE = 20;

export function ImportPage() {
  return (
    <RequireAbility ability="appeal.import.read" pageKey="appeals.import.nav">
      <ImportView />
    </RequireAbility>
  );
}

type Upload =
  | { kind: 'idle' }
  | { kind: 'uploading'; fraction: number }
  | { kind: 'processing' }
  | { kind: 'failed'; error: unknown };

type Loaded<T> = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; items: T[]; nextCursor: string | null; total: number };

/**
 * Upload a hotline export, read what became of each row (counts, problem rows with row, column
 * and reason, the full error report), and give the rows no community matched their community.
 * ?import=ID names the import shown, so a link brings its result back.
 */
function ImportView() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { session, can } = useAuth();
  const [params, setParams] = useSearchParams();
  const importId = Number(params.get('import')) || null;
  const [current, setCurrent] = useState<{ kind: 'none' } | { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; summary: ImportSummary }>({
    kind: 'none',
  });
  const [history, setHistory] = useState<Loaded<ImportSummary>>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!importId) {
      setCurrent({ kind: 'none' });
      return;
    }
    const ctrl = new AbortController();
    setCurrent((c) => (c.kind === 'ready' && c.summary.id === importId ? c : { kind: 'loading' }));
    importsApi
      .get(importId, ctrl.signal)
      .then((summary) => setCurrent({ kind: 'ready', summary }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setCurrent({ kind: 'error', error: err });
      });
    return () => ctrl.abort();
  }, [importId]);

  useEffect(() => {
    const ctrl = new AbortController();
    importsApi
      .list({ limit: PAGE_SIZE }, ctrl.signal)
      .then((page) => setHistory({ kind: 'ready', ...page }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setHistory({ kind: 'error', error: err });
      });
    return () => ctrl.abort();
  }, [generation]);

  const show = (summary: ImportSummary) => {
    setCurrent({ kind: 'ready', summary });
    setParams({ import: String(summary.id) }, { replace: false });
  };

  return (
    <Flex vertical gap={16}>
      <Card>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('appeals.import.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0, maxWidth: 900 }}>
              {t('appeals.import.subtitle')}
            </Typography.Paragraph>
          </div>
          <Link to="/appeals">{t('appeals.back')}</Link>
        </Flex>
        {can('appeal.import') && session && (
          <UploadForm
            scope={session.user.scopeCode}
            csrfToken={session.csrfToken}
            onDone={(summary) => {
              message.success(t('appeals.import.done', { file: summary.fileName }));
              show(summary);
              setGeneration((g) => g + 1);
            }}
          />
        )}
      </Card>

      {current.kind === 'loading' && (
        <Card>
          <Spin />
        </Card>
      )}
      {current.kind === 'error' && <Alert type="error" showIcon title={errorText(current.error)} />}
      {current.kind === 'ready' && <ImportResult summary={current.summary} />}

      <UnmatchedQueue importId={current.kind === 'ready' ? current.summary.id : null} canMatch={can('appeal.import.match')} />

      <Card title={t('appeals.import.history')}>
        {history.kind === 'error' ? (
          <Alert type="error" showIcon title={errorText(history.error)} />
        ) : (
          <Table<ImportSummary>
            data-testid="import-history"
            rowKey="id"
            size="small"
            loading={history.kind === 'loading'}
            dataSource={history.kind === 'ready' ? history.items : []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('appeals.import.historyEmpty') }}
            rowClassName={(s) => (current.kind === 'ready' && current.summary.id === s.id ? 'ant-table-row-selected' : '')}
            columns={[
              { key: 'startedAt', title: t('appeals.import.col.startedAt'), render: (_, s) => <span className="appeal-mono">{formatBeijingTime(s.startedAt)}</span> },
              { key: 'file', title: t('appeals.import.col.file'), render: (_, s) => s.fileName },
              { key: 'by', title: t('appeals.import.col.by'), render: (_, s) => s.importedBy },
              {
                key: 'status',
                title: t('appeals.import.col.status'),
                render: (_, s) => (
                  <Tag color={s.status === 'done' ? 'success' : s.status === 'failed' ? 'error' : 'processing'}>
                    {t(`appeals.import.status.${s.status}` as TKey)}
                  </Tag>
                ),
              },
              {
                key: 'counts',
                title: t('appeals.import.col.counts'),
                render: (_, s) =>
                  s.status === 'failed' ? (
                    <Typography.Text type="danger">{s.failure ? localizeServerText(s.failure, lang) : '—'}</Typography.Text>
                  ) : (
                    t('appeals.import.countsText', {
                      rows: formatCount(s.rowsTotal, lang),
                      inserted: formatCount(s.inserted, lang),
                      updated: formatCount(s.updated, lang),
                      bad: formatCount(s.badRows, lang),
                      unmatched: formatCount(s.unmatched, lang),
                    })
                  ),
              },
              {
                key: 'view',
                title: '',
                render: (_, s) => (
                  <Button size="small" type="link" onClick={() => show(s)} data-testid="import-view">
                    {t('appeals.import.view')}
                  </Button>
                ),
              },
            ]}
          />
        )}
      </Card>
    </Flex>
  );
}

/** The file, an optional source (its saved column mapping) and an optional default district. */
function UploadForm({ scope, csrfToken, onDone }: { scope: string; csrfToken: string; onDone: (summary: ImportSummary) => void }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [source, setSource] = useState('');
  const [district, setDistrict] = useState<string | undefined>();
  const [state, setState] = useState<Upload>({ kind: 'idle' });
  const [missingFile, setMissingFile] = useState(false);
  const busy = state.kind === 'uploading' || state.kind === 'processing';

  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [roles, setRoles] = useState<Record<string, ImportRole>>({});
  /** Only the roles the person changed: the rest stay as the import infers them. */
  const [changed, setChanged] = useState<Record<string, ImportRole>>({});
  const headers = { csrfToken, acceptLanguage: lang === 'zh' ? 'zh-CN,zh;q=0.9,en;q=0.5' : 'en,zh-CN;q=0.5' };
  const [mode, setMode] = useState<'preview' | 'import'>('preview');
  const progress = (fraction: number) => setState(fraction >= 1 ? { kind: 'processing' } : { kind: 'uploading', fraction });

  /** First the preview: what the import makes of the file, written nowhere. */
  async function read(columns: Record<string, ImportRole> | undefined) {
    const file = files[0]?.originFileObj;
    if (!file) {
      setMissingFile(true);
      return;
    }
    setMode('preview');
    setState({ kind: 'uploading', fraction: 0 });
    try {
      const next = await postImportForm<ImportPreview>('/api/v1/appeal-imports/preview', { file, source: source.trim() || undefined, district, columns }, headers, progress);
      setPreview(next);
      setRoles({ ...rolesOf(next), ...(columns ?? {}) });
      setState({ kind: 'idle' });
    } catch (err) {
      setState({ kind: 'failed', error: err });
    }
  }

  function changeRole(header: string, role: ImportRole) {
    // One column per field: the column that had this role gives it up.
    const next: Record<string, ImportRole> = { ...changed, [header]: role };
    if (role !== 'ignore') for (const [h, r] of Object.entries(roles)) if (h !== header && r === role) next[h] = 'ignore';
    setChanged(next);
    void read(next);
  }

  /** Then the import, with the roles as confirmed: saved for the source, if one is named. */
  async function confirm() {
    const file = files[0]?.originFileObj;
    if (!file) return;
    setMode('import');
    setState({ kind: 'uploading', fraction: 0 });
    try {
      const summary = await postImportForm<ImportSummary>('/api/v1/appeal-imports', { file, source: source.trim() || undefined, district, columns: roles }, headers, progress);
      setState({ kind: 'idle' });
      setFiles([]);
      reset();
      onDone(summary);
    } catch (err) {
      setState({ kind: 'failed', error: err });
    }
  }

  function reset() {
    setPreview(null);
    setRoles({});
    setChanged({});
  }

  // A refused file (missing columns) names each missing column: list them under the reason.
  const failure =
    state.kind === 'failed'
      ? {
          title: t('appeals.import.failed', { reason: errorText(state.error) }),
          lines: state.error instanceof ApiError ? (state.error.problem.errors ?? []).map((e) => `${e.field ? `${e.field}: ` : ''}${localizeServerText(e.message, lang)}`) : [],
        }
      : null;

  return (
    <Form layout="vertical" style={{ marginTop: 16 }} data-testid="import-form" onFinish={() => void read(undefined)}>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Form.Item validateStatus={missingFile ? 'error' : undefined} help={missingFile ? t('appeals.import.fileRequired') : undefined}>
            <Upload.Dragger
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              maxCount={1}
              fileList={files}
              disabled={busy}
              beforeUpload={() => false}
              onChange={({ fileList }) => {
                setFiles(fileList.slice(-1));
                setMissingFile(false);
                reset();
                if (state.kind === 'failed') setState({ kind: 'idle' });
              }}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('appeals.import.drop')}</p>
              <p className="ant-upload-hint" style={{ paddingInline: 16 }}>
                {t('appeals.import.dropHint')}
              </p>
            </Upload.Dragger>
          </Form.Item>
        </Col>
        <Col xs={24} lg={12}>
          <Form.Item label={t('appeals.import.source')} extra={t('appeals.import.sourceHint')}>
            <Input
              value={source}
              onChange={(e) => {
                setSource(e.target.value);
                reset();
              }}
              maxLength={64}
              placeholder={t('appeals.import.sourcePlaceholder')}
              disabled={busy}
              data-testid="import-source"
            />
          </Form.Item>
          <Form.Item label={t('appeals.import.district')}>
            <ScopedDivisionSelect
              within={scope.length > 6 ? scope.slice(0, 6) : scope}
              browseLevel="district"
              levels={['district']}
              value={district}
              onChange={(code) => {
                setDistrict(code);
                reset();
              }}
              placeholder={t('appeals.import.districtPlaceholder')}
              data-testid="import-district"
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button type={preview ? 'default' : 'primary'} htmlType="submit" icon={<CloudUploadOutlined />} loading={busy} data-testid="import-start">
              {t('appeals.import.preview')}
            </Button>
          </Form.Item>
        </Col>
      </Row>
      {state.kind === 'uploading' && (
        <div data-testid="import-progress">
          <Typography.Text type="secondary">{t('appeals.import.uploading')}</Typography.Text>
          <Progress percent={Math.round(state.fraction * 100)} status="active" />
        </div>
      )}
      {state.kind === 'processing' && (
        <div data-testid="import-progress">
          <Typography.Text type="secondary">{t(mode === 'preview' ? 'appeals.import.previewing' : 'appeals.import.processing')}</Typography.Text>
          <Progress percent={100} status="active" showInfo={false} />
        </div>
      )}
      {preview && (
        <ImportPreviewPanel
          preview={preview}
          roles={roles}
          busy={busy}
          onRole={changeRole}
          onConfirm={() => void confirm()}
          onCancel={() => {
            reset();
            setFiles([]);
          }}
        />
      )}
      {failure && (
        <Alert
          type="error"
          showIcon
          data-testid="import-error"
          title={failure.title}
          description={failure.lines.length > 0 ? failure.lines.map((line, i) => <div key={i}>{line}</div>) : undefined}
        />
      )}
    </Form>
  );
}

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
function ImportResult({ summary }: { summary: ImportSummary }) {
  const { t, lang } = useI18n();
  const problemCount = summary.badRows + summary.warnings;
  const columns: TableColumnsType<ImportProblem> = [
    { key: 'row', title: t('appeals.import.col.row'), render: (_, p) => <span className="appeal-mono">{p.rowNo}</span> },
    { key: 'column', title: t('appeals.import.col.column'), render: (_, p) => p.column ?? '—' },
    { key: 'value', title: t('appeals.import.col.value'), render: (_, p) => (p.value ? <Typography.Text code>{p.value}</Typography.Text> : '—') },
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
    { key: 'reason', title: t('appeals.import.col.reason'), render: (_, p) => <span data-testid="import-problem-reason">{localizeServerText(p.reason, lang)}</span> },
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
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t('appeals.import.failed', { reason: summary.failure ? localizeServerText(summary.failure, lang) : '—' })} />
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

/** Imported appeals without a community, oldest first; each gets one by a pick and a click. */
function UnmatchedQueue({ importId, canMatch }: { importId: number | null; canMatch: boolean }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [onlyThis, setOnlyThis] = useState(true);
  const [list, setList] = useState<Loaded<UnmatchedItem>>({ kind: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const filter = importId !== null && onlyThis ? { importId } : {};
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    const ctrl = new AbortController();
    setList({ kind: 'loading' });
    importsApi
      .unmatched({ ...filter, limit: PAGE_SIZE }, ctrl.signal)
      .then((page) => setList({ kind: 'ready', ...page }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setList({ kind: 'error', error: err });
      });
    return () => ctrl.abort();
  }, [filterKey]);

  async function more() {
    if (list.kind !== 'ready' || !list.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await importsApi.unmatched({ ...filter, limit: PAGE_SIZE, cursor: list.nextCursor });
      setList({ ...list, items: [...list.items, ...page.items], nextCursor: page.nextCursor, total: page.total });
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setLoadingMore(false);
    }
  }

  function matched(item: UnmatchedItem) {
    message.success(t('appeals.import.matched', { ticket: item.ticketNo, community: item.communityName ?? item.communityCode ?? '' }));
    setList((l) => (l.kind === 'ready' ? { ...l, items: l.items.filter((u) => u.id !== item.id), total: Math.max(0, l.total - 1) } : l));
  }

  const columns: TableColumnsType<UnmatchedItem> = [
    {
      key: 'ticket',
      title: t('appeals.col.ticket'),
      render: (_, u) => (
        <>
          <Link to={`/appeals/${u.appealId}`} className="appeal-mono">
            {u.ticketNo} <LinkOutlined />
          </Link>
          <Typography.Text type="secondary" className="appeal-mono" style={{ display: 'block', fontSize: 12 }}>
            {formatBeijingTime(u.receivedAt)}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'description',
      title: t('appeals.col.description'),
      render: (_, u) => (
        <Typography.Paragraph ellipsis={{ rows: 2, tooltip: u.description }} style={{ margin: 0, width: 200 }}>
          {u.description}
        </Typography.Paragraph>
      ),
    },
    {
      key: 'given',
      title: t('appeals.import.col.given'),
      render: (_, u) => (
        <div style={{ minWidth: 140, maxWidth: 240 }}>
          {[u.districtName, u.givenStreet ?? u.streetName, u.givenCommunity].filter(Boolean).join(' / ')}
          {u.address && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {u.address}
            </Typography.Text>
          )}
          <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }}>
            {localizeServerText(u.reason, lang)}
          </Typography.Text>
        </div>
      ),
    },
    ...(canMatch
      ? [
          {
            key: 'match',
            title: t('appeals.import.col.match'),
            render: (_: unknown, u: UnmatchedItem) => <MatchAction item={u} onMatched={matched} />,
          },
        ]
      : []),
  ];

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          {t('appeals.import.unmatched')}
          {list.kind === 'ready' && <Tag color={list.total > 0 ? 'warning' : 'default'}>{t('appeals.import.total', { n: formatCount(list.total, lang) })}</Tag>}
        </Flex>
      }
      extra={
        importId !== null && (
          <Flex align="center" gap={8}>
            <Switch size="small" checked={onlyThis} onChange={setOnlyThis} data-testid="unmatched-only-this" />
            <Typography.Text>{t('appeals.import.thisImportOnly')}</Typography.Text>
          </Flex>
        )
      }
    >
      <Typography.Paragraph type="secondary">{t('appeals.import.unmatchedHint')}</Typography.Paragraph>
      {list.kind === 'error' ? (
        <Alert type="error" showIcon title={errorText(list.error)} />
      ) : (
        <>
          <Table<UnmatchedItem>
            data-testid="unmatched-table"
            rowKey="id"
            size="small"
            loading={list.kind === 'loading'}
            columns={columns}
            dataSource={list.kind === 'ready' ? list.items : []}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('appeals.import.unmatchedEmpty') }}
            onRow={(u) => ({ 'data-testid': 'unmatched-row', 'data-ticket': u.ticketNo }) as HTMLAttributes<HTMLElement>}
          />
          {list.kind === 'ready' && list.nextCursor && (
            <Button style={{ marginTop: 12 }} loading={loadingMore} onClick={() => void more()}>
              {t('appeals.loadMore')}
            </Button>
          )}
        </>
      )}
    </Card>
  );
}

/** The likeliest communities as one-click choices, any community of the street by search, then 匹配. */
function MatchAction({ item, onMatched }: { item: UnmatchedItem; onMatched: (item: UnmatchedItem) => void }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [picked, setPicked] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function match() {
    if (!picked) return;
    setBusy(true);
    setError(null);
    try {
      onMatched(await importsApi.match(item.id, picked));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fieldError = error instanceof ApiError ? error.problem.errors?.map((e) => localizeServerText(e.message, lang)).join('；') : undefined;
  let hint: ReactNode = null;
  if (error !== null) hint = <Typography.Text type="danger" style={{ fontSize: 12 }}>{fieldError || errorText(error)}</Typography.Text>;

  return (
    <Flex vertical gap={6} style={{ minWidth: 300 }} data-testid="unmatched-match">
      {item.candidates.length > 0 && (
        <Flex gap={4} wrap align="center">
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('appeals.import.candidates')}
          </Typography.Text>
          {item.candidates.map((c) => (
            <Tag.CheckableTag
              key={c.code}
              checked={picked === c.code}
              onChange={() => setPicked(c.code)}
              data-testid="unmatched-candidate"
              data-code={c.code}
              style={{ border: '1px solid #d9d9d9' }}
            >
              {c.name}
            </Tag.CheckableTag>
          ))}
        </Flex>
      )}
      <Flex gap={8}>
        <ScopedDivisionSelect
          within={item.streetCode ?? item.districtCode}
          browseLevel="community"
          levels={['community']}
          value={picked}
          onChange={setPicked}
          placeholder={t('appeals.import.matchPlaceholder')}
          style={{ width: 220 }}
          data-testid="unmatched-community"
        />
        <Button type="primary" disabled={!picked} loading={busy} onClick={() => void match()} data-testid="unmatched-submit">
          {t('appeals.import.match')}
        </Button>
      </Flex>
      {hint}
    </Flex>
  );
}
