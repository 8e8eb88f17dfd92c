// Client for the hard-nut projects (/api/v1/projects) and the achievement report
// (/api/v1/programs/:id/report). The types are the server's (src/domains/projects/schemas.ts,
// parts-schemas.ts and report-schemas.ts).
import type {
  BeforeAfter,
  Consultation,
  ConsultationInput,
  Fund,
  FundInput,
  LinkAppealsInput,
  LinkAppealsResult,
  LinkedAppeal,
  Milestone,
  MilestoneDoneInput,
  MilestoneInput,
  Output,
  OutputChanges,
  OutputInput,
  ProjectDetail,
  Stakeholder,
  StakeholderInput,
} from '@server/domains/projects/parts-schemas.ts';
import type { AchievementReport, ReportLang } from '@server/domains/projects/report-schemas.ts';
import type {
  Board,
  ConsultationForm,
  OutputKind,
  Project,
  ProjectInput,
  ProjectOrigin,
  ProjectStatus,
  StakeholderRole,
  TransitionInput,
} from '@server/domains/projects/schemas.ts';
import { query as qs, request, valuesOf } from '../../api.ts';

export type { AchievementReport, BeforeAfter, Board, Consultation, ConsultationForm, ConsultationInput, Fund, FundInput, LinkedAppeal };
export type { Milestone, MilestoneInput, Output, OutputChanges, OutputInput, OutputKind, Project, ProjectDetail, ProjectInput };
export type { ProjectOrigin, ProjectStatus, ReportLang, Stakeholder, StakeholderInput, StakeholderRole };

export const PROJECT_STATUSES = valuesOf<ProjectStatus>()([
  'proposed',
  'consulting',
  'approved',
  'in_progress',
  'completed',
  'stalled',
  'cancelled',
]);
export const PROJECT_ORIGINS = valuesOf<ProjectOrigin>()(['hotspot', 'appeal_cluster', 'historical_problem', 'assignment']);
export const STAKEHOLDER_ROLES = valuesOf<StakeholderRole>()(['lead', 'coordinating', 'funding', 'executing', 'consulted']);
export const CONSULTATION_FORMS = valuesOf<ConsultationForm>()(['meeting', 'survey', 'door_to_door']);
/** The typed results of src/domains/projects/lifecycle.ts `outputKinds`; custom names its own unit. */
export const OUTPUT_KINDS = valuesOf<OutputKind>()([
  'parking_spaces',
  'charging_piles',
  'elevators_renewed',
  'elevators_installed',
  'households_gas_connected',
  'households_heating_connected',
  'water_pipes_replaced',
  'power_lines_renovated',
  'buildings_renovated',
  'clutter_cleared',
  'custom',
]);

const v1 = '/api/v1';

export const projectsApi = {
  board: (q: { communityCode?: string; q?: string; perStatus?: number }, signal?: AbortSignal) =>
    request<Board>('GET', `${v1}/projects/board${qs(q)}`, undefined, signal),
  project: (id: number, signal?: AbortSignal) => request<ProjectDetail>('GET', `${v1}/projects/${id}`, undefined, signal),
  beforeAfter: (id: number, signal?: AbortSignal) => request<BeforeAfter>('GET', `${v1}/projects/${id}/before-after`, undefined, signal),
  create: (input: ProjectInput) => request<Project>('POST', `${v1}/projects`, input),
  transition: (id: number, input: TransitionInput) => request<Project>('POST', `${v1}/projects/${id}/transitions`, input),
  addStakeholder: (id: number, input: StakeholderInput) => request<Stakeholder>('POST', `${v1}/projects/${id}/stakeholders`, input),
  removeStakeholder: (id: number, stakeholderId: number) => request<void>('DELETE', `${v1}/projects/${id}/stakeholders/${stakeholderId}`),
  addConsultation: (id: number, input: ConsultationInput) => request<Consultation>('POST', `${v1}/projects/${id}/consultations`, input),
  addMilestone: (id: number, input: MilestoneInput) => request<Milestone>('POST', `${v1}/projects/${id}/milestones`, input),
  milestoneDone: (id: number, milestoneId: number, input: MilestoneDoneInput) =>
    request<Milestone>('POST', `${v1}/projects/${id}/milestones/${milestoneId}/done`, input),
  addFund: (id: number, input: FundInput) => request<Fund>('POST', `${v1}/projects/${id}/funds`, input),
  addOutput: (id: number, input: OutputInput) => request<Output>('POST', `${v1}/projects/${id}/outputs`, input),
  updateOutput: (id: number, outputId: number, input: OutputChanges) =>
    request<Output>('PATCH', `${v1}/projects/${id}/outputs/${outputId}`, input),
  linkAppeals: (id: number, input: LinkAppealsInput) => request<LinkAppealsResult>('POST', `${v1}/projects/${id}/appeals`, input),
  unlinkAppeal: (id: number, appealId: number) => request<void>('DELETE', `${v1}/projects/${id}/appeals/${appealId}`),
  report: (programId: number, q: { batch?: number; lang?: ReportLang }, signal?: AbortSignal) =>
    request<AchievementReport>('GET', `${v1}/programs/${programId}/report${qs(q)}`, undefined, signal),
  /** A plain link: the browser downloads the workbook with its session cookie. Chinese is the server's default, so `lang` is sent only for English. */
  reportXlsxUrl: (programId: number, q: { batch?: number; lang?: ReportLang }) =>
    `${v1}/programs/${programId}/report.xlsx${qs({ batch: q.batch, lang: q.lang === 'en' ? 'en' : undefined })}`,
};
