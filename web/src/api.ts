// Typed client for the mustanswer HTTP API (/api/v1). The types are the server's own
// (`Static<typeof …Schema>` in src/domains/*/schemas.ts), imported as types only: a changed
// schema fails `npm run typecheck` here, and nothing of the server reaches the bundle.
import type { Health, pageOf, ProblemSchema } from '@server/http/schemas.ts';
import type { Static } from '@sinclair/typebox';
import type {
  AuditEntry,
  AuditFilter,
  IssuedToken,
  NewUserInput,
  NewUserResult,
  Session,
  User,
  UserChanges,
} from '@server/domains/accounts/schemas.ts';
import type { Division, DivisionLevel, DivisionRef, Profile, ProfileInput } from '@server/domains/geo/schemas.ts';

export type {
  AuditEntry,
  AuditFilter,
  Division,
  DivisionLevel,
  Health,
  IssuedToken,
  NewUserInput,
  ProfileInput,
  Session,
  User,
  UserChanges,
};
export type ChainLink = DivisionRef;
export type CommunityProfile = Profile;

/**
 * The values of a server union as a list, for the pages' selects: the compiler refuses a value the
 * union lacks and names any the list misses, so a value added to a schema fails the web build.
 */
export function valuesOf<U extends string>() {
  return <const A extends readonly U[]>(values: A & ([U] extends [A[number]] ? unknown : { missing: Exclude<U, A[number]> })) => values;
}

/** A page of a list with its total: the server's pageOf, its items typed by the caller. */
export type Page<T> = Omit<Static<ReturnType<typeof pageOf>>, 'items'> & { items: T[] };

/** A cursor-paged list that has no cheap total (users, the audit log). */
export type CursorPage<T> = Omit<Page<T>, 'total'>;

export type FieldError = NonNullable<Static<typeof ProblemSchema>['errors']>[number];

/** RFC 9457 problem details, as the server sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  /** From a 429's Retry-After header: seconds until the server takes the request again. */
  retryAfter?: number;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

// A proxy or a crashed server can answer with HTML or nothing at all; keep whatever is usable.
function toProblem(status: number, statusText: string, body: unknown): Problem {
  if (!isRecord(body)) return { status, title: statusText };
  const errors = Array.isArray(body.errors)
    ? body.errors.filter(isRecord).map((e) => ({
        field: String(e.field ?? ''),
        message: String(e.message ?? ''),
      }))
    : undefined;
  return {
    type: typeof body.type === 'string' ? body.type : undefined,
    title: typeof body.title === 'string' ? body.title : statusText,
    status: typeof body.status === 'number' ? body.status : status,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    errors,
  };
}

let acceptLanguage = 'zh-CN';
let csrfToken: string | null = null;

/** The session cookie is sent by the browser; writes must also echo the session's CSRF token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Tells the server which language the user reads, for its error messages. */
export function setApiLanguage(lang: 'zh' | 'en'): void {
  acceptLanguage = lang === 'zh' ? 'zh-CN,zh;q=0.9,en;q=0.5' : 'en,zh-CN;q=0.5';
}

/**
 * The server writes its messages as "中文 / English". Show the half the user reads; a text
 * with no or several separators is left whole, since the split would be a guess.
 */
export function localizeServerText(text: string, lang: 'zh' | 'en'): string {
  const halves = text.split(' / ');
  if (halves.length !== 2) return text;
  return (lang === 'zh' ? halves[0] : halves[1]) ?? text;
}

export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': acceptLanguage,
  };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrfToken && !SAFE_METHODS.has(method)) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    // status 0 marks "no answer at all", which the pages word differently from an HTTP error.
    throw new ApiError({ status: 0, title: 'Network error', detail: String(err) });
  }
  const text = await res.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!res.ok) {
    const problem = toProblem(res.status, res.statusText, parsed);
    const retryAfter = Number(res.headers.get('retry-after'));
    if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) problem.retryAfter = retryAfter;
    throw new ApiError(problem);
  }
  return parsed as T;
}

type QueryValue = string | number | boolean | undefined | null;

/**
 * A query string, `?` included, from the parameters that have a value (none: ''). A list repeats its
 * key (kind=help&kind=complaint), as the server reads lists.
 */
export function query(params: Partial<Record<string, QueryValue | readonly QueryValue[]>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') search.append(key, String(one));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;

export const api = {
  me: (signal?: AbortSignal) => request<Session>('GET', '/api/v1/auth/me', undefined, signal),
  login: (login: string, password: string) => request<Session>('POST', '/api/v1/auth/login', { login, password }),
  logout: () => request<void>('POST', '/api/v1/auth/logout'),

  health: (signal?: AbortSignal) => request<Health>('GET', '/api/v1/health', undefined, signal),

  division: (code: string, signal?: AbortSignal) => request<Division>('GET', `/api/v1/divisions/${enc(code)}`, undefined, signal),

  children: (code: string, opts: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<Page<Division>>(
      'GET',
      `/api/v1/divisions/${enc(code)}/children${query({ limit: opts.limit, cursor: opts.cursor })}`,
      undefined,
      signal,
    ),

  /** Divisions by name or pinyin initials, or all of one level, under `within` (GET /divisions): every picker's one search. */
  divisions: (opts: { q?: string; within?: string; level?: DivisionLevel; limit?: number; cursor?: string | null }, signal?: AbortSignal) =>
    request<Page<Division>>('GET', `/api/v1/divisions${query(opts)}`, undefined, signal),

  profile: (code: string, signal?: AbortSignal) =>
    request<CommunityProfile>('GET', `/api/v1/communities/${enc(code)}/profile`, undefined, signal),

  saveProfile: (code: string, input: ProfileInput) => request<CommunityProfile>('PUT', `/api/v1/communities/${enc(code)}/profile`, input),

  users: (opts: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<CursorPage<User>>('GET', `/api/v1/users${query(opts)}`, undefined, signal),

  createUser: (input: NewUserInput) => request<NewUserResult>('POST', '/api/v1/users', input),

  updateUser: (id: number, changes: UserChanges) => request<User>('PATCH', `/api/v1/users/${id}`, changes),

  issueToken: (userId: number, name: string) => request<IssuedToken>('POST', `/api/v1/users/${userId}/tokens`, { name }),

  audit: (filter: AuditFilter, opts: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<CursorPage<AuditEntry>>('GET', `/api/v1/audit${query({ ...filter, ...opts })}`, undefined, signal),

  /** A plain link: the browser downloads the CSV with its session cookie. */
  auditExportUrl: (filter: AuditFilter) => `/api/v1/audit/export${query({ ...filter })}`,
};

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
