import type { FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, localizeServerText } from './api.ts';
import { useI18n, type Lang } from './i18n.tsx';
import { useErrorText } from './useErrorText.ts';

/**
 * Puts a 400/409's field errors beside the form's fields. Servers name fields as "login",
 * "/login" or "body.login"; all mean the form field `login`. Returns the errors that name no
 * field of this form, already in the reader's language, for a box above the buttons.
 */
export function placeFieldErrors<T>(
  form: FormInstance<T>,
  err: unknown,
  fields: readonly string[],
  lang: Lang,
  aliases: Readonly<Record<string, string>> = {},
): string[] {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return [];
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const e of err.problem.errors) {
    const named = e.field.split(/[./]/).filter(Boolean).pop() ?? '';
    const last = aliases[named] ?? named;
    // A bare reason such as "taken" says less than the problem's own bilingual detail.
    const bilingual = e.message.includes(' / ') || !err.problem.detail;
    const text = localizeServerText(bilingual ? e.message : (err.problem.detail ?? e.message), lang);
    if (fields.includes(last)) byField.set(last, [...(byField.get(last) ?? []), text]);
    else unplaced.push(e.field ? `${e.field}: ${text}` : text);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return unplaced;
}

/**
 * A refused write: the server says why (an overlap, a date outside the batch, a future day).
 * The reason goes beside the field it names; what names no field of this form goes in the box
 * above the buttons, which this returns (null when every reason found its field).
 */
export function refusal<T>(
  form: FormInstance<T>,
  err: unknown,
  fields: readonly string[],
  lang: Lang,
  errorText: (err: unknown) => string,
  aliases: Readonly<Record<string, string>> = {},
): string | null {
  const unplaced = placeFieldErrors(form, err, fields, lang, aliases);
  const placedSome = unplaced.length === 0 && form.getFieldsError().some((f) => f.errors.length > 0);
  return placedSome ? null : [errorText(err), ...unplaced].join(lang === 'zh' ? '；' : '; ');
}

/**
 * `refusal` kept as state: the failed request itself is held, so a language switch rewords the
 * reason beside the field and in the box. Set it to the error of a refused write, or null.
 */
export function useRefusal<T>(
  form: FormInstance<T>,
  fields: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): [string | null, (err: unknown) => void] {
  const { lang } = useI18n();
  const errorText = useErrorText();
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    setText(error === null ? null : refusal(form, error, fields, lang, errorText, aliases));
  }, [error, lang]);
  return [text, setError];
}
