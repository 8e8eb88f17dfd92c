import { useEffect, useState } from 'react';
import type { StartupStatusView } from '@server/startup/schemas.ts';

export type StartupStatus = StartupStatusView;

/** How often the progress is asked for while a first start builds. */
const POLL_MS = 2000;

/**
 * The server's start-up progress (`GET /api/v1/status`, answered from memory): polled while a
 * first start builds the database and the demo, and no more once it reports ready. Null until the
 * first answer, and when the server does not answer (then asked again later).
 */
export function useStartupStatus(): StartupStatus | null {
  const [status, setStatus] = useState<StartupStatus | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      let next: StartupStatus | null = null;
      try {
        const res = await fetch('/api/v1/status', { cache: 'no-store', credentials: 'same-origin' });
        if (res.ok) next = (await res.json()) as StartupStatus;
      } catch {
        next = null;
      }
      if (stopped) return;
      setStatus(next);
      // Ready is final for this server; anything else (loading, no answer) is asked again.
      if (next?.phase !== 'ready') timer = setTimeout(() => void ask(), POLL_MS);
    };
    void ask();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, []);
  return status;
}
