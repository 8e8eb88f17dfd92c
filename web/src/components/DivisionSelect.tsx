import { Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, type Division, type DivisionLevel } from '../api.ts';
import { useT } from '../i18n.tsx';
import { appealsApi } from '../pages/appeals/api.ts';
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

interface Props extends PickerProps<string> {
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
 * Picks a division by name or pinyin initials (GET /divisions?q=&within=); the value is its code.
 * A value given from outside (a link's ?division=) is looked up once for its name.
 */
export function DivisionSelect({ onChange, onPicked, within, browseLevel, levels, showCode = false, ...field }: Props) {
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
      appealsApi
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
