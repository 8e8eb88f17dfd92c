import { Button, Flex, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { api, type Division, type Page } from '../../api.ts';
import { useCursorList } from '../../components/LoadMoreTable.tsx';
import { useT } from '../../i18n.tsx';

const PAGE_SIZE = 100;

/** The subdivisions of a district or street as links, a page at a time. */
export function ChildLinks({ code }: { code: string }) {
  const t = useT();
  // The tree on the left shows loading errors; this list simply stays empty.
  const list = useCursorList<Division, Page<Division>>(code, (cursor, signal) => api.children(code, { limit: PAGE_SIZE, cursor }, signal));
  if (list.state.kind !== 'ready') return null;
  const { page } = list.state;
  return (
    <Flex wrap gap={6} data-testid="division-children">
      {page.items.map((d) => (
        <Link key={d.code} to={`/geo/${d.code}`}>
          <Tag style={{ cursor: 'pointer', marginInlineEnd: 0 }}>{d.name}</Tag>
        </Link>
      ))}
      {page.nextCursor && (
        <Button size="small" type="link" loading={list.loadingMore} onClick={() => void list.more()}>
          {t('geo.loadMore', { n: Math.max(0, page.total - page.items.length) })}
        </Button>
      )}
    </Flex>
  );
}
