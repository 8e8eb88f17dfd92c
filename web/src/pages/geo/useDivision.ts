import { useEffect, useState } from 'react';
import { api, ApiError, isAbort, type Division } from '../../api.ts';

export type DivisionState =
  | { kind: 'none' }
  | { kind: 'loading'; code: string }
  | { kind: 'ready'; code: string; division: Division }
  | { kind: 'error'; code: string; error: ApiError };

/**
 * Loads one division by code; a newer code cancels the older request. Every state names the
 * code it answers, because for one render after the code changes the state still holds the
 * previous answer.
 */
export function useDivision(code: string | undefined): DivisionState {
  const [state, setState] = useState<DivisionState>({ kind: 'none' });

  useEffect(() => {
    if (!code) {
      setState({ kind: 'none' });
      return;
    }
    const ctrl = new AbortController();
    setState({ kind: 'loading', code });
    api
      .division(code, ctrl.signal)
      .then((division) => setState({ kind: 'ready', code, division }))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        const error = err instanceof ApiError ? err : new ApiError({ status: 0, detail: String(err) });
        setState({ kind: 'error', code, error });
      });
    return () => ctrl.abort();
  }, [code]);

  return state;
}
