import { Cascader, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type Division, type DivisionLevel } from '../api.ts';
import { useT } from '../i18n.tsx';
import { levelKey, shortChainText } from '../pages/geo/divisionText.ts';
import { SearchSelect, useSearch, type PickerProps } from './SearchSelect.tsx';
const LIMIT = 30;
/** Beijing: every division's code starts with it, so "within Beijing" is "anywhere". */
const BEIJING = '11';

/** The level below a scope's code, whose divisions are offered before anything is typed. */
function levelBelow(code: string): DivisionLevel | null {
  if (code.length <= 4) return 'district';
  if (code.length === 6) return 'street';
  if (code.length === 9) return 'community';
  return null;
}

interface SearchProps extends PickerProps<string> {
  cascade?: false;
  /** The division found and picked, for a caller that needs more than its code. */
  onPicked?: (division: Division) => void;
  /**
   * Only divisions under this code are offered (the user's scope, a program's district). Without
   * it the whole city is searched and nothing is offered before a name is typed.
   */
  within?: string;
  /** Offered before anything is typed (null: nothing); defaults to the level just below `within`. */
  browseLevel?: DivisionLevel | null;
  /** Levels that may be picked; the others are left out of the results. */
  levels?: readonly DivisionLevel[];
  /** The box names the picked division with its code (a scope, where the code is the point). */
  showCode?: boolean;
}

/**
 * Browses level by level (district ► street ► community) instead of searching by name: `within`
 * is the root, and it or any division below it may be picked (the area a dashboard shows).
 * There is always a value; it cannot be cleared.
 */
interface CascadeProps extends Omit<PickerProps<string>, 'value' | 'onChange'> {
  cascade: true;
  within: string;
  value: string;
  onChange: (code: string) => void;
}

/**
 * Picks a division by name or pinyin initials (GET /divisions?q=&within=), or level by level
 * (`cascade`); the value is its code. A value given from outside (a link's ?division=) is looked
 * up once for its name.
 */
export function DivisionSelect(props: SearchProps | CascadeProps) {
  return props.cascade ? <DivisionCascader {...props} /> : <DivisionSearch {...props} />;
}

function DivisionSearch({ onChange, onPicked, within, browseLevel, levels, showCode = false, cascade: _, ...field }: SearchProps) {
  const { value } = field;
  const t = useT();
  const [known, setKnown] = useState<ReadonlyMap<string, Division>>(new Map());
  const remember = (list: Division[]) =>
    setKnown((m) => {
      const next = new Map(m);
      for (const d of list) next.set(d.code, d);
      return next;
    });

  // The name of a value the results never held.
  useEffect(() => {
    if (!value || known.has(value)) return;
    const ctrl = new AbortController();
    api
      .division(value, ctrl.signal)
      .then((d) => remember([d]))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [value]);

  const browse = browseLevel !== undefined ? browseLevel : within ? levelBelow(within) : null;
  // One level is asked of the server; several are sorted out of its answer.
  const only = levels?.length === 1 ? levels[0] : undefined;
  const s = useSearch<Division>(
    (q, signal) =>
      api
        .divisions(
          q
            ? { q, within: within ?? BEIJING, level: only, limit: LIMIT }
            : { within: within ?? BEIJING, level: browse ?? undefined, limit: LIMIT },
          signal,
        )
        .then((page) => {
          const items = page.items.filter((d) => !levels || levels.includes(d.level));
          remember(items);
          return items;
        }),
    [within, browse, levels?.join(',')],
    (q) => q !== '' || browse !== null,
  );

  return (
    <SearchSelect<string>
      {...field}
      search={s}
      emptyText={browse !== null || s.text.trim() ? t('geo.searchEmpty') : null}
      onChange={(code) => {
        onChange?.(code);
        const d = code === undefined ? undefined : known.get(code);
        if (d) onPicked?.(d);
      }}
      labelOf={(code) => {
        const d = known.get(code);
        return d ? (showCode ? `${d.name}（${d.code}）` : d.name) : code;
      }}
      options={s.options.map((d) => ({ value: d.code, label: <DivisionOption division={d} /> }))}
      popupWidth={320}
    />
  );
}

const CHILDREN_PAGE = 500;

interface CascadeOption {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: CascadeOption[];
}

/**
 * A division's children, every page of them. Beijing's only "city" is the placeholder 市辖区
 * (1101): the districts are shown straight under 北京市 instead.
 */
async function childrenOf(code: string): Promise<Division[]> {
  const items: Division[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.children(code, { limit: CHILDREN_PAGE, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const only = items[0];
  if (items.length === 1 && only?.level === 'city') return childrenOf(only.code);
  return items;
}

/** The codes from the root down to `division`, or null when it lies outside the root. */
function pathFrom(root: string, division: Division): string[] | null {
  const codes = [...division.chain.filter((c) => c.level !== 'city').map((c) => c.code), division.code];
  const start = codes.indexOf(root);
  return start < 0 ? null : codes.slice(start);
}

/** `cascade`: the root and its levels below, each loaded when it is opened. */
function DivisionCascader({ within: root, value, onChange, placeholder, id, style, 'data-testid': testId }: CascadeProps) {
  const t = useT();
  const [rootDivision, setRootDivision] = useState<Division | null>(null);
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
      .division(root)
      .then((d) => {
        if (live) setRootDivision(d);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [root]);

  // Open the levels down to the value, so the box can name it.
  useEffect(() => {
    let live = true;
    (async () => {
      let codes = knownPaths.current.get(value);
      if (!codes) {
        codes = value === root ? [root] : (pathFrom(root, await api.division(value)) ?? [root]);
        knownPaths.current.set(value, codes);
      }
      for (const code of codes.slice(0, -1)) await ensureChildren(code);
      if (live) setPath(codes);
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [root, value, ensureChildren]);

  const options = useMemo<CascadeOption[]>(() => {
    if (!rootDivision) return [];
    const build = (d: Division): CascadeOption => {
      const children = loaded.get(d.code);
      return {
        value: d.code,
        label: d.name,
        isLeaf: d.level === 'community' || d.childCount === 0,
        ...(children ? { children: children.map(build) } : {}),
      };
    };
    return [build(rootDivision)];
  }, [rootDivision, loaded]);

  return (
    <Cascader<CascadeOption>
      id={id}
      data-testid={testId}
      aria-label={placeholder ?? t('geo.division')}
      options={options}
      // Until the levels down to the value are loaded the box would show bare codes: show nothing yet.
      value={rootDivision && path.length > 0 ? path : []}
      placeholder={placeholder ?? t('geo.division')}
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
      style={{ minWidth: 260, ...style }}
      popupMatchSelectWidth={false}
    />
  );
}

/** One division in a list of results: its name and level, and where it lies. */
export function DivisionOption({ division: d, withCode = true }: { division: Division; withCode?: boolean }) {
  const t = useT();
  return (
    <div data-testid="division-option" data-code={d.code}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
        <Typography.Text strong ellipsis style={{ flex: 1 }}>
          {d.name}
        </Typography.Text>
        <Tag style={{ marginInlineEnd: 0 }}>{t(levelKey(d.level))}</Tag>
      </div>
      <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
        {[shortChainText(d), withCode ? d.code : ''].filter(Boolean).join(' · ')}
      </Typography.Text>
    </div>
  );
}
