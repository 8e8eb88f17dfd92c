import type { FormInstance } from 'antd';
import { ApiError, localizeServerText } from './api.ts';
import type { Lang } from './i18n.tsx';

/**
 * Puts a 400/409's field errors beside the form's fields. Servers name fields as "login",
 * "/login" or "body.login"; all mean the form field `login`. Returns the errors that name no
 * field of this form, already in the reader's language, for a box above the buttons.
 */
export function placeFieldErrors<T>(form: FormInstance<T>, err: unknown, fields: readonly string[], lang: Lang): string[] {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return [];
  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const e of err.problem.errors) {
    const last = e.field.split(/[./]/).filter(Boolean).pop() ?? '';
    // A bare reason such as "taken" says less than the problem's own bilingual detail.
    const bilingual = e.message.includes(' / ') || !err.problem.detail;
    const text = localizeServerText(bilingual ? e.message : (err.problem.detail ?? e.message), lang);
    if (fields.includes(last)) byField.set(last, [...(byField.get(last) ?? []), text]);
    else unplaced.push(e.field ? `${e.field}: ${text}` : text);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return unplaced;
}
