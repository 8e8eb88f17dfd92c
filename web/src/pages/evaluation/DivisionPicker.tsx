import { Cascader } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type Division } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';

const PAGE = 500;

interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Option[];
}

/**
 * A division's children, every page of them. Beijing's only "city" is the placeholder 市辖区
 * (1101): the districts are shown straight under 北京市 instead.
 */
async function childrenOf(code: string): Promise<Division[]> {
  const items: Division[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.children(code, { limit: PAGE, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const only = items[0];
  if (items.length === 1 && only?.level === 'city') return childrenOf(only.code);
  return items;
}

/** The codes from the scope down to `division`, or null when it lies outside the scope. */
function pathFrom(scope: string, division: Division): string[] | null {
  const codes = [...division.chain.filter((c) => c.level !== 'city').map((c) => c.code), division.code];
  const start = codes.indexOf(scope);
  return start < 0 ? null : codes.slice(start);
}

interface Props {
  /** The user's scope: the picker's root; nothing above it can be picked. */
  scope: string;
  value: string;
  onChange: (code: string) => void;
  'data-testid'?: string;
}

/**
 * Picks a division within the user's scope, level by level (district ► street ► community),
 * loading each level when it is opened. Any level may be picked, not only communities.
 */
export function DivisionPicker({ scope, value, onChange, 'data-testid': testId }: Props) {
  const { t } = useI18n();
  const [root, setRoot] = useState<Division | null>(null);
  const [loaded, setLoaded] = useState<ReadonlyMap<string, Division[]>>(new Map());
  const [path, setPath] = useState<string[]>([]);
  // Paths already known, from the picker itself, so a pick needs no lookup.
  const knownPaths = useRef(new Map<string, string[]>());
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;

  const ensureChildren = useCallback(async (code: string) => {
    if (loadedRef.current.has(code)) return;
    const items = await childrenOf(code);
    setLoaded((prev) => new Map(prev).set(code, items));
  }, []);

  useEffect(() => {
    let live = true;
    api
      .division(scope)
      .then((d) => {
        if (live) setRoot(d);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [scope]);

  // Open the levels down to the value, so the box can name it.
  useEffect(() => {
    let live = true;
    (async () => {
      let codes = knownPaths.current.get(value);
      if (!codes) {
        codes = value === scope ? [scope] : (pathFrom(scope, await api.division(value)) ?? [scope]);
        knownPaths.current.set(value, codes);
      }
      for (const code of codes.slice(0, -1)) await ensureChildren(code);
      if (live) setPath(codes);
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [scope, value, ensureChildren]);

  const options = useMemo<Option[]>(() => {
    if (!root) return [];
    const build = (d: Division): Option => {
      const children = loaded.get(d.code);
      return {
        value: d.code,
        label: d.name,
        isLeaf: d.level === 'community' || d.childCount === 0,
        ...(children ? { children: children.map(build) } : {}),
      };
    };
    return [build(root)];
  }, [root, loaded]);

  return (
    <Cascader<Option>
      data-testid={testId}
      aria-label={t('eval.division')}
      options={options}
      // Until the levels down to the value are loaded the box would show bare codes: show nothing yet.
      value={root && path.length > 0 ? path : []}
      placeholder={t('eval.division')}
      changeOnSelect
      allowClear={false}
      loadData={(selected) => {
        const last = selected[selected.length - 1];
        if (last) void ensureChildren(last.value).catch(() => undefined);
      }}
      displayRender={(labels) => labels.join(' / ')}
      onChange={(codes) => {
        const list = (codes ?? []).map(String);
        const picked = list[list.length - 1];
        if (!picked) return;
        knownPaths.current.set(picked, list);
        setPath(list);
        onChange(picked);
      }}
      style={{ minWidth: 260 }}
      popupMatchSelectWidth={false}
    />
  );
}
