// Client for the secretary programs (/api/v1/programs, batches, postings, cadres, units, duty
// days, apprenticeships). The types mirror src/domains/programs/schemas.ts, activity-schemas.ts
// and src/domains/units/schemas.ts; keep them in step.
import { request, type Division, type DivisionLevel, type Page } from '../../api.ts';

export const UNIT_TYPES = [
  'party_government_agency',
  'street_office',
  'community_committee',
  'resident_unit',
  'new_economic_org',
  'new_social_org',
  'property_management',
  'property_rights',
  'utility',
  'other',
] as const;
/** The types a cadre's origin unit may have in the programs' default rules (custom programs add 'other'). */
export const ORIGIN_UNIT_TYPES = ['party_government_agency', 'street_office', 'resident_unit', 'new_economic_org', 'new_social_org', 'other'] as const;
export const PROGRAM_KINDS = ['governance_secretary', 'first_secretary', 'custom'] as const;
export const POSTING_KINDS = ['new', 'renewal', 'succession'] as const;
export const APPRENTICESHIP_STATUSES = ['active', 'completed', 'ended'] as const;

export type UnitType = (typeof UNIT_TYPES)[number];
export type ProgramKind = (typeof PROGRAM_KINDS)[number];
export type PostingKind = (typeof POSTING_KINDS)[number];
export type PostingStatus = 'active' | 'ended';
export type ApprenticeshipStatus = (typeof APPRENTICESHIP_STATUSES)[number];

// ── units and cadres ──
export interface Unit {
  id: number;
  name: string;
  type: UnitType;
  districtCode: string | null;
  districtName: string | null;
  parentUnitId: number | null;
  parentUnitName: string | null;
}

export interface UnitInput {
  name: string;
  type: UnitType;
  /** Left out: a municipal unit (only a city-wide user records one). */
  districtCode?: string | null;
  parentUnitId?: number | null;
}

export interface Cadre {
  id: number;
  name: string;
  unitId: number;
  unitName: string;
  unitType: UnitType;
  position: string | null;
  /** Problem categories (appeal category codes): parking, elevator.renewal, … */
  expertise: string[];
  /** Masked (138****5678) for every role but admin and org_department. */
  phone: string | null;
  notes: string | null;
}

export interface CadreInput {
  name: string;
  unitId: number;
  position?: string | null;
  expertise?: string[];
  phone?: string | null;
  notes?: string | null;
}

export interface CadreDetail extends Cadre {
  /** First to last, inside the viewer's scope; renewals chained by predecessorPostingId. */
  postings: Posting[];
}

export interface CadreMatches {
  communityCode: string;
  communityName: string;
  categories: string[];
  items: Array<{ cadre: Cadre; matched: string[]; activePostings: number }>;
}

// ── programs and batches ──
export interface Program {
  id: number;
  kind: ProgramKind;
  name: string;
  districtCode: string;
  districtName: string;
  minDutyDaysPerWeek: number;
  termMonths: number | null;
  allowedUnitTypes: UnitType[];
  batchCount: number;
  /** The latest on-site day logged in the program, YYYY-MM-DD. */
  lastDutyDay: string | null;
}

export interface ProgramInput {
  kind: ProgramKind;
  name: string;
  districtCode: string;
  minDutyDaysPerWeek?: number;
  termMonths?: number | null;
  allowedUnitTypes?: UnitType[];
}

export interface Batch {
  id: number;
  programId: number;
  number: number;
  startDate: string;
  endDate: string | null;
  notes: string | null;
  communityCount: number;
  postingCount: number;
}

export interface BatchInput {
  number?: number;
  startDate: string;
  /** Left out: start + the program's term; null: open-ended. */
  endDate?: string | null;
  notes?: string | null;
}

export interface BatchCommunity {
  batchId: number;
  communityCode: string;
  communityName: string;
  streetName: string;
  /** What the choice rested on, as it stood then: {rankAppearances, note, …}. */
  selectionEvidence: Record<string, unknown>;
  addedAt: string;
  /** The day it joined the batch (YYYY-MM-DD). */
  joinedOn: string;
  currentSecretary: { postingId: number; cadreId: number; cadreName: string } | null;
}

// ── postings ──
export interface Posting {
  id: number;
  programId: number;
  programName: string;
  batchId: number;
  batchNumber: number;
  communityCode: string;
  communityName: string;
  streetName: string;
  cadre: { id: number; name: string; unitId: number; unitName: string; unitType: UnitType; position: string | null };
  role: ProgramKind;
  kind: PostingKind;
  predecessorPostingId: number | null;
  successorPostingId: number | null;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
  status: PostingStatus;
  notes: string | null;
}

export interface PostingInput {
  batchId: number;
  cadreId: number;
  communityCode: string;
  role?: ProgramKind;
  startDate?: string;
  endDate?: string | null;
  notes?: string | null;
}

export interface Contact {
  name: string;
  role: string | null;
  phone: string | null;
}

export interface Handover {
  id: number;
  fromPostingId: number;
  toPostingId: number;
  date: string;
  notes: string | null;
  contacts: Contact[];
  openItems: Array<{ description: string }>;
}

export interface PostingDetail extends Posting {
  handoverIn: Handover | null;
  handoverOut: Handover | null;
  dutyDayCount: number;
  /** The latest day logged, YYYY-MM-DD. */
  lastDutyDay: string | null;
}

export interface SuccessionInput {
  cadreId: number;
  startDate: string;
  batchId?: number;
  role?: ProgramKind;
  notes?: string | null;
  handover?: {
    date?: string;
    notes?: string;
    contacts?: Array<{ name: string; role?: string; phone?: string }>;
    openItems?: Array<{ description: string }>;
  };
}

export interface RenewalInput {
  batchId?: number;
  startDate?: string;
  endDate?: string | null;
  notes?: string | null;
}

export interface CommunitySecretaries {
  communityCode: string;
  communityName: string;
  /** By program, then start date; predecessorPostingId chains them. */
  items: Array<Posting & { handoverIn: Handover | null }>;
}

// ── duty days, compliance, roster ──
export interface DutyDay {
  id: number;
  postingId: number;
  date: string;
  hours: number;
  work: string;
  withWhom: string | null;
  loggedBy: string;
  loggedAt: string;
}

export interface DutyDayInput {
  date: string;
  hours: number;
  work: string;
  withWhom?: string | null;
}

export interface ComplianceWeek {
  week: string;
  monday: string;
  coveredDays: number;
  required: number;
  logged: number;
  short: boolean;
}

export interface Compliance {
  programId: number;
  batchId: number | null;
  minDutyDaysPerWeek: number;
  /** Aligned to a Monday. */
  from: string;
  /** Aligned to the last finished Sunday. */
  to: string;
  /** The program's last logged on-site day; weeks after it are not judged. */
  recordedUntil: string | null;
  /** "中文 / English": how a week is judged. */
  rule: string;
  postings: Array<{
    postingId: number;
    cadreId: number;
    cadreName: string;
    communityCode: string;
    communityName: string;
    weeks: ComplianceWeek[];
    shortWeeks: number;
  }>;
  shortfalls: Array<{ postingId: number; cadreName: string; communityName: string; week: string; monday: string; logged: number; required: number }>;
}

interface Counts {
  postings: number;
  active: number;
  ended: number;
}

export interface Roster {
  programId: number;
  programName: string;
  batchId: number | null;
  batchNumber: number | null;
  totals: Counts & { cadres: number; communities: number; fromResidentUnitsAndNewOrganizations: number };
  byUnitType: Array<Counts & { unitType: UnitType; label: string; cadres: number }>;
  byCommunity: Array<Counts & { communityCode: string; communityName: string; streetName: string; current: string[] }>;
  /** The secretaries' apprentices (带徒弟), up to 500. */
  apprentices: Array<{ apprenticeshipId: number; apprenticeName: string; apprenticePosition: string | null; status: ApprenticeshipStatus; startDate: string; postingId: number; secretaryName: string; communityName: string }>;
}

// ── apprenticeships ──
export interface Apprenticeship {
  id: number;
  postingId: number;
  communityCode: string;
  communityName: string;
  secretary: { cadreId: number; name: string };
  apprenticeName: string;
  apprenticePosition: string | null;
  startDate: string;
  status: ApprenticeshipStatus;
  endDate: string | null;
  notes: string | null;
  trainings: Array<{ id: number; date: string; topic: string; hours: number }>;
  tasks: Array<{ id: number; description: string; since: string }>;
}

export interface ApprenticeshipInput {
  postingId: number;
  apprenticeName: string;
  apprenticePosition?: string | null;
  startDate: string;
  notes?: string | null;
}

// ── from other domains: categories and hotspots ──
export interface AppealCategory {
  code: string;
  parentCode: string | null;
  nameZh: string;
  nameEn: string;
  sort: number;
}

export interface Hotspots {
  from: string;
  month: string;
  items: Array<{ category: string; months: number; volume: number; communities: number; recurring: boolean }>;
}

/** Where the appeal data ends in the viewer's scope (GET /evaluation/latest). */
export interface LatestData {
  within: string;
  month: string | null;
  day: string | null;
  inProgress: string | null;
}

export interface KeyCommunities {
  month: string;
  from: string;
  topN: number;
  periods: number;
  minAppearances: number;
  items: Array<{ code: string; name: string; appearances: number; rankNow: number | null; volumeNow: number; volumeTotal: number; candidate: boolean }>;
}

function qs(params: Record<string, string | number | readonly string[] | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const enc = encodeURIComponent;
const v1 = '/api/v1';
type Paging = { limit?: number; cursor?: string | null };

export const programsApi = {
  // units
  units: (q: { q?: string; type?: UnitType; districtCode?: string } & Paging, signal?: AbortSignal) =>
    request<Page<Unit>>('GET', `${v1}/units${qs(q)}`, undefined, signal),
  createUnit: (input: UnitInput) => request<Unit>('POST', `${v1}/units`, input),

  // cadres
  cadres: (q: { q?: string; unitId?: number; unitType?: UnitType; expertise?: string } & Paging, signal?: AbortSignal) =>
    request<Page<Cadre>>('GET', `${v1}/cadres${qs(q)}`, undefined, signal),
  cadre: (id: number, signal?: AbortSignal) => request<CadreDetail>('GET', `${v1}/cadres/${id}`, undefined, signal),
  createCadre: (input: CadreInput) => request<Cadre>('POST', `${v1}/cadres`, input),
  cadreMatches: (code: string, q: { categories: readonly string[]; programId?: number; limit?: number }, signal?: AbortSignal) =>
    request<CadreMatches>('GET', `${v1}/communities/${enc(code)}/cadre-matches${qs(q)}`, undefined, signal),

  // programs and batches
  programs: (q: { districtCode?: string; kind?: ProgramKind } & Paging = {}, signal?: AbortSignal) =>
    request<Page<Program>>('GET', `${v1}/programs${qs(q)}`, undefined, signal),
  program: (id: number, signal?: AbortSignal) => request<Program>('GET', `${v1}/programs/${id}`, undefined, signal),
  createProgram: (input: ProgramInput) => request<Program>('POST', `${v1}/programs`, input),
  batches: (programId: number, signal?: AbortSignal) =>
    request<{ items: Batch[]; total: number }>('GET', `${v1}/programs/${programId}/batches`, undefined, signal),
  createBatch: (programId: number, input: BatchInput) => request<Batch>('POST', `${v1}/programs/${programId}/batches`, input),
  batchCommunities: (batchId: number, q: Paging = {}, signal?: AbortSignal) =>
    request<Page<BatchCommunity>>('GET', `${v1}/batches/${batchId}/communities${qs(q)}`, undefined, signal),
  addBatchCommunities: (batchId: number, communities: Array<{ communityCode: string; selectionEvidence?: Record<string, unknown> }>) =>
    request<{ added: number }>('POST', `${v1}/batches/${batchId}/communities`, { communities }),

  // postings
  postings: (q: { programId?: number; batchId?: number; communityCode?: string; cadreId?: number; status?: PostingStatus } & Paging, signal?: AbortSignal) =>
    request<Page<Posting>>('GET', `${v1}/postings${qs(q)}`, undefined, signal),
  posting: (id: number, signal?: AbortSignal) => request<PostingDetail>('GET', `${v1}/postings/${id}`, undefined, signal),
  createPosting: (input: PostingInput) => request<Posting>('POST', `${v1}/postings`, input),
  endPosting: (id: number, input: { endDate: string; reason?: string }) => request<Posting>('POST', `${v1}/postings/${id}/end`, input),
  succeed: (id: number, input: SuccessionInput) =>
    request<{ predecessor: Posting; successor: Posting; handover: Handover }>('POST', `${v1}/postings/${id}/succession`, input),
  renew: (id: number, input: RenewalInput) => request<{ previous: Posting; renewal: Posting }>('POST', `${v1}/postings/${id}/renewal`, input),
  secretaries: (code: string, signal?: AbortSignal) =>
    request<CommunitySecretaries>('GET', `${v1}/communities/${enc(code)}/secretaries`, undefined, signal),

  // duty days and reports
  dutyDays: (postingId: number, q: { from?: string; to?: string } & Paging, signal?: AbortSignal) =>
    request<Page<DutyDay>>('GET', `${v1}/postings/${postingId}/duty-days${qs(q)}`, undefined, signal),
  logDutyDay: (postingId: number, input: DutyDayInput) => request<DutyDay>('POST', `${v1}/postings/${postingId}/duty-days`, input),
  compliance: (programId: number, q: { from: string; to: string; batchId?: number }, signal?: AbortSignal) =>
    request<Compliance>('GET', `${v1}/programs/${programId}/compliance${qs(q)}`, undefined, signal),
  roster: (programId: number, q: { batchId?: number } = {}, signal?: AbortSignal) =>
    request<Roster>('GET', `${v1}/programs/${programId}/roster${qs(q)}`, undefined, signal),
  /** A plain link: the browser downloads the workbook with its session cookie. */
  rosterXlsxUrl: (programId: number, q: { batchId?: number } = {}) => `${v1}/programs/${programId}/roster.xlsx${qs(q)}`,

  // apprenticeships
  apprenticeships: (q: { postingId?: number; communityCode?: string; status?: ApprenticeshipStatus } & Paging, signal?: AbortSignal) =>
    request<Page<Apprenticeship>>('GET', `${v1}/apprenticeships${qs(q)}`, undefined, signal),
  createApprenticeship: (input: ApprenticeshipInput) => request<Apprenticeship>('POST', `${v1}/apprenticeships`, input),
  updateApprenticeship: (id: number, changes: { status?: ApprenticeshipStatus; endDate?: string }) =>
    request<Apprenticeship>('PATCH', `${v1}/apprenticeships/${id}`, changes),
  addTraining: (id: number, input: { date: string; topic: string; hours: number }) =>
    request<Apprenticeship>('POST', `${v1}/apprenticeships/${id}/trainings`, input),
  addTask: (id: number, input: { description: string; since: string }) =>
    request<Apprenticeship>('POST', `${v1}/apprenticeships/${id}/tasks`, input),

  // other domains, read only
  divisions: (q: { within: string; q?: string; level?: DivisionLevel; limit?: number }, signal?: AbortSignal) =>
    request<Page<Division>>('GET', `${v1}/divisions${qs(q)}`, undefined, signal),
  categories: (signal?: AbortSignal) => request<{ items: AppealCategory[]; total: number }>('GET', `${v1}/appeal-categories`, undefined, signal),
  keyCommunities: (q: { month: string; within: string; periods?: number }, signal?: AbortSignal) =>
    request<KeyCommunities>('GET', `${v1}/evaluation/key-communities${qs(q)}`, undefined, signal),
  hotspots: (q: { code: string; month: string; periods?: number }, signal?: AbortSignal) =>
    request<Hotspots>('GET', `${v1}/evaluation/hotspots${qs(q)}`, undefined, signal),
  latest: (signal?: AbortSignal) => request<LatestData>('GET', `${v1}/evaluation/latest`, undefined, signal),
};
