import { Select, Tag, Typography } from 'antd';
import { useEffect, useState, type CSSProperties } from 'react';
import { api, isAbort, type Division, type DivisionLevel } from '../../api.ts';
import { useT } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { appealsApi } from './api.ts';
import { levelKey, shortChainText } from '../geo/divisionText.ts';

const DEBOUNCE_MS = 250;
const LIMIT = 30;

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
  /** The user's scope: only divisions under it are searched (GET /divisions?within=). */
  within: string;
  /** Offered before anything is typed; defaults to the level just below the scope. */
  browseLevel?: DivisionLevel;
  /** Levels that may be picked; the others are left out of the results. */
  levels?: readonly DivisionLevel[];
  placeholder?: string;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

/**
 * Picks a division inside the user's scope by name or pinyin initials; the value is its code.
 * A value given from outside (a link's ?division=) is looked up once for its name.
 */
export function ScopedDivisionSelect({ value, onChange, within, browseLevel, levels, placeholder, id, style, 'data-testid': testId }: Props) {
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

  const browse = browseLevel ?? levelBelow(within);
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
          .divisions(q ? { q, within, limit: LIMIT } : { within, level: browse ?? undefined, limit: LIMIT }, ctrl.signal)
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
      notFoundContent={error !== null ? <Typography.Text type="danger">{errorText(error)}</Typography.Text> : loading ? null : t('geo.searchEmpty')}
      onChange={(code) => {
        onChange?.(code ?? undefined);
        setText('');
      }}
      labelRender={({ value: code }) => {
        const d = known.get(String(code));
        return d ? d.name : String(code);
      }}
      options={options.map((d) => ({
        value: d.code,
        label: (
          <div data-testid="division-option" data-code={d.code}>
            <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
              <Typography.Text strong ellipsis style={{ flex: 1 }}>
                {d.name}
              </Typography.Text>
              <Tag style={{ marginInlineEnd: 0 }}>{t(levelKey(d.level))}</Tag>
            </div>
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
              {[shortChainText(d), d.code].filter(Boolean).join(' · ')}
            </Typography.Text>
          </div>
        ),
      }))}
      popupMatchSelectWidth={320}
      style={{ width: '100%', ...style }}
    />
  );
}
