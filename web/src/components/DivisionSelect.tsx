import { Select, Tag, Typography } from 'antd';
import { useEffect, useState, type CSSProperties } from 'react';
import { api, isAbort, type Division, type DivisionLevel } from '../api.ts';
import { useT } from '../i18n.tsx';
import { levelKey, shortChainText } from '../pages/geo/divisionText.ts';
import { appealsApi } from '../pages/appeals/api.ts';
import { useErrorText } from '../useErrorText.ts';

const DEBOUNCE_MS = 250;
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

interface Props {
  value?: string;
  onChange?: (code: string | undefined) => void;
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
  placeholder?: string;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

/**
 * Picks a division by name or pinyin initials (GET /divisions?q=&within=); the value is its code.
 * A value given from outside (a link's ?division=) is looked up once for its name.
 */
export function DivisionSelect({ value, onChange, onPicked, within, browseLevel, levels, showCode = false, placeholder, id, style, 'data-testid': testId }: Props) {
  const t = useT();
  const errorText = useErrorText();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Division[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
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
  useEffect(() => {
    const q = text.trim();
    const ctrl = new AbortController();
    const timer = setTimeout(
      () => {
        if (!q && !browse) {
          setOptions([]);
          return;
        }
        setLoading(true);
        appealsApi
          .divisions(q ? { q, within: within ?? BEIJING, level: only, limit: LIMIT } : { within: within ?? BEIJING, level: browse ?? undefined, limit: LIMIT }, ctrl.signal)
          .then((page) => {
            const items = page.items.filter((d) => !levels || levels.includes(d.level));
            setOptions(items);
            remember(items);
            setError(null);
          })
          .catch((err: unknown) => {
            if (!isAbort(err)) setError(err);
          })
          .finally(() => setLoading(false));
      },
      q ? DEBOUNCE_MS : 0,
    );
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text, within, browse, levels?.join(',')]);

  return (
    <Select<string>
      id={id}
      data-testid={testId}
      value={value}
      placeholder={placeholder}
      allowClear
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      loading={loading}
      notFoundContent={
        error !== null ? <Typography.Text type="danger">{errorText(error)}</Typography.Text> : loading || (!browse && !text.trim()) ? null : t('geo.searchEmpty')
      }
      onChange={(code) => {
        onChange?.(code ?? undefined);
        const d = code === undefined ? undefined : known.get(code);
        if (d) onPicked?.(d);
        setText('');
      }}
      labelRender={({ value: code }) => {
        const d = known.get(String(code));
        return d ? (showCode ? `${d.name}（${d.code}）` : d.name) : String(code);
      }}
      options={options.map((d) => ({ value: d.code, label: <DivisionOption division={d} /> }))}
      popupMatchSelectWidth={320}
      style={{ width: '100%', ...style }}
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
