import { useCallback } from 'react';
import { ApiError, localizeServerText } from './api.ts';
import { useI18n } from './i18n.tsx';

/** Turns a failed request into one line for the user, in the user's language. */
export function useErrorText(): (err: unknown) => string {
  const { t, lang } = useI18n();
  return useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 0) return t('error.network');
      if (err instanceof Error && err.message) return localizeServerText(err.message, lang);
      return t('error.generic');
    },
    [t, lang],
  );
}
