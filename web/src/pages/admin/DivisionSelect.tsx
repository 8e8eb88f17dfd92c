import { Select, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, isAbort, type Division } from '../../api.ts';
import { useT } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { levelKey, shortChainText } from '../geo/divisionText.ts';

const DEBOUNCE_MS = 250;
const LIMIT = 20;

interface Props {
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  id?: string;
  'data-testid'?: string;
}

/** Picks a division by name or pinyin initials (GET /divisions?q=); the value is its code. */
export function DivisionSelect({ value, onChange, placeholder, id, 'data-testid': testId }: Props) {
  const t = useT();
  const errorText = useErrorText();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<Division[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The picked division stays known for its label after the results change.
  const picked = useRef(new Map<string, Division>());

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setOptions([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      setLoading(true);
      api
        .searchDivisions({ q, limit: LIMIT }, ctrl.signal)
        .then((page) => {
          setOptions(page.items);
          setError(null);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setError(err);
        })
        .finally(() => setLoading(false));
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text]);

  const label = (d: Division) => `${d.name}（${d.code}）`;

  return (
    <Select<string>
      id={id}
      data-testid={testId}
      value={value}
      placeholder={placeholder}
      allowClear
      showSearch={{ filterOption: false, onSearch: setText, searchValue: text }}
      loading={loading}
      notFoundContent={error !== null ? <Typography.Text type="danger">{errorText(error)}</Typography.Text> : text.trim() && !loading ? t('geo.searchEmpty') : null}
      onChange={(code) => {
        onChange?.(code);
        setText('');
      }}
      labelRender={({ value: code }) => {
        const d = picked.current.get(String(code));
        return d ? label(d) : String(code);
      }}
      onSelect={(code) => {
        const d = options.find((o) => o.code === code);
        if (d) picked.current.set(code, d);
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
      style={{ width: '100%' }}
    />
  );
}
