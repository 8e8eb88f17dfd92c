// Client for the secretary programs (/api/v1/programs, batches, postings, cadres, units, duty
// days, apprenticeships). The types are the server's (src/domains/programs/schemas.ts,
// activity-schemas.ts and src/domains/units/schemas.ts).
import type { Hotspots, KeyCommunityList, LatestData } from '@server/domains/evaluation/schemas.ts';
import type {
  Apprenticeship,
  ApprenticeshipChanges,
  ApprenticeshipInput,
  Compliance,
  ComplianceWeek,
  DutyDay,
  DutyDayInput,
  Roster,
  TaskInput,
  TrainingInput,
} from '@server/domains/programs/activity-schemas.ts';
import type {
  Batch,
  BatchCommunitiesAdded,
  BatchCommunitiesInputType,
  BatchCommunity,
  BatchInput,
  BatchList,
  Cadre,
  CadreDetail,
  CadreInput,
  CadreMatches,
  CommunitySecretaries,
  EndPostingInput,
  Handover,
  Posting,
  PostingDetail,
  PostingInput,
  Program,
  ProgramInput,
  RenewalInput,
  RenewalResult,
  SuccessionInput,
  SuccessionResult,
} from '@server/domains/programs/schemas.ts';
import type { Unit, UnitInput } from '@server/domains/units/schemas.ts';
import { query as qs, request, valuesOf, type Page } from '../../api.ts';

export type { Apprenticeship, ApprenticeshipInput, Batch, BatchCommunity, BatchInput, Cadre, CadreDetail, CadreInput, CadreMatches };
export type { CommunitySecretaries, Compliance, ComplianceWeek, DutyDay, DutyDayInput, Handover, Hotspots, LatestData, Posting };
export type { PostingDetail, PostingInput, Program, ProgramInput, RenewalInput, Roster, SuccessionInput, Unit, UnitInput };
export type KeyCommunities = KeyCommunityList;
export type UnitType = Unit['type'];
export type ProgramKind = Program['kind'];
export type PostingKind = Posting['kind'];
export type PostingStatus = Posting['status'];
export type ApprenticeshipStatus = Apprenticeship['status'];
export type Contact = Handover['contacts'][number];

export const UNIT_TYPES = valuesOf<UnitType>()([
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
]);
/** The types a cadre's origin unit may have in the programs' default rules (custom programs add 'other'). */
export const ORIGIN_UNIT_TYPES = [
  'party_government_agency',
  'street_office',
  'resident_unit',
  'new_economic_org',
  'new_social_org',
  'other',
] as const satisfies readonly UnitType[];
export const PROGRAM_KINDS = valuesOf<ProgramKind>()(['governance_secretary', 'first_secretary', 'custom']);
export const POSTING_KINDS = valuesOf<PostingKind>()(['new', 'renewal', 'succession']);
export const APPRENTICESHIP_STATUSES = valuesOf<ApprenticeshipStatus>()(['active', 'completed', 'ended']);

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
  batches: (programId: number, signal?: AbortSignal) => request<BatchList>('GET', `${v1}/programs/${programId}/batches`, undefined, signal),
  createBatch: (programId: number, input: BatchInput) => request<Batch>('POST', `${v1}/programs/${programId}/batches`, input),
  batchCommunities: (batchId: number, q: Paging = {}, signal?: AbortSignal) =>
    request<Page<BatchCommunity>>('GET', `${v1}/batches/${batchId}/communities${qs(q)}`, undefined, signal),
  addBatchCommunities: (batchId: number, communities: BatchCommunitiesInputType['communities']) =>
    request<BatchCommunitiesAdded>('POST', `${v1}/batches/${batchId}/communities`, { communities }),

  // postings
  postings: (
    q: { programId?: number; batchId?: number; communityCode?: string; cadreId?: number; status?: PostingStatus } & Paging,
    signal?: AbortSignal,
  ) => request<Page<Posting>>('GET', `${v1}/postings${qs(q)}`, undefined, signal),
  posting: (id: number, signal?: AbortSignal) => request<PostingDetail>('GET', `${v1}/postings/${id}`, undefined, signal),
  createPosting: (input: PostingInput) => request<Posting>('POST', `${v1}/postings`, input),
  endPosting: (id: number, input: EndPostingInput) => request<Posting>('POST', `${v1}/postings/${id}/end`, input),
  succeed: (id: number, input: SuccessionInput) => request<SuccessionResult>('POST', `${v1}/postings/${id}/succession`, input),
  renew: (id: number, input: RenewalInput) => request<RenewalResult>('POST', `${v1}/postings/${id}/renewal`, input),
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
  updateApprenticeship: (id: number, changes: ApprenticeshipChanges) =>
    request<Apprenticeship>('PATCH', `${v1}/apprenticeships/${id}`, changes),
  addTraining: (id: number, input: TrainingInput) => request<Apprenticeship>('POST', `${v1}/apprenticeships/${id}/trainings`, input),
  addTask: (id: number, input: TaskInput) => request<Apprenticeship>('POST', `${v1}/apprenticeships/${id}/tasks`, input),

  // other domains, read only
  keyCommunities: (q: { month: string; within: string; periods?: number }, signal?: AbortSignal) =>
    request<KeyCommunities>('GET', `${v1}/evaluation/key-communities${qs(q)}`, undefined, signal),
  hotspots: (q: { code: string; month: string; periods?: number }, signal?: AbortSignal) =>
    request<Hotspots>('GET', `${v1}/evaluation/hotspots${qs(q)}`, undefined, signal),
  latest: (signal?: AbortSignal) => request<LatestData>('GET', `${v1}/evaluation/latest`, undefined, signal),
};
