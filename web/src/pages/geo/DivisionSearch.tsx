import { LoadingOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Empty, Input, Typography, theme } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, isAbort, type Division } from '../../api.ts';
import { DivisionOption } from '../../components/DivisionSelect.tsx';
import { useT } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';

const PAGE_SIZE = 20;
const DEBOUNCE_MS = 250;

type Results =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; items: Division[]; nextCursor: string | null; total: number }
  | { kind: 'error'; message: string };

interface Props {
  selectedCode: string | undefined;
  onPick: (code: string) => void;
}

export function DivisionSearch({ selectedCode, onPick }: Props) {
  const t = useT();
  const errorText = useErrorText();
  const { token } = theme.useToken();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Results>({ kind: 'idle' });
  const [loadingMore, setLoadingMore] = useState(false);
  const moreCtrl = useRef<AbortController | null>(null);

  // Typing waits for a pause; Enter searches at once.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    moreCtrl.current?.abort();
    if (!query) {
      setResults({ kind: 'idle' });
      return;
    }
    const ctrl = new AbortController();
    setResults({ kind: 'loading' });
    api
      .searchDivisions({ q: query, limit: PAGE_SIZE }, ctrl.signal)
      .then((page) => setResults({ kind: 'ready', ...page }))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setResults({ kind: 'error', message: errorText(err) });
      });
    return () => ctrl.abort();
  }, [query]);

  async function loadMore() {
    if (results.kind !== 'ready' || !results.nextCursor) return;
    const ctrl = new AbortController();
    moreCtrl.current = ctrl;
    setLoadingMore(true);
    try {
      const page = await api.searchDivisions(
        { q: query, limit: PAGE_SIZE, cursor: results.nextCursor },
        ctrl.signal,
      );
      setResults({ kind: 'ready', items: [...results.items, ...page.items], nextCursor: page.nextCursor, total: page.total });
    } catch (err) {
      if (!isAbort(err)) setResults({ kind: 'error', message: errorText(err) });
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div>
      {/* A plain Input, not Input.Search: antd 6 puts Search's data-* attributes on its wrapper,
          and the test hook must sit on the <input> itself. */}
      <Input
        data-testid="geo-search"
        allowClear
        prefix={results.kind === 'loading' ? <LoadingOutlined /> : <SearchOutlined />}
        placeholder={t('geo.searchPlaceholder')}
        aria-label={t('geo.searchPlaceholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onPressEnter={() => setQuery(text.trim())}
      />
      {results.kind === 'error' && (
        <Typography.Text type="danger" style={{ display: 'block', marginTop: 8 }}>
          {results.message}
        </Typography.Text>
      )}
      {results.kind === 'ready' && (
        <div style={{ marginTop: 8 }}>
          {results.items.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('geo.searchEmpty')} />
          ) : (
            <>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('geo.searchTotal', { n: results.total })}
              </Typography.Text>
              <div role="listbox" style={{ maxHeight: 'min(240px, 30vh)', overflowY: 'auto', marginTop: 4 }}>
                {results.items.map((d) => {
                  const selected = d.code === selectedCode;
                  return (
                    <div
                      key={d.code}
                      role="option"
                      aria-selected={selected}
                      tabIndex={0}
                      data-testid="geo-search-result"
                      data-code={d.code}
                      onClick={() => onPick(d.code)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' || e.key === ' ') {
                          e.preventDefault();
                          onPick(d.code);
                        }
                      }}
                      style={{
                        cursor: 'pointer',
                        padding: '6px 8px',
                        borderRadius: token.borderRadiusSM,
                        background: selected ? token.controlItemBgActive : undefined,
                      }}
                    >
                      <DivisionOption division={d} withCode={false} />
                    </div>
                  );
                })}
                {results.nextCursor && (
                  <Button type="link" size="small" loading={loadingMore} onClick={loadMore}>
                    {t('geo.loadMore', { n: results.total - results.items.length })}
                  </Button>
                )}
              </div>
            </>
          )}
        </div>
      )}
    </div>
  );
}
