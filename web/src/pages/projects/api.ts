// Client for the hard-nut projects (/api/v1/projects) and the achievement report
// (/api/v1/programs/:id/report). The types mirror src/domains/projects/schemas.ts,
// parts-schemas.ts and report-schemas.ts; keep them in step.
import { request } from '../../api.ts';

export const PROJECT_STATUSES = ['proposed', 'consulting', 'approved', 'in_progress', 'completed', 'stalled', 'cancelled'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export type StakeholderRole = 'lead' | 'coordinating' | 'funding' | 'executing' | 'consulted';
export type ConsultationForm = 'meeting' | 'survey' | 'door_to_door';

export interface Project {
  id: number;
  communityCode: string;
  communityName: string;
  streetName: string;
  title: string;
  description: string | null;
  categoryCode: string;
  categoryName: string;
  origin: string;
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

export interface AchievementReport {
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
  transition: (id: number, input: { to: ProjectStatus; date?: string; note?: string }) => request<Project>('POST', `${v1}/projects/${id}/transitions`, input),
  report: (programId: number, q: { batch?: number }, signal?: AbortSignal) =>
    request<AchievementReport>('GET', `${v1}/programs/${programId}/report${qs(q)}`, undefined, signal),
  /** A plain link: the browser downloads the workbook with its session cookie. */
  reportXlsxUrl: (programId: number, q: { batch?: number }) => `${v1}/programs/${programId}/report.xlsx${qs(q)}`,
};
