import type { Generated, ColumnType } from 'kysely';

/** Table types of every domain, as Kysely sees them. Keep in step with the migrations. */
export interface Tables {
  evaluation_config: EvaluationConfigTable;
  division: DivisionTable;
  community_profile: CommunityProfileTable;
  audit_log: AuditLogTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  // units and programs (secretary programs: cadres, batches, postings, duty days, apprentices)
  unit: UnitTable;
  cadre: CadreTable;
  program: ProgramTable;
  batch: BatchTable;
  batch_community: BatchCommunityTable;
  posting: PostingTable;
  handover: HandoverTable;
  duty_day: DutyDayTable;
  apprenticeship: ApprenticeshipTable;
  apprenticeship_training: ApprenticeshipTrainingTable;
  apprenticeship_task: ApprenticeshipTaskTable;
  // hard-nut projects: stakeholders, consultations, milestones, funds, outputs, linked appeals
  project: ProjectTable;
  project_status_change: ProjectStatusChangeTable;
  project_config: ProjectConfigTable;
  project_stakeholder: ProjectStakeholderTable;
  project_consultation: ProjectConsultationTable;
  project_milestone: ProjectMilestoneTable;
  project_fund: ProjectFundTable;
  project_output: ProjectOutputTable;
  project_appeal: ProjectAppealTable;
  appeal_category: AppealCategoryTable;
  appeal: AppealTable;
  appeal_event: AppealEventTable;
  deadline_rule: DeadlineRuleTable;
  import_source: ImportSourceTable;
  appeal_import: AppealImportTable;
  appeal_import_problem: AppealImportProblemTable;
  appeal_unmatched: AppealUnmatchedTable;
}

export type DivisionLevel = 'province' | 'city' | 'district' | 'street' | 'community';

export interface DivisionTable {
  code: string;
  level: DivisionLevel;
  name: string;
  short_name: string;
  initials: string;
  parent_code: string | null;
  full_code: ColumnType<string, never, never>;
}

export interface CommunityProfileTable {
  community_code: string;
  residents: number | null;
  households: number | null;
  buildings: number | null;
  notes: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string | undefined, never>;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: ColumnType<unknown, string, never>;
}

export interface AppUserTable {
  id: Generated<number>;
  login: string;
  display_name: string;
  password_hash: string;
  role: string;
  scope_code: string;
  cadre_id: number | null;
  unit_name: string | null;
  disabled_at: Date | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface UserSessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: Date;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AppealCategoryTable {
  code: string;
  parent_code: string | null;
  name_zh: string;
  name_en: string;
  sort: ColumnType<number, number | undefined, number>;
}

export type AppealChannel = 'phone' | 'web' | 'app' | 'open311' | 'walk_in';
export type AppealKind = 'complaint' | 'help' | 'consultation' | 'suggestion' | 'report' | 'praise';
export type Urgency = 'normal' | 'urgent';
export type AppealStatus = 'received' | 'dispatched' | 'returned' | 'responded' | 'handled' | 'called_back' | 'closed';
export type UnitType = 'street_office' | 'department' | 'utility' | 'company';
export type Satisfaction = 'satisfied' | 'basically' | 'unsatisfied';
export type AppealEventType = 'received' | 'imported' | 'dispatch' | 'return' | 'respond' | 'handle' | 'callback' | 'close' | 'reopen';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface AppealTable {
  id: Generated<number>;
  ticket_no: string;
  channel: AppealChannel;
  received_at: Timestamp;
  kind: AppealKind;
  category_code: string;
  description: string;
  address: string | null;
  community_code: string | null;
  street_code: string | null;
  district_code: string;
  reporter_name: string | null;
  reporter_phone: string | null;
  urgency: ColumnType<Urgency, Urgency | undefined, Urgency>;
  historical: ColumnType<boolean, boolean | undefined, boolean>;
  duplicate_of: number | null;
  status: ColumnType<AppealStatus, AppealStatus | undefined, AppealStatus>;
  dispatched_unit: string | null;
  dispatched_unit_type: UnitType | null;
  dispatched_at: NullableTimestamp;
  response_due_at: NullableTimestamp;
  handling_due_at: NullableTimestamp;
  responded_at: NullableTimestamp;
  handled_at: NullableTimestamp;
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
  last_callback_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  last_event_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
  /** Overdue as the rollups count this appeal (evaluation/rollup-delta.ts). */
  overdue_counted: ColumnType<boolean, boolean | undefined, boolean>;
  search_words: ColumnType<string[], string[] | undefined, string[]>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
}

export interface AppealEventTable {
  appeal_id: number;
  seq: number;
  type: AppealEventType;
  at: Timestamp;
  actor: string;
  data: ColumnType<unknown, string, never>;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface DeadlineRuleTable {
  id: Generated<number>;
  category_code: string | null;
  urgency: Urgency | null;
  respond_hours: number;
  handle_hours: number;
  note: string | null;
}

// ── appeal imports ──────────────────────────────────────────────────────────────────────────
export interface ImportSourceTable {
  name: string;
  mapping: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

export interface AppealImportTable {
  id: Generated<number>;
  source_name: string | null;
  file_name: string;
  file_bytes: number;
  file_sha256: string;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  district_code: string | null;
  status: ColumnType<'running' | 'done' | 'failed', 'running' | 'done' | 'failed' | undefined, 'running' | 'done' | 'failed'>;
  failure: string | null;
  rows_total: ColumnType<number, number | undefined, number>;
  inserted: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  unchanged: ColumnType<number, number | undefined, number>;
  unmatched: ColumnType<number, number | undefined, number>;
  bad_rows: ColumnType<number, number | undefined, number>;
  warnings: ColumnType<number, number | undefined, number>;
  started_at: ColumnType<Date, Date | string | undefined, never>;
  finished_at: NullableTimestamp;
  imported_by: string;
  scope_code: string;
}

export interface AppealImportProblemTable {
  import_id: number;
  row_no: number;
  column_name: string | null;
  value: string | null;
  ticket_no: string | null;
  severity: 'error' | 'warning';
  reason_zh: string;
  reason_en: string;
}

export interface AppealUnmatchedTable {
  id: Generated<number>;
  appeal_id: number;
  /** Null for an appeal filed by hand or through Open311 that named no community. */
  import_id: number | null;
  given_street: string | null;
  given_community: string | null;
  reason: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  resolved_at: NullableTimestamp;
  resolved_by: string | null;
  community_code: string | null;
}

// ── units and programs ──────────────────────────────────────────────────────────────────────
// Named OrgUnitType, not UnitType: appeals' UnitType is the coarser kind of a dispatch target.
export type OrgUnitType =
  | 'party_government_agency'
  | 'street_office'
  | 'community_committee'
  | 'resident_unit'
  | 'new_economic_org'
  | 'new_social_org'
  | 'property_management'
  | 'property_rights'
  | 'utility'
  | 'other';
export type ProgramKind = 'governance_secretary' | 'first_secretary' | 'custom';
export type PostingRole = ProgramKind;
export type PostingKind = 'new' | 'renewal' | 'succession';
export type ApprenticeshipStatus = 'active' | 'completed' | 'ended';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** jsonb goes in as JSON text (pg would turn a JS array into a Postgres array) and comes back parsed. */
type Jsonb = ColumnType<unknown, string | undefined, string>;

export interface UnitTable {
  id: Generated<number>;
  name: string;
  type: OrgUnitType;
  district_code: string | null;
  parent_unit_id: number | null;
  created_at: CreatedAt;
  created_by: string;
}

export interface CadreTable {
  id: Generated<number>;
  name: string;
  unit_id: number;
  position: string | null;
  expertise: ColumnType<string[], string[] | undefined, string[]>;
  phone: string | null;
  notes: string | null;
  created_at: CreatedAt;
  created_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProgramTable {
  id: Generated<number>;
  kind: ProgramKind;
  name: string;
  district_code: string;
  min_duty_days_per_week: number;
  term_months: number | null;
  allowed_unit_types: OrgUnitType[];
  created_at: CreatedAt;
  created_by: string;
}

export interface BatchTable {
  id: Generated<number>;
  program_id: number;
  number: number;
  start_date: string;
  end_date: string | null;
  notes: string | null;
  created_at: CreatedAt;
  created_by: string;
}

export interface BatchCommunityTable {
  batch_id: number;
  community_code: string;
  selection_evidence: Jsonb;
  added_at: CreatedAt;
  added_by: string;
  joined_on: string;
}

export interface PostingTable {
  id: Generated<number>;
  program_id: number;
  batch_id: number;
  community_code: string;
  cadre_id: number;
  role: PostingRole;
  kind: PostingKind;
  predecessor_posting_id: number | null;
  start_date: string;
  end_date: string | null;
  end_reason: string | null;
  notes: string | null;
  created_at: CreatedAt;
  created_by: string;
}

export interface HandoverTable {
  id: Generated<number>;
  from_posting_id: number;
  to_posting_id: number;
  handover_date: string;
  notes: string | null;
  contacts: Jsonb;
  open_items: Jsonb;
  recorded_at: CreatedAt;
  recorded_by: string;
}

export interface DutyDayTable {
  id: Generated<number>;
  posting_id: number;
  duty_date: string;
  hours: number;
  work: string;
  with_whom: string | null;
  logged_at: CreatedAt;
  logged_by: string;
}

export interface ApprenticeshipTable {
  id: Generated<number>;
  posting_id: number;
  apprentice_name: string;
  apprentice_position: string | null;
  start_date: string;
  status: ColumnType<ApprenticeshipStatus, ApprenticeshipStatus | undefined, ApprenticeshipStatus>;
  end_date: string | null;
  notes: string | null;
  created_at: CreatedAt;
  created_by: string;
}

export interface ApprenticeshipTrainingTable {
  id: Generated<number>;
  apprenticeship_id: number;
  training_date: string;
  topic: string;
  hours: number;
  recorded_by: string;
}

export interface ApprenticeshipTaskTable {
  id: Generated<number>;
  apprenticeship_id: number;
  description: string;
  since_date: string;
  recorded_by: string;
}

export interface EvaluationConfigTable {
  id: number;
  config: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

// ── hard-nut projects ───────────────────────────────────────────────────────────────────────
export type ProjectStatus = 'proposed' | 'consulting' | 'approved' | 'in_progress' | 'completed' | 'stalled' | 'cancelled';
export type ProjectOrigin = 'hotspot' | 'appeal_cluster' | 'historical_problem' | 'assignment';
export type StakeholderRole = 'lead' | 'coordinating' | 'funding' | 'executing' | 'consulted';
export type ConsultationForm = 'meeting' | 'survey' | 'door_to_door';

export interface ProjectTable {
  id: Generated<number>;
  community_code: string;
  title: string;
  description: string | null;
  category_code: string;
  origin: ProjectOrigin;
  historical: ColumnType<boolean, boolean | undefined, boolean>;
  lead_posting_id: number | null;
  status: ColumnType<ProjectStatus, ProjectStatus | undefined, ProjectStatus>;
  requires_consultation: boolean | null;
  planned_start_date: string | null;
  planned_end_date: string | null;
  actual_start_date: string | null;
  actual_end_date: string | null;
  expected_completion_date: string | null;
  households_benefited: number | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProjectStatusChangeTable {
  id: Generated<number>;
  project_id: number;
  from_status: ProjectStatus | null;
  to_status: ProjectStatus;
  changed_on: string;
  note: string | null;
  actor: string;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface ProjectConfigTable {
  id: number;
  config: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  updated_by: string;
}

export interface ProjectStakeholderTable {
  id: Generated<number>;
  project_id: number;
  unit_id: number;
  role: StakeholderRole;
  note: string | null;
  added_at: ColumnType<Date, Date | string | undefined, never>;
  added_by: string;
}

export interface ProjectConsultationTable {
  id: Generated<number>;
  project_id: number;
  held_on: string;
  form: ConsultationForm;
  participants: number;
  support: number;
  oppose: number;
  abstain: number;
  summary: string | null;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
  recorded_by: string;
}

export interface ProjectMilestoneTable {
  id: Generated<number>;
  project_id: number;
  title: string;
  weight: number;
  planned_on: string | null;
  done_on: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
}

export interface ProjectFundTable {
  id: Generated<number>;
  project_id: number;
  amount: number;
  source_unit_id: number;
  received_on: string;
  note: string | null;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
  recorded_by: string;
}

export interface ProjectOutputTable {
  id: Generated<number>;
  project_id: number;
  kind: string;
  unit_label: string | null;
  category_code: string;
  target: number;
  achieved: ColumnType<number, number | undefined, number>;
  completed_on: string | null;
  note: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ProjectAppealTable {
  project_id: number;
  appeal_id: number;
  linked_on: string;
  linked_at: ColumnType<Date, Date | string | undefined, never>;
  linked_by: string;
}
