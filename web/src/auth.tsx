import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, ApiError, isAbort, setCsrfToken, type Session } from './api.ts';
import type { TKey } from './i18n.tsx';

type AuthState = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'user'; session: Session };

interface AuthValue {
  state: AuthState;
  session: Session | null;
  /** Whether the user's role may take an action; the server still checks the division scope. */
  can: (action: string) => boolean;
  /** Goes to the login page, which comes back here afterwards. */
  openLogin: () => void;
  /** Logs in; rejects with the ApiError (401 wrong password, 429 too many attempts, 0 no network). */
  signIn: (login: string, password: string) => Promise<Session>;
  logout: () => Promise<void>;
  /** Asks the server again who is logged in, e.g. after a 401 on an expired session. */
  refresh: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

const ROLE_KEYS: Record<string, TKey> = {
  admin: 'role.admin',
  org_department: 'role.org_department',
  hotline_office: 'role.hotline_office',
  street_office: 'role.street_office',
  community_committee: 'role.community_committee',
  secretary: 'role.secretary',
  department_handler: 'role.department_handler',
  viewer: 'role.viewer',
};

/** The server's roles, in the order its README lists them. */
export const ROLES: readonly string[] = Object.keys(ROLE_KEYS);

/** The dictionary key for a role's name; a role added on the server later shows its raw id. */
export function roleKey(role: string): TKey | undefined {
  return ROLE_KEYS[role];
}

/**
 * Where to go after logging in: only a path of this app, never another site ("//evil.example",
 * "https://…") nor the login page itself.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login/')) return '/';
  return next;
}

/** The login page's address, coming back to `next` afterwards. */
export function loginPath(next: string): string {
  const target = safeNext(next);
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}

function adopt(session: Session | null): AuthState {
  setCsrfToken(session?.csrfToken ?? null);
  return session ? { kind: 'user', session } : { kind: 'anonymous' };
}

/** Who is logged in (session cookie). Must sit inside the router. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);
  const navigate = useNavigate();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .me(ctrl.signal)
      .then((session) => setState(adopt(session)))
      .catch((err: unknown) => {
        // 401 is the ordinary answer for a visitor; any other failure also leaves them anonymous.
        if (!isAbort(err)) setState(adopt(null));
      });
    return () => ctrl.abort();
  }, [generation]);

  const signIn = useCallback(async (login: string, password: string) => {
    const session = await api.login(login, password);
    setState(adopt(session));
    return session;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch (err) {
      // An already expired session is as good as logged out.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    setState(adopt(null));
  }, []);

  const value = useMemo<AuthValue>(() => {
    const session = state.kind === 'user' ? state.session : null;
    return {
      state,
      session,
      can: (action) => session?.abilities.includes(action) ?? false,
      openLogin: () => navigate(loginPath(here)),
      signIn,
      logout,
      refresh: () => setGeneration((g) => g + 1),
    };
  }, [state, signIn, logout, navigate, here]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
