import { Alert, App, Button, Flex, Table, Typography, type TableProps } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { isAbort } from '../api.ts';
import { useErrorText } from '../useErrorText.ts';

/** One page of a list the server pages with an opaque cursor (GET …?limit=&cursor=). */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** The pages read so far, as one page: the items of all, the rest of the latest. */
export type Loaded<P> = P & { fetchedAt: number };

export type CursorListState<P> = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; page: Loaded<P> };

export interface CursorList<T, P extends CursorPage<T>> {
  state: CursorListState<P>;
  /** The rows read so far (none while the first page loads or failed). */
  items: T[];
  /** A new first page is on its way while the old rows stay on screen (`keep`). */
  reloading: boolean;
  loadingMore: boolean;
  more: () => Promise<void>;
  /** Changes the rows on screen after a write (a row created, disabled, revoked). */
  setItems: (change: (items: T[]) => T[]) => void;
  /** The same, where the rest of the page changes with them (a total one less). */
  setPage: (change: (page: Loaded<P>) => Loaded<P>) => void;
}

interface Options<T> {
  /** Rows already on screen (created on this page) are not listed again by a later page. */
  idOf?: (item: T) => unknown;
  /** On a new key, keep the old rows under the spinner until the new ones replace them. */
  keep?: boolean;
}

/**
 * Loads the first page whenever `key` changes, and the next on `more()`. A failed next page is
 * said in a toast and the rows read so far stay.
 */
export function useCursorList<T, P extends CursorPage<T>>(
  key: unknown,
  load: (cursor: string | null, signal?: AbortSignal) => Promise<P>,
  { idOf, keep = false }: Options<T> = {},
): CursorList<T, P> {
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [state, setState] = useState<CursorListState<P>>({ kind: 'loading' });
  const [reloading, setReloading] = useState(keep);
  const [loadingMore, setLoadingMore] = useState(false);
  // A next page asked for under an older key is not appended to the new key's rows.
  const generation = useRef(0);

  useEffect(() => {
    generation.current += 1;
    const ctrl = new AbortController();
    if (keep) setReloading(true);
    else setState({ kind: 'loading' });
    load(null, ctrl.signal)
      .then((page) => setState({ kind: 'ready', page: { ...page, fetchedAt: Date.now() } }))
      .catch((error: unknown) => {
        if (!isAbort(error)) setState({ kind: 'error', error });
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setReloading(false);
      });
    return () => ctrl.abort();
    // `load` is a new closure every render; the key names everything it depends on.
  }, [key]);

  async function more() {
    if (state.kind !== 'ready' || !state.page.nextCursor) return;
    setLoadingMore(true);
    const asked = generation.current;
    try {
      const next = await load(state.page.nextCursor);
      setState((s) => {
        if (s.kind !== 'ready' || asked !== generation.current) return s;
        const known = idOf ? new Set(s.page.items.map(idOf)) : null;
        const fresh = known ? next.items.filter((item) => !known.has(idOf!(item))) : next.items;
        return { kind: 'ready', page: { ...next, items: [...s.page.items, ...fresh], fetchedAt: s.page.fetchedAt } };
      });
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setLoadingMore(false);
    }
  }

  const setPage = useCallback(
    (change: (page: Loaded<P>) => Loaded<P>) => setState((s) => (s.kind === 'ready' ? { kind: 'ready', page: change(s.page) } : s)),
    [],
  );
  const setItems = useCallback((change: (items: T[]) => T[]) => setPage((page) => ({ ...page, items: change(page.items) })), [setPage]);

  return { state, items: state.kind === 'ready' ? state.page.items : [], reloading, loadingMore, more, setItems, setPage };
}

interface Props<T, P extends CursorPage<T>> extends Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'> {
  list: CursorList<T, P>;
  /** The line under the table once a page is read ("50 shown", "all 120"); none says nothing. */
  status?: (page: Loaded<P>, shown: number) => ReactNode;
  statusTestId?: string;
  moreText: string;
  moreTestId?: string;
  /** Closer and smaller, inside a dialog. */
  compact?: boolean;
}

/** A table of a cursor-paged list: its rows so far, the line under it and 加载更多. */
export function LoadMoreTable<T extends object, P extends CursorPage<T>>({
  list,
  status,
  statusTestId,
  moreText,
  moreTestId,
  compact = false,
  ...table
}: Props<T, P>) {
  const errorText = useErrorText();
  const { state, items, reloading } = list;
  if (state.kind === 'error') return <Alert type="error" showIcon title={errorText(state.error)} />;
  return (
    <>
      <Table<T> {...table} loading={state.kind === 'loading' || reloading} dataSource={items} pagination={false} />
      {state.kind === 'ready' && !reloading && (status || state.page.nextCursor) && (
        <Flex justify="space-between" align="center" style={{ marginTop: compact ? 8 : 12 }}>
          {status && (
            <Typography.Text type="secondary" data-testid={statusTestId}>
              {status(state.page, items.length)}
            </Typography.Text>
          )}
          {state.page.nextCursor && (
            <Button
              size={compact ? 'small' : undefined}
              loading={list.loadingMore}
              onClick={() => void list.more()}
              data-testid={moreTestId}
            >
              {moreText}
            </Button>
          )}
        </Flex>
      )}
    </>
  );
}
