import { TreeSelect } from 'antd';
import { useCallback, useEffect, useMemo, useState, type CSSProperties } from 'react';
import { useI18n } from '../i18n.tsx';
import { appealsApi, type Category } from '../pages/appeals/api.ts';

// The tree is reference data that changes with a deployment, not a visit: fetched once per page load.
let cached: Promise<Category[]> | null = null;

function loadCategories(): Promise<Category[]> {
  cached ??= appealsApi.categories().then(
    (page) => page.items,
    (err: unknown) => {
      cached = null; // a failed load is retried by the next component that asks
      throw err;
    },
  );
  return cached;
}

/**
 * The appeal category tree, flat (GET /appeal-categories); empty until it has loaded. Every page
 * that names or picks a category reads it here: one request a visit.
 */
export function useCategories(): Category[] {
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
  return items;
}

/** Names a category code in the reader's language; an unknown code shows as itself. */
export function useCategoryName(): (code: string) => string {
  const { lang } = useI18n();
  const items = useCategories();
  const byCode = useMemo(() => new Map(items.map((c) => [c.code, c])), [items]);
  return useCallback(
    (code: string) => {
      const c = byCode.get(code);
      return c ? (lang === 'zh' ? c.nameZh : c.nameEn) : code;
    },
    [byCode, lang],
  );
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

interface Common {
  placeholder?: string;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

/** One category: an appeal's, a project's, a filter. */
interface One extends Common {
  multiple?: false;
  value?: string;
  onChange?: (code: string | undefined) => void;
}

/** Several at once: a cadre's expertise, a community's complaints. */
interface Several extends Common {
  multiple: true;
  value?: string[];
  onChange?: (codes: string[]) => void;
}

/** The appeal category tree (GET /appeal-categories); any node may be picked, a parent covers its children. */
export function CategorySelect(props: One | Several) {
  const { lang } = useI18n();
  const items = useCategories();
  const treeData = useMemo(() => buildTree(items, lang), [items, lang]);
  const common = {
    id: props.id,
    'data-testid': props['data-testid'],
    treeData,
    placeholder: props.placeholder,
    allowClear: true,
    showSearch: {
      filterTreeNode: (input: string, node: unknown) => String((node as TreeNode).search ?? '').includes(input.trim().toLowerCase()),
    },
    popupMatchSelectWidth: false,
  };
  if (props.multiple) {
    const { onChange } = props;
    return (
      <TreeSelect<string[]>
        {...common}
        multiple
        value={props.value}
        onChange={(codes) => onChange?.(codes ?? [])}
        styles={{ popup: { root: { minWidth: 260, maxHeight: 400 } } }}
        style={{ width: '100%', ...props.style }}
      />
    );
  }
  const { onChange } = props;
  return (
    <TreeSelect<string>
      {...common}
      value={props.value}
      onChange={(code) => onChange?.(code ?? undefined)}
      styles={{ popup: { root: { minWidth: 240, maxHeight: 400 } } }}
      style={props.style}
    />
  );
}
