// Client for the appeals API (/api/v1/appeals, /api/v1/appeal-categories). The types mirror
// src/domains/appeals/schemas.ts; keep the two in step.
import { ApiError, request, type Division, type DivisionLevel, type FieldError, type Page } from '../../api.ts';

export const CHANNELS = ['phone', 'web', 'app', 'open311', 'walk_in'] as const;
export const KINDS = ['complaint', 'help', 'consultation', 'suggestion', 'report', 'praise'] as const;
export const URGENCIES = ['normal', 'urgent'] as const;
export const STATUSES = ['received', 'dispatched', 'returned', 'responded', 'handled', 'called_back', 'closed'] as const;
export const UNIT_TYPES = ['street_office', 'department', 'utility', 'company'] as const;
export const SATISFACTIONS = ['satisfied', 'basically', 'unsatisfied'] as const;
export const STEPS = ['dispatch', 'return', 'respond', 'handle', 'callback', 'close', 'reopen'] as const;
export const EVENT_TYPES = ['received', 'imported', ...STEPS] as const;

export type AppealChannel = (typeof CHANNELS)[number];
export type AppealKind = (typeof KINDS)[number];
export type Urgency = (typeof URGENCIES)[number];
export type AppealStatus = (typeof STATUSES)[number];
export type UnitType = (typeof UNIT_TYPES)[number];
export type Satisfaction = (typeof SATISFACTIONS)[number];
export type Step = (typeof STEPS)[number];
export type AppealEventType = (typeof EVENT_TYPES)[number];

export interface Unit {
  name: string;
  type: UnitType;
}

export interface Appeal {
  id: number;
  ticketNo: string;
  channel: AppealChannel;
  receivedAt: string;
  kind: AppealKind;
  categoryCode: string;
  categoryNameZh: string;
  categoryNameEn: string;
  description: string;
  address: string | null;
  communityCode: string | null;
  communityName: string | null;
  streetCode: string | null;
  streetName: string | null;
  districtCode: string;
  districtName: string;
  /** Always masked (张**, 138****5678); GET /appeals/{id}/reporter unmasks, logged. */
  reporterName: string | null;
  reporterPhone: string | null;
  personalDataMasked: boolean;
  urgency: Urgency;
  historical: boolean;
  duplicateOf: number | null;
  status: AppealStatus;
  dispatchedUnit: Unit | null;
  dispatchedAt: string | null;
  responseDueAt: string | null;
  handlingDueAt: string | null;
  respondedAt: string | null;
  handledAt: string | null;
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
  lastCallbackAt: string | null;
  closedAt: string | null;
  lastEventAt: string;
  /** Past a due time without the response or the result, as of the server's clock. */
  overdue: boolean;
  /** Sent back as expectedVersion with the next step. */
  version: number;
  createdAt: string;
  createdBy: string;
}

export interface AppealEvent {
  seq: number;
  type: AppealEventType;
  at: string;
  /** The login of whoever took the step. */
  actor: string;
  data: Record<string, unknown>;
  recordedAt: string;
}

export interface AppealDetail extends Appeal {
  events: AppealEvent[];
  /** The steps this viewer may take now: the only buttons the page shows. */
  nextSteps: Step[];
}

export interface Category {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  sort: number;
}

export interface AppealInput {
  ticketNo?: string;
  channel: AppealChannel;
  kind: AppealKind;
  categoryCode: string;
  description: string;
  address?: string | null;
  communityCode?: string;
  streetCode?: string;
  districtCode?: string;
  reporterName?: string | null;
  reporterPhone?: string | null;
  urgency?: Urgency;
  historical?: boolean;
  duplicateOf?: number | null;
}

export interface StepInput {
  type: Step;
  expectedVersion: number;
  unit?: Unit;
  reason?: string;
  result?: string;
  note?: string;
  contacted?: boolean;
  solved?: boolean | null;
  satisfaction?: Satisfaction | null;
  to?: 'dispatched' | 'received';
}

/** A unit of the shared registry (GET /units), offered by name when dispatching. */
export interface RegistryUnit {
  id: number;
  name: string;
  /** The registry's own types (street_office, party_government_agency, utility, …). */
  type: string;
  districtName: string | null;
}

/** The dispatch type a registry unit most likely is; null leaves the user's choice alone. */
export function dispatchTypeOf(registryType: string): UnitType | null {
  switch (registryType) {
    case 'street_office':
      return 'street_office';
    case 'party_government_agency':
      return 'department';
    case 'utility':
      return 'utility';
    case 'property_management':
    case 'property_rights':
    case 'new_economic_org':
    case 'resident_unit':
      return 'company';
    default:
      return null;
  }
}

/** The queue's filters, as the server takes them. */
export interface AppealFilter {
  division?: string;
  category?: string;
  kind?: AppealKind[];
  status?: AppealStatus[];
  overdue?: boolean;
  /** Beijing days, YYYY-MM-DD; `receivedTo` includes its day. */
  receivedFrom?: string;
  receivedTo?: string;
  q?: string;
}

/** Repeated keys for lists (kind=help&kind=complaint), as the server reads them. */
function listQuery(filter: AppealFilter, page: { limit?: number; cursor?: string | null }): string {
  const qs = new URLSearchParams();
  const put = (key: string, value: string | number | boolean | undefined | null) => {
    if (value !== undefined && value !== null && value !== '') qs.append(key, String(value));
  };
  put('division', filter.division);
  put('category', filter.category);
  for (const kind of filter.kind ?? []) put('kind', kind);
  for (const status of filter.status ?? []) put('status', status);
  put('overdue', filter.overdue);
  put('receivedFrom', filter.receivedFrom);
  put('receivedTo', filter.receivedTo);
  put('q', filter.q);
  put('limit', page.limit);
  put('cursor', page.cursor);
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export const appealsApi = {
  categories: (signal?: AbortSignal) =>
    request<{ items: Category[]; total: number }>('GET', '/api/v1/appeal-categories', undefined, signal),

  list: (filter: AppealFilter, page: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<Page<Appeal> & { totalCapped: boolean }>('GET', `/api/v1/appeals${listQuery(filter, page)}`, undefined, signal),

  get: (id: number, signal?: AbortSignal) => request<AppealDetail>('GET', `/api/v1/appeals/${id}`, undefined, signal),

  /** The reporter unmasked; the server writes the look to the audit log. */
  reporter: (id: number) =>
    request<{ reporterName: string | null; reporterPhone: string | null }>('GET', `/api/v1/appeals/${id}/reporter`),

  create: (input: AppealInput) => request<AppealDetail>('POST', '/api/v1/appeals', input),

  /** Divisions under a scope (GET /divisions?within=), by name or pinyin initials, or all of one level. */
  divisions: (opts: { within: string; q?: string; level?: DivisionLevel; limit?: number }, signal?: AbortSignal) => {
    const qs = new URLSearchParams({ within: opts.within });
    if (opts.q) qs.set('q', opts.q);
    if (opts.level) qs.set('level', opts.level);
    if (opts.limit) qs.set('limit', String(opts.limit));
    return request<Page<Division>>('GET', `/api/v1/divisions?${qs}`, undefined, signal);
  },

  units: (q: string, signal?: AbortSignal) =>
    request<Page<RegistryUnit>>('GET', `/api/v1/units?${new URLSearchParams({ q, limit: '10' })}`, undefined, signal),

  /** 409: a stale version or a step the current state does not allow; the detail says which. */
  step: (id: number, input: StepInput) => request<AppealDetail>('POST', `/api/v1/appeals/${id}/events`, input),
};

// ---- Imports of hotline exports (/api/v1/appeal-imports…); types mirror src/domains/appeals/import/schemas.ts.

export interface ImportProblem {
  /** The row as seen when the file is opened (header = row 1, or 2 under a title row). */
  rowNo: number;
  column: string | null;
  value: string | null;
  ticketNo: string | null;
  /** error: the row was not imported; warning: imported with a fallback. */
  severity: 'error' | 'warning';
  /** "中文 / English". */
  reason: string;
}

export interface ImportSummary {
  id: number;
  fileName: string;
  source: string | null;
  format: string;
  encoding: string | null;
  districtCode: string | null;
  status: 'running' | 'done' | 'failed';
  failure: string | null;
  rowsTotal: number;
  inserted: number;
  updated: number;
  unchanged: number;
  unmatched: number;
  badRows: number;
  warnings: number;
  startedAt: string;
  finishedAt: string | null;
  importedBy: string;
  /** The first 20 problems; errorReportUrl has them all. */
  problems: ImportProblem[];
  errorReportUrl: string;
}

export interface UnmatchedItem {
  id: number;
  appealId: number;
  importId: number | null;
  ticketNo: string;
  receivedAt: string;
  description: string;
  address: string | null;
  districtCode: string;
  districtName: string;
  streetCode: string | null;
  streetName: string | null;
  givenStreet: string | null;
  givenCommunity: string | null;
  reason: string;
  candidates: { code: string; name: string }[];
  communityCode: string | null;
  communityName: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  createdAt: string;
}

export interface ImportUpload {
  file: File;
  /** A source name whose saved column mapping is used (and kept). */
  source?: string;
  /** The district of rows that name none. */
  district?: string;
}

function pageQuery(params: Record<string, string | number | undefined | null>): string {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') qs.set(key, String(value));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * POST /appeal-imports as multipart. XMLHttpRequest rather than fetch, for the upload's progress;
 * the server answers once the whole file has landed (one transaction), so after 100 % uploaded the
 * page can only say "importing".
 */
export function uploadImport(
  upload: ImportUpload,
  headers: { csrfToken: string; acceptLanguage: string },
  onProgress: (fraction: number) => void,
): Promise<ImportSummary> {
  const body = new FormData();
  if (upload.source) body.append('source', upload.source);
  if (upload.district) body.append('district', upload.district);
  body.append('file', upload.file, upload.file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/appeal-imports');
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', headers.acceptLanguage);
    xhr.setRequestHeader('x-csrf-token', headers.csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, title: 'Network error' }));
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as ImportSummary);
        return;
      }
      const p = isRecord(parsed) ? parsed : {};
      const errors: FieldError[] | undefined = Array.isArray(p.errors)
        ? p.errors.filter(isRecord).map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
        : undefined;
      reject(
        new ApiError({
          status: xhr.status,
          title: typeof p.title === 'string' ? p.title : xhr.statusText,
          detail: typeof p.detail === 'string' ? p.detail : undefined,
          errors,
        }),
      );
    };
    xhr.send(body);
  });
}

export const importsApi = {
  list: (page: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<Page<ImportSummary>>('GET', `/api/v1/appeal-imports${pageQuery(page)}`, undefined, signal),

  get: (id: number, signal?: AbortSignal) => request<ImportSummary>('GET', `/api/v1/appeal-imports/${id}`, undefined, signal),

  unmatched: (filter: { importId?: number; limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<Page<UnmatchedItem>>('GET', `/api/v1/appeal-imports/unmatched${pageQuery(filter)}`, undefined, signal),

  /** 409 when someone matched it already. */
  match: (id: number, communityCode: string) =>
    request<UnmatchedItem>('POST', `/api/v1/appeal-imports/unmatched/${id}/match`, { communityCode }),
};
