// Client for the hard-nut projects (/api/v1/projects) and the achievement report
// (/api/v1/programs/:id/report). The types mirror src/domains/projects/schemas.ts,
// parts-schemas.ts and report-schemas.ts; keep them in step.
import { request } from '../../api.ts';

export const PROJECT_STATUSES = ['proposed', 'consulting', 'approved', 'in_progress', 'completed', 'stalled', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export const PROJECT_ORIGINS = ['hotspot', 'appeal_cluster', 'historical_problem', 'assignment'] as const;
export type ProjectOrigin = (typeof PROJECT_ORIGINS)[number];
export const STAKEHOLDER_ROLES = ['lead', 'coordinating', 'funding', 'executing', 'consulted'] as const;
export type StakeholderRole = (typeof STAKEHOLDER_ROLES)[number];
export const CONSULTATION_FORMS = ['meeting', 'survey', 'door_to_door'] as const;
export type ConsultationForm = (typeof CONSULTATION_FORMS)[number];
/** The typed results of src/domains/projects/lifecycle.ts `outputKinds`; custom names its own unit. */
export const OUTPUT_KINDS = [
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
] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export interface Project {
  id: number;
  communityCode: string;
  communityName: string;
  streetName: string;
  title: string;
  description: string | null;
  categoryCode: string;
  categoryName: string;
  origin: ProjectOrigin;
  historical: boolean;
  status: ProjectStatus;
  /** Chinese, from the server. */
  statusLabel: string;
  /** Done milestone weight over all, 0–1; null without milestones. */
  progress: number | null;
  leadPosting: { postingId: number; cadreId: number; cadreName: string; programId: number; batchId: number; startDate: string; endDate: string | null } | null;
  plannedStartDate: string | null;
  plannedEndDate: string | null;
  actualStartDate: string | null;
  actualEndDate: string | null;
  expectedCompletionDate: string | null;
  /** The expected completion, else the planned end. */
  dueDate: string | null;
  /** Past its due date and neither completed nor cancelled. */
  overdue: boolean;
  householdsBenefited: number | null;
}

export interface Board {
  columns: Array<{ status: ProjectStatus; label: string; count: number; items: Project[] }>;
  total: number;
}

export interface Stakeholder { id: number; unitId: number; unitName: string; unitType: string; role: StakeholderRole; roleLabel: string; note: string | null }
export interface Consultation {
  id: number;
  heldOn: string;
  form: ConsultationForm;
  formLabel: string;
  participants: number;
  support: number;
  oppose: number;
  abstain: number;
  summary: string | null;
}
export interface Milestone { id: number; title: string; weight: number; plannedOn: string | null; doneOn: string | null }
export interface Fund { id: number; amount: number; sourceUnitId: number; sourceUnitName: string; receivedOn: string; note: string | null }
export interface Output {
  id: number;
  kind: string;
  label: string;
  unitLabel: string;
  categoryCode: string;
  target: number;
  achieved: number;
  done: boolean;
  completedOn: string | null;
  note: string | null;
}
export interface LinkedAppeal {
  appealId: number;
  ticketNo: string;
  receivedAt: string;
  kind: string;
  categoryCode: string;
  categoryName: string;
  status: string;
  solved: boolean | null;
  summary: string;
  linkedOn: string;
}

export interface ProjectDetail extends Project {
  stakeholders: Stakeholder[];
  consultations: Consultation[];
  milestones: Milestone[];
  funds: Fund[];
  fundsTotal: number;
  outputs: Output[];
  linkedAppeals: { items: LinkedAppeal[]; total: number; nextCursor: string | null };
  history: Array<{ from: string | null; to: ProjectStatus; date: string; note: string | null; actor: string }>;
  allowedTransitions: ProjectStatus[];
  abilities: { manage: boolean };
}

interface Resolution { resolutionValid: number; solved: number; resolutionRate: number | null }
interface Window extends Resolution { from: string; to: string }

export type ReportLang = 'zh' | 'en';

export interface AchievementReport {
  /** The language the server wrote the title, labels, category names and rule in. */
  lang: ReportLang;
  title: string;
  programId: number;
  programName: string;
  districtName: string;
  batchId: number | null;
  batchNumber: number | null;
  from: string;
  to: string;
  totals: {
    projects: number;
    fundsSecured: number;
    fundEntries: number;
    problemsSolved: number;
    historicalProblemsSolved: number;
    appealsAssisted: number;
    appealsLinked: number;
    appealsActedOn: number;
    householdsBenefited: number;
  };
  byCategory: Array<{ category: string; nameZh: string; nameEn: string; completedProjects: number; completedOutputs: number; problemsSolved: number; historicalProblemsSolved: number }>;
  outputs: Array<{ kind: string; label: string; unitLabel: string; outputs: number; done: number; target: number; achieved: number }>;
  /** The secretaries' apprentices begun by the end of the period. */
  apprentices: Array<{ apprenticeName: string; apprenticePosition: string | null; secretaryName: string; communityName: string; startDate: string; status: string }>;
  resolution: {
    months: number;
    rule: string;
    communities: Array<{
      communityCode: string;
      communityName: string;
      streetName: string;
      firstPostingStart: string;
      before: Window;
      after: Window & { monthsElapsed: number };
      changePoints: number | null;
      changePercent: number | null;
    }>;
    overall: { before: Resolution; after: Resolution; changePoints: number | null; changePercent: number | null };
    complete: boolean;
  };
  projects: Array<{
    id: number;
    communityName: string;
    title: string;
    /** In the report's language. */
    categoryName: string;
    historical: boolean;
    status: ProjectStatus;
    statusLabel: string;
    leadCadreName: string | null;
    progress: number | null;
    funds: number;
    actualStartDate: string | null;
    actualEndDate: string | null;
    householdsBenefited: number | null;
  }>;
  projectsTruncated: boolean;
}

// ── what the forms send (src/domains/projects/schemas.ts, parts-schemas.ts) ──
export interface ProjectInput {
  communityCode: string;
  title: string;
  description?: string | null;
  categoryCode: string;
  origin: ProjectOrigin;
  historical?: boolean;
  leadPostingId?: number | null;
  plannedStartDate?: string | null;
  plannedEndDate?: string | null;
  expectedCompletionDate?: string | null;
  householdsBenefited?: number | null;
}
export interface StakeholderInput { unitId: number; role: StakeholderRole; note?: string | null }
export interface ConsultationInput {
  heldOn: string;
  form: ConsultationForm;
  participants: number;
  support?: number;
  oppose?: number;
  abstain?: number;
  summary?: string | null;
}
export interface MilestoneInput { title: string; weight?: number; plannedOn?: string | null }
export interface FundInput { amount: number; sourceUnitId: number; receivedOn: string; note?: string | null }
export interface OutputInput { kind: OutputKind; unitLabel?: string | null; target: number; achieved?: number; asOf?: string; note?: string | null }
export interface OutputChanges { target?: number; achieved?: number; asOf?: string; note?: string | null }

function qs(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const v1 = '/api/v1';

export const projectsApi = {
  board: (q: { communityCode?: string; q?: string; perStatus?: number }, signal?: AbortSignal) => request<Board>('GET', `${v1}/projects/board${qs(q)}`, undefined, signal),
  project: (id: number, signal?: AbortSignal) => request<ProjectDetail>('GET', `${v1}/projects/${id}`, undefined, signal),
  beforeAfter: (id: number, signal?: AbortSignal) => request<BeforeAfter>('GET', `${v1}/projects/${id}/before-after`, undefined, signal),
  create: (input: ProjectInput) => request<Project>('POST', `${v1}/projects`, input),
  transition: (id: number, input: { to: ProjectStatus; date?: string; note?: string }) => request<Project>('POST', `${v1}/projects/${id}/transitions`, input),
  addStakeholder: (id: number, input: StakeholderInput) => request<Stakeholder>('POST', `${v1}/projects/${id}/stakeholders`, input),
  removeStakeholder: (id: number, stakeholderId: number) => request<void>('DELETE', `${v1}/projects/${id}/stakeholders/${stakeholderId}`),
  addConsultation: (id: number, input: ConsultationInput) => request<Consultation>('POST', `${v1}/projects/${id}/consultations`, input),
  addMilestone: (id: number, input: MilestoneInput) => request<Milestone>('POST', `${v1}/projects/${id}/milestones`, input),
  milestoneDone: (id: number, milestoneId: number, input: { date?: string }) => request<Milestone>('POST', `${v1}/projects/${id}/milestones/${milestoneId}/done`, input),
  addFund: (id: number, input: FundInput) => request<Fund>('POST', `${v1}/projects/${id}/funds`, input),
  addOutput: (id: number, input: OutputInput) => request<Output>('POST', `${v1}/projects/${id}/outputs`, input),
  updateOutput: (id: number, outputId: number, input: OutputChanges) => request<Output>('PATCH', `${v1}/projects/${id}/outputs/${outputId}`, input),
  linkAppeals: (id: number, input: { appealIds: number[]; linkedOn?: string }) =>
    request<{ added: number; alreadyLinked: number }>('POST', `${v1}/projects/${id}/appeals`, input),
  unlinkAppeal: (id: number, appealId: number) => request<void>('DELETE', `${v1}/projects/${id}/appeals/${appealId}`),
  report: (programId: number, q: { batch?: number; lang?: ReportLang }, signal?: AbortSignal) =>
    request<AchievementReport>('GET', `${v1}/programs/${programId}/report${qs(q)}`, undefined, signal),
  /** A plain link: the browser downloads the workbook with its session cookie. Chinese is the server's default, so `lang` is sent only for English. */
  reportXlsxUrl: (programId: number, q: { batch?: number; lang?: ReportLang }) =>
    `${v1}/programs/${programId}/report.xlsx${qs({ batch: q.batch, lang: q.lang === 'en' ? 'en' : undefined })}`,
};

/** GET /projects/{id}/before-after: the project's category of appeals before the start and after completion. */
export interface BeforeAfter {
  projectId: number;
  communityCode: string;
  categoryCode: string;
  months: number;
  before: { from: string; to: string; monthsElapsed: number; figures: { volume: number; resolutionRate: number | null } };
  after: { from: string; to: string; monthsElapsed: number; figures: { volume: number; resolutionRate: number | null } };
  complete: boolean;
  change: { volume: number; volumePercent: number | null; resolutionPoints: number | null };
}
