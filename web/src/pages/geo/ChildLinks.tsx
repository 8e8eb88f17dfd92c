import { Button, Flex, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, isAbort, type Division, type Page } from '../../api.ts';
import { useT } from '../../i18n.tsx';

const PAGE_SIZE = 100;

/** The subdivisions of a district or street as links, a page at a time. Mount with key={code}. */
export function ChildLinks({ code }: { code: string }) {
  const t = useT();
  const [page, setPage] = useState<Page<Division> | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    api
      .children(code, { limit: PAGE_SIZE }, ctrl.signal)
      .then(setPage)
      .catch((err: unknown) => {
        // The tree on the left shows loading errors; this list simply stays empty.
        if (!isAbort(err)) setPage(null);
      })
      .finally(() => setLoading(false));
    return () => ctrl.abort();
  }, [code]);

  async function more() {
    if (!page?.nextCursor) return;
    setLoading(true);
    try {
      const next = await api.children(code, { limit: PAGE_SIZE, cursor: page.nextCursor });
      setPage({ ...next, items: [...page.items, ...next.items] });
    } finally {
      setLoading(false);
    }
  }

  if (!page) return null;
  return (
    <Flex wrap gap={6} data-testid="division-children">
      {page.items.map((d) => (
        <Link key={d.code} to={`/geo/${d.code}`}>
          <Tag style={{ cursor: 'pointer', marginInlineEnd: 0 }}>{d.name}</Tag>
        </Link>
      ))}
      {page.nextCursor && (
        <Button size="small" type="link" loading={loading} onClick={() => void more()}>
          {t('geo.loadMore', { n: Math.max(0, page.total - page.items.length) })}
        </Button>
      )}
    </Flex>
  );
}
