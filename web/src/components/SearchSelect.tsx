import { Select, Typography } from 'antd';
import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { isAbort } from '../api.ts';
import { useErrorText } from '../useErrorText.ts';

const DEBOUNCE_MS = 250;

export interface Search<T> {
  text: string;
  setText: (next: string) => void;
  options: T[];
  loading: boolean;
  error: unknown;
}

/**
 * What a searching select shows: `search(text)` answers the options for what was typed (and for
 * '' the ones offered before typing); a text `asks` says nothing of is not sent (nothing is
 * offered before typing).
 */
export function useSearch<T>(
  search: (text: string, signal: AbortSignal) => Promise<T[]>,
  deps: unknown[],
  asks: (text: string) => boolean = () => true,
): Search<T> {
  const [text, setTextState] = useState('');
  const [options, setOptions] = useState<T[]>([]);
  const [loading, setLoading] = useState(() => asks(''));
  const [error, setError] = useState<unknown>(null);
  // Results of an older text are dropped in the same render the text changes: a click picks what was searched.
  const setText = (next: string) => {
    if (next === text) return;
    setTextState(next);
    setOptions([]);
    setLoading(asks(next.trim()));
  };
  useEffect(() => {
    const q = text.trim();
    if (!asks(q)) {
      setOptions([]);
      setLoading(false);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(
      () => {
        search(q, ctrl.signal)
          .then((items) => {
            setOptions(items);
            setError(null);
          })
          .catch((err: unknown) => {
            if (!isAbort(err)) setError(err);
          })
          .finally(() => {
            if (!ctrl.signal.aborted) setLoading(false);
          });
      },
      q ? DEBOUNCE_MS : 0,
    );
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text, ...deps]);
  return { text, setText, options, loading, error };
}

/** What a form hands any picker (Form.Item gives value, onChange and id). */
export interface PickerProps<V> {
  value?: V;
  onChange?: (value: V | undefined) => void;
  placeholder?: string;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}

interface Props<V extends string | number> extends PickerProps<V> {
  search: Search<unknown>;
  /** The box's text for a value picked or given. */
  labelOf: (value: V) => string;
  options: { value: V; label: ReactNode }[];
  /** Said when a search found nothing (null: nothing asked yet, nothing to say). */
  emptyText: string | null;
  popupWidth: number;
}

/** A select whose options come from the server as the user types. */
export function SearchSelect<V extends string | number>({
  search: s,
  value,
  onChange,
  labelOf,
  options,
  emptyText,
  placeholder,
  id,
  style,
  popupWidth,
  'data-testid': testId,
}: Props<V>) {
  const errorText = useErrorText();
  return (
    <Select<V>
      id={id}
      data-testid={testId}
      value={value}
      placeholder={placeholder}
      allowClear
      showSearch={{ filterOption: false, onSearch: s.setText, searchValue: s.text }}
      loading={s.loading}
      notFoundContent={
        s.error !== null ? <Typography.Text type="danger">{errorText(s.error)}</Typography.Text> : s.loading ? null : emptyText
      }
      onChange={(v) => {
        onChange?.(v ?? undefined);
        s.setText('');
      }}
      labelRender={({ value: v }) => labelOf(v as V)}
      options={options}
      popupMatchSelectWidth={popupWidth}
      style={{ width: '100%', ...style }}
    />
  );
}
