// Client for the appeals API (/api/v1/appeals, /api/v1/appeal-categories, /api/v1/appeal-imports).
// The types are the server's (src/domains/appeals/schemas.ts, import/schemas.ts).
import type {
  Appeal,
  AppealChannel,
  AppealDetail,
  AppealEventType,
  AppealEventView,
  AppealInput,
  AppealKind,
  AppealListInput,
  AppealPage,
  AppealStatus,
  Category,
  CategoryList,
  DispatchUnit,
  EventInput,
  Reporter,
  Satisfaction,
  Step,
  UnitType,
  Urgency,
} from '@server/domains/appeals/schemas.ts';
import type {
  HeldImportInput,
  ImportField,
  ImportPreviewView,
  ImportProblemView,
  ImportSummary,
  UnmatchedItem,
} from '@server/domains/appeals/import/schemas.ts';
import type { Unit as RegistryUnit } from '@server/domains/units/schemas.ts';
import { ApiError, query, request, valuesOf, type FieldError, type Page } from '../../api.ts';

export type { Appeal, AppealChannel, AppealDetail, AppealEventType, AppealInput, AppealKind, AppealStatus, Category, ImportSummary };
export type { RegistryUnit, Satisfaction, Step, UnitType, UnmatchedItem, Urgency };
export type Unit = DispatchUnit;
export type AppealEvent = AppealEventView;
export type StepInput = EventInput;
export type ImportProblem = ImportProblemView;
export type { ImportField };
/** POST /appeal-imports/preview: what the import would make of the file, written nowhere. */
export type ImportPreview = ImportPreviewView;
/** The queue's filters, as the server takes them (the page offers no urgency filter). */
export type AppealFilter = Omit<AppealListInput, 'limit' | 'cursor' | 'urgency'>;

// The server's values, listed for the pages' selects; the compiler holds each list to its union.
export const CHANNELS = valuesOf<AppealChannel>()(['phone', 'web', 'app', 'open311', 'walk_in']);
export const KINDS = valuesOf<AppealKind>()(['complaint', 'help', 'consultation', 'suggestion', 'report', 'praise']);
export const URGENCIES = valuesOf<Urgency>()(['normal', 'urgent']);
export const STATUSES = valuesOf<AppealStatus>()(['received', 'dispatched', 'returned', 'responded', 'handled', 'called_back', 'closed']);
export const UNIT_TYPES = valuesOf<UnitType>()(['street_office', 'department', 'utility', 'company']);
export const SATISFACTIONS = valuesOf<Satisfaction>()(['satisfied', 'basically', 'unsatisfied']);
export const STEPS = valuesOf<Step>()(['dispatch', 'return', 'respond', 'handle', 'callback', 'close', 'reopen']);
export const EVENT_TYPES = valuesOf<AppealEventType>()(['received', 'imported', ...STEPS]);

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

const listQuery = (filter: AppealFilter, page: { limit?: number; cursor?: string | null }): string =>
  query({
    division: filter.division,
    category: filter.category,
    kind: filter.kind,
    status: filter.status,
    overdue: filter.overdue,
    receivedFrom: filter.receivedFrom,
    receivedTo: filter.receivedTo,
    q: filter.q,
    limit: page.limit,
    cursor: page.cursor,
  });

export const appealsApi = {
  categories: (signal?: AbortSignal) => request<CategoryList>('GET', '/api/v1/appeal-categories', undefined, signal),

  list: (filter: AppealFilter, page: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<AppealPage>('GET', `/api/v1/appeals${listQuery(filter, page)}`, undefined, signal),

  get: (id: number, signal?: AbortSignal) => request<AppealDetail>('GET', `/api/v1/appeals/${id}`, undefined, signal),

  /** The reporter unmasked; the server writes the look to the audit log. */
  reporter: (id: number) => request<Reporter>('GET', `/api/v1/appeals/${id}/reporter`),

  create: (input: AppealInput) => request<AppealDetail>('POST', '/api/v1/appeals', input),

  units: (q: string, signal?: AbortSignal) =>
    request<Page<RegistryUnit>>('GET', `/api/v1/units?${new URLSearchParams({ q, limit: '10' })}`, undefined, signal),

  /** 409: a stale version or a step the current state does not allow; the detail says which. */
  step: (id: number, input: StepInput) => request<AppealDetail>('POST', `/api/v1/appeals/${id}/events`, input),
};

// ---- Imports of hotline exports (/api/v1/appeal-imports…).

/** A column's role in an import: a field, or not read. */
export type ImportRole = ImportField | 'ignore';

export interface ImportForm {
  file: File;
  source?: string | undefined;
  district?: string | undefined;
  /** Header → role, as the preview's selects confirm them. */
  columns?: Record<string, ImportRole> | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * An import form posted as multipart to `path` (the preview or the import itself). XMLHttpRequest
 * rather than fetch, for the upload's progress.
 */
export function postImportForm<T>(
  path: string,
  form: ImportForm,
  headers: { csrfToken: string; acceptLanguage: string },
  onProgress: (fraction: number) => void,
): Promise<T> {
  const body = new FormData();
  if (form.source) body.append('source', form.source);
  if (form.district) body.append('district', form.district);
  if (form.columns) body.append('mapping', JSON.stringify({ columns: form.columns }));
  body.append('file', form.file, form.file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
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
        resolve(parsed as T);
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

/** The file a preview received, named by its `uploadId`, with the roles as confirmed: no file sent again. */
export type HeldImport = HeldImportInput;

export const importsApi = {
  /** Imports the file the preview holds, once: 404 when it has expired (an hour) or was imported. */
  importHeld: (input: HeldImport) => request<ImportSummary>('POST', '/api/v1/appeal-imports', input),

  /** The held file previewed again (another mapping): 404 as importHeld. */
  previewHeld: (input: HeldImport) => request<ImportPreview>('POST', '/api/v1/appeal-imports/preview', input),

  list: (page: { limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<Page<ImportSummary>>('GET', `/api/v1/appeal-imports${query(page)}`, undefined, signal),

  get: (id: number, signal?: AbortSignal) => request<ImportSummary>('GET', `/api/v1/appeal-imports/${id}`, undefined, signal),

  unmatched: (filter: { importId?: number; limit?: number; cursor?: string | null } = {}, signal?: AbortSignal) =>
    request<Page<UnmatchedItem>>('GET', `/api/v1/appeal-imports/unmatched${query(filter)}`, undefined, signal),

  /** 409 when someone matched it already. */
  match: (id: number, communityCode: string) =>
    request<UnmatchedItem>('POST', `/api/v1/appeal-imports/unmatched/${id}/match`, { communityCode }),
};
