import { LoadingOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Empty, Input, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import { api, type Division, type Page } from '../../api.ts';
import { DivisionOption } from '../../components/DivisionSelect.tsx';
import { useCursorList } from '../../components/LoadMoreTable.tsx';
import { useT } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';

const PAGE_SIZE = 20;
const DEBOUNCE_MS = 250;

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
  // Nothing typed asks nothing and shows nothing.
  const list = useCursorList<Division, Page<Division>>(query, (cursor, signal) =>
    query ? api.divisions({ q: query, limit: PAGE_SIZE, cursor }, signal) : Promise.resolve({ items: [], nextCursor: null, total: 0 }),
  );
  const results = query && list.state.kind === 'ready' ? list.state.page : null;

  // Typing waits for a pause; Enter searches at once.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <div>
      {/* A plain Input, not Input.Search: antd 6 puts Search's data-* attributes on its wrapper,
          and the test hook must sit on the <input> itself. */}
      <Input
        data-testid="geo-search"
        allowClear
        prefix={query && list.state.kind === 'loading' ? <LoadingOutlined /> : <SearchOutlined />}
        placeholder={t('geo.searchPlaceholder')}
        aria-label={t('geo.searchPlaceholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onPressEnter={() => setQuery(text.trim())}
      />
      {list.state.kind === 'error' && (
        <Typography.Text type="danger" style={{ display: 'block', marginTop: 8 }}>
          {errorText(list.state.error)}
        </Typography.Text>
      )}
      {results && (
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
                  <Button type="link" size="small" loading={list.loadingMore} onClick={() => void list.more()}>
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
