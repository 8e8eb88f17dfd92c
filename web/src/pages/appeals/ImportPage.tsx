import { Alert, App, Button, Card, Flex, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { isAbort, localizeServerText } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { formatBeijingTime, formatCount } from '../../format.ts';
import { useI18n, type TKey } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { importsApi, type ImportSummary } from './api.ts';
import { ImportResult } from './ImportResult.tsx';
import { UnmatchedQueue } from './UnmatchedQueue.tsx';
import { UploadForm } from './UploadForm.tsx';
import './appeals.css';

const PAGE_SIZE = 20;

export const ImportPage = guardedPage('appeal.import.read', 'appeals.import.nav', ImportView);

type Loaded<T> =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'ready'; items: T[]; nextCursor: string | null; total: number };

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
  const [current, setCurrent] = useState<
    { kind: 'none' } | { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; summary: ImportSummary }
  >({
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
              {
                key: 'startedAt',
                title: t('appeals.import.col.startedAt'),
                render: (_, s) => <span className="appeal-mono">{formatBeijingTime(s.startedAt)}</span>,
              },
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
