import { shanghaiToday } from '../../shared/dates.ts';
import { outputLabel, roleLabels, formLabels, statusLabels, consultationRequired } from './lifecycle.ts';
import type { ProjectConfig } from './config.ts';
import type * as pq from './parts-queries.ts';
import type { ProjectViewRow } from './queries.ts';
import type { Consultation, Fund, LinkedAppeal, Milestone, Output, Stakeholder } from './parts-schemas.ts';
import type { Project } from './schemas.ts';

/** When a project is due: its expected completion, else its planned end. */
export const dueDateOf = (row: Pick<ProjectViewRow, 'expected_completion_date' | 'planned_end_date'>) =>
  row.expected_completion_date ?? row.planned_end_date;

/** Past its due date and neither completed nor cancelled (Asia/Shanghai days). */
export function isProjectOverdue(
  row: Pick<ProjectViewRow, 'status' | 'expected_completion_date' | 'planned_end_date'>,
  today: string,
): boolean {
  const due = dueDateOf(row);
  return due !== null && due < today && row.status !== 'completed' && row.status !== 'cancelled';
}

/** Rows as the API shows them: camelCase, labels in Chinese, progress derived, overdue as of today. */
export function presentProject(row: ProjectViewRow, config: ProjectConfig, today: string = shanghaiToday()): Project {
  return {
    id: row.id,
    communityCode: row.community_code,
    communityName: row.community_name,
    streetName: row.street_name,
    title: row.title,
    description: row.description,
    categoryCode: row.category_code,
    categoryName: row.category_name,
    origin: row.origin,
    historical: row.historical,
    status: row.status,
    statusLabel: statusLabels[row.status].zh,
    // A completed project is done even if it never had milestones.
    progress: row.progress ?? (row.status === 'completed' ? 1 : null),
    leadPosting:
      row.lead_posting_id === null
        ? null
        : {
            postingId: row.lead_posting_id,
            cadreId: row.lead_cadre_id!,
            cadreName: row.lead_cadre_name!,
            programId: row.lead_program_id!,
            batchId: row.lead_batch_id!,
            startDate: row.lead_start_date!,
            endDate: row.lead_end_date,
          },
    requiresConsultation: row.requires_consultation,
    consultationRequired: consultationRequired(row.requires_consultation, config),
    plannedStartDate: row.planned_start_date,
    plannedEndDate: row.planned_end_date,
    actualStartDate: row.actual_start_date,
    actualEndDate: row.actual_end_date,
    expectedCompletionDate: row.expected_completion_date,
    dueDate: dueDateOf(row),
    overdue: isProjectOverdue(row, today),
    householdsBenefited: row.households_benefited,
  };
}

export const presentStakeholder = (r: pq.StakeholderRow): Stakeholder => ({
  id: r.id,
  unitId: r.unit_id,
  unitName: r.unit_name,
  unitType: r.unit_type,
  role: r.role,
  roleLabel: roleLabels[r.role].zh,
  note: r.note,
});

export const presentConsultation = (r: pq.ConsultationRow): Consultation => ({
  id: r.id,
  heldOn: r.held_on,
  form: r.form,
  formLabel: formLabels[r.form].zh,
  participants: r.participants,
  support: r.support,
  oppose: r.oppose,
  abstain: r.abstain,
  summary: r.summary,
});

export const presentMilestone = (r: pq.MilestoneRow): Milestone => ({
  id: r.id,
  title: r.title,
  weight: r.weight,
  plannedOn: r.planned_on,
  doneOn: r.done_on,
});

export const presentFund = (r: pq.FundRow): Fund => ({
  id: r.id,
  amount: r.amount,
  sourceUnitId: r.source_unit_id,
  sourceUnitName: r.source_unit_name,
  receivedOn: r.received_on,
  note: r.note,
});

export function presentOutput(r: pq.OutputRow): Output {
  const label = outputLabel(r.kind, r.unit_label);
  return {
    id: r.id,
    kind: r.kind,
    label: label.zh,
    unitLabel: label.unit,
    categoryCode: r.category_code,
    target: r.target,
    achieved: r.achieved,
    done: r.completed_on !== null,
    completedOn: r.completed_on,
    note: r.note,
  };
}

export const presentLinkedAppeal = (r: pq.LinkedAppealRow): LinkedAppeal => ({
  appealId: r.appeal_id,
  ticketNo: r.ticket_no,
  receivedAt: r.received_at.toISOString(),
  kind: r.kind,
  categoryCode: r.category_code,
  categoryName: r.category_name,
  status: r.status,
  solved: r.solved,
  summary: r.description,
  linkedOn: r.linked_on,
});

/** Sums of yuan kept to the fen: binary fractions must not print as 4300000.000000001. */
export const yuan = (amount: number) => Math.round(amount * 100) / 100;
