import { useEffect, useState } from 'react';
import { isAbort } from '../../api.ts';
import { evaluationApi, type LatestData } from './api.ts';

export type Remote<T> = { kind: 'loading' } | { kind: 'ready'; data: T } | { kind: 'error'; error: unknown };

/**
 * Loads once per change of `key` (a string naming everything the request depends on); a newer
 * key cancels the older request, so an answer never lands under the wrong filters. A null key
 * waits.
 */
export function useRemote<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Remote<T> & { key: string | null } {
  const [state, setState] = useState<Remote<T> & { key: string | null }>({ kind: 'loading', key: null });
  useEffect(() => {
    if (key === null) return;
    const ctrl = new AbortController();
    setState({ kind: 'loading', key });
    load(ctrl.signal)
      .then((data) => setState({ kind: 'ready', data, key }))
      .catch((error: unknown) => {
        if (!isAbort(error)) setState({ kind: 'error', error, key });
      });
    return () => ctrl.abort();
    // `load` is a new closure every render; the key names everything it depends on.
  }, [key]);
  // For one render after the key changes the state still holds the older answer: show loading.
  return state.key === key ? state : { kind: 'loading', key };
}

const latestCache = new Map<string, Promise<LatestData>>();

/**
 * The latest month and day with appeals in a division, from the server's rollups: the pages open
 * there rather than on today, so history loaded from files shows figures. Kept for the visit,
 * per division.
 */
export function latestData(code: string): Promise<LatestData> {
  let promise = latestCache.get(code);
  if (!promise) {
    promise = evaluationApi.latest({ within: code });
    promise.catch(() => latestCache.delete(code));
    latestCache.set(code, promise);
  }
  return promise;
}

/** `latestData` as a hook; null code waits. */
export function useLatest(code: string | null): Remote<LatestData> {
  return useRemote(code === null ? null : `latest:${code}`, () => latestData(code!));
}

/** The latest month with appeals in a division (null when there never were any); null code waits. */
export function useLatestMonth(code: string | null): Remote<string | null> {
  const latest = useLatest(code);
  return latest.kind === 'ready' ? { kind: 'ready', data: latest.data.month } : latest;
}
