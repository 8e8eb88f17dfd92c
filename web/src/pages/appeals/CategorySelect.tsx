import { TreeSelect } from 'antd';
import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useI18n } from '../../i18n.tsx';
import { appealsApi, type Category } from './api.ts';

// The tree is reference data that changes with a deployment, not a visit: fetched once per page load.
let cached: Promise<Category[]> | null = null;

function loadCategories(): Promise<Category[]> {
  cached ??= appealsApi.categories().then(
    (page) => page.items,
    (err: unknown) => {
      cached = null; // a failed load is retried by the next picker that mounts
      throw err;
    },
  );
  return cached;
}

interface TreeNode {
  value: string;
  title: string;
  /** Both names, so a search in either language finds the node. */
  search: string;
  children?: TreeNode[];
}

function buildTree(items: Category[], lang: 'zh' | 'en'): TreeNode[] {
  const byParent = new Map<string | null, Category[]>();
  for (const c of items) byParent.set(c.parentCode, [...(byParent.get(c.parentCode) ?? []), c]);
  const build = (parent: string | null): TreeNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
      .map((c) => {
        const children = build(c.code);
        return {
          value: c.code,
          title: lang === 'zh' ? c.nameZh : c.nameEn,
          search: `${c.nameZh} ${c.nameEn} ${c.code}`.toLowerCase(),
          ...(children.length > 0 ? { children } : {}),
        };
      });
  return build(null);
}

interface Props {
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** The appeal category tree (GET /appeal-categories); any node may be picked, a parent covers its children. */
export function CategorySelect({ value, onChange, placeholder, id, style, 'data-testid': testId }: Props) {
  const { lang } = useI18n();
  const [items, setItems] = useState<Category[]>([]);

  useEffect(() => {
    let live = true;
    loadCategories()
      .then((list) => {
        if (live) setItems(list);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const treeData = useMemo(() => buildTree(items, lang), [items, lang]);

  return (
    <TreeSelect<string>
      id={id}
      data-testid={testId}
      value={value}
      onChange={(code) => onChange?.(code ?? undefined)}
      treeData={treeData}
      placeholder={placeholder}
      allowClear
      showSearch={{
        filterTreeNode: (input, node) => String((node as unknown as TreeNode).search ?? '').includes(input.trim().toLowerCase()),
      }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: 240, maxHeight: 400 } } }}
      style={style}
    />
  );
}
