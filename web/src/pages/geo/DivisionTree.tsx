import { Alert, Spin, Tree, Typography, type TreeDataNode } from 'antd';
import { useCallback, useEffect, useRef, useState, type Key } from 'react';
import { api, type Division, type Page } from '../../api.ts';
import { useT } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { BEIJING_CITY_CODE } from './divisionText.ts';

const PAGE_SIZE = 200;
// A deep link may name a community far down a long list; stop paging after this many pages.
const MAX_PAGES_TO_FIND = 20;
const MORE_PREFIX = 'more:';

type Pages = Record<string, Page<Division>>;

interface Props {
  /** Highlighted at once, from the URL, so a click shows while its division still loads. */
  selectedCode: string | undefined;
  /** Once loaded, its chain tells which branches to open. */
  selected: Division | null;
  onSelect: (code: string) => void;
}

/** Lazy tree of Beijing: districts ► streets ► communities, a page of children at a time. */
export function DivisionTree({ selectedCode, selected, onSelect }: Props) {
  const t = useT();
  const errorText = useErrorText();
  const [pages, setPages] = useState<Pages>({});
  const [expandedKeys, setExpandedKeys] = useState<Key[]>([]);
  const [loadingMore, setLoadingMore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The ref mirrors `pages` synchronously, so consecutive awaits inside one effect see their
  // own results; in-flight requests are shared so StrictMode's double effects fetch once.
  const pagesRef = useRef<Pages>({});
  const inFlight = useRef(new Map<string, Promise<Page<Division>>>());
  const containerRef = useRef<HTMLDivElement>(null);
  const scrollPending = useRef(false);
  const scrollFrame = useRef(0);

  const fetchPage = useCallback(
    (parent: string, cursor: string | null): Promise<Page<Division>> => {
      const key = `${parent}|${cursor ?? ''}`;
      let promise = inFlight.current.get(key);
      if (!promise) {
        promise = api.children(parent, { limit: PAGE_SIZE, cursor }).then((page) => {
          const prev = pagesRef.current[parent];
          const merged: Page<Division> = cursor && prev ? { ...page, items: [...prev.items, ...page.items] } : page;
          pagesRef.current = { ...pagesRef.current, [parent]: merged };
          setPages(pagesRef.current);
          return merged;
        });
        promise.catch((err: unknown) => setError(errorText(err))).finally(() => inFlight.current.delete(key));
        inFlight.current.set(key, promise);
      }
      return promise;
    },
    [errorText],
  );

  const ensureLoaded = useCallback(
    async (parent: string): Promise<Page<Division>> => pagesRef.current[parent] ?? fetchPage(parent, null),
    [fetchPage],
  );

  const loadMore = useCallback(
    async (parent: string) => {
      const page = pagesRef.current[parent];
      if (!page?.nextCursor) return;
      setLoadingMore(parent);
      try {
        await fetchPage(parent, page.nextCursor);
      } finally {
        setLoadingMore(null);
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    ensureLoaded(BEIJING_CITY_CODE).catch(() => undefined);
  }, [ensureLoaded]);

  // Open the tree down to the selected division, paging a parent's children until it shows up.
  useEffect(() => {
    if (!selected) return;
    let cancelled = false;
    const path = [...selected.chain.map((c) => c.code), selected.code];
    const start = path.indexOf(BEIJING_CITY_CODE);
    if (start < 0) return;
    const steps = path.slice(start);
    (async () => {
      const opened: string[] = [];
      for (let i = 0; i + 1 < steps.length; i++) {
        const parent = steps[i] as string;
        const child = steps[i + 1] as string;
        let page = await ensureLoaded(parent);
        for (let n = 0; n < MAX_PAGES_TO_FIND && page.nextCursor && !page.items.some((d) => d.code === child); n++) {
          page = await fetchPage(parent, page.nextCursor);
        }
        if (cancelled) return;
        if (parent !== BEIJING_CITY_CODE) opened.push(parent);
      }
      scrollPending.current = true;
      setExpandedKeys((keys) => [...new Set([...keys, ...opened])]);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [selected, ensureLoaded, fetchPage]);

  useEffect(() => {
    if (!scrollPending.current) return;
    const scroller = containerRef.current;
    if (!scroller) return;
    scrollPending.current = false;
    // The opened branch's rows appear a render of rc-tree's own later, and then grow in with an
    // animation, during which the list is too short to scroll that far. So watch frame by frame:
    // wait for the selected row, then centre it again until the list stops growing.
    let lastHeight = -1;
    let steady = 0;
    const centre = (frame: number) => {
      if (!scroller.isConnected || frame > 120) return;
      const node = scroller.querySelector('.ant-tree-treenode-selected');
      if (node) {
        // Scroll only the tree's own box: scrollIntoView would move the whole page as well.
        const box = scroller.getBoundingClientRect();
        const row = node.getBoundingClientRect();
        scroller.scrollTop += row.top - box.top - (scroller.clientHeight - row.height) / 2;
        steady = scroller.scrollHeight === lastHeight ? steady + 1 : 0;
        lastHeight = scroller.scrollHeight;
        if (steady >= 3) return;
      }
      scrollFrame.current = requestAnimationFrame(() => centre(frame + 1));
    };
    cancelAnimationFrame(scrollFrame.current);
    centre(0);
  });

  useEffect(() => () => cancelAnimationFrame(scrollFrame.current), []);

  function build(parent: string): TreeDataNode[] | undefined {
    const page = pages[parent];
    if (!page) return undefined;
    const nodes: TreeDataNode[] = page.items.map((d) => ({
      key: d.code,
      isLeaf: d.level === 'community' || d.childCount === 0,
      title: (
        <span>
          {d.name}
          {d.level !== 'community' && d.childCount > 0 && (
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
              {d.childCount}
            </Typography.Text>
          )}
        </span>
      ),
      children: build(d.code),
    }));
    if (page.nextCursor) {
      nodes.push({
        key: `${MORE_PREFIX}${parent}`,
        isLeaf: true,
        title: (
          <Typography.Link>
            {loadingMore === parent ? <Spin size="small" /> : null} {t('geo.loadMore', { n: Math.max(0, page.total - page.items.length) })}
          </Typography.Link>
        ),
      });
    }
    return nodes;
  }

  const treeData = build(BEIJING_CITY_CODE);

  return (
    <div ref={containerRef} data-testid="division-tree" style={{ height: '100%', overflowY: 'auto' }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} closable={{ onClose: () => setError(null) }} />}
      {!treeData ? (
        !error && <Spin />
      ) : (
        <Tree
          blockNode
          treeData={treeData}
          expandedKeys={expandedKeys}
          onExpand={(keys) => setExpandedKeys(keys)}
          selectedKeys={selectedCode ? [selectedCode] : []}
          loadData={async (node) => {
            await ensureLoaded(String(node.key));
          }}
          onSelect={(_keys, info) => {
            const key = String(info.node.key);
            if (key.startsWith(MORE_PREFIX)) void loadMore(key.slice(MORE_PREFIX.length));
            else onSelect(key);
          }}
        />
      )}
    </div>
  );
}
