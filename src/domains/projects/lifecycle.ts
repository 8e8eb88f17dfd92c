import type { ConsultationForm, ProjectOrigin, ProjectStatus, StakeholderRole } from '../../db/tables.ts';
import type { ProjectConfig } from './config.ts';

/**
 * The projects' rules that need no database: statuses and their legal moves, the vocabulary with
 * Chinese labels first, progress from milestones, the sane bounds of an output.
 */
type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export const projectStatuses = [
  'proposed',
  'consulting',
  'approved',
  'in_progress',
  'completed',
  'stalled',
  'cancelled',
] as const satisfies readonly ProjectStatus[];
export const projectOrigins = ['hotspot', 'appeal_cluster', 'historical_problem', 'assignment'] as const satisfies readonly ProjectOrigin[];
export const stakeholderRoles = ['lead', 'coordinating', 'funding', 'executing', 'consulted'] as const satisfies readonly StakeholderRole[];
export const consultationForms = ['meeting', 'survey', 'door_to_door'] as const satisfies readonly ConsultationForm[];

export const statusLabels: Labels<ProjectStatus> = {
  proposed: { zh: '已提出', en: 'Proposed' },
  consulting: { zh: '征求意见中', en: 'Consulting residents' },
  approved: { zh: '已立项', en: 'Approved' },
  in_progress: { zh: '推进中', en: 'In progress' },
  completed: { zh: '已完成', en: 'Completed' },
  stalled: { zh: '受阻', en: 'Stalled' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const originLabels: Labels<ProjectOrigin> = {
  hotspot: { zh: '诉求热点', en: 'Appeal hotspot' },
  appeal_cluster: { zh: '同类诉求集中', en: 'Cluster of appeals' },
  historical_problem: { zh: '历史遗留问题', en: 'Historical problem' },
  assignment: { zh: '上级交办', en: 'Assignment' },
};

export const roleLabels: Labels<StakeholderRole> = {
  lead: { zh: '牵头', en: 'Lead' },
  coordinating: { zh: '协调', en: 'Coordinating' },
  funding: { zh: '出资', en: 'Funding' },
  executing: { zh: '实施', en: 'Executing' },
  consulted: { zh: '征询', en: 'Consulted' },
};

export const formLabels: Labels<ConsultationForm> = {
  meeting: { zh: '议事协商会', en: 'Meeting' },
  survey: { zh: '问卷调查', en: 'Survey' },
  door_to_door: { zh: '入户走访', en: 'Door to door' },
};

/**
 * The legal moves. Consultation may be skipped as a status (approval straight from proposed), not
 * as a fact: approval checks for a consultation on record. Completed and cancelled are final; a
 * project taken up again is a new project with its own history.
 */
export const transitions: Record<ProjectStatus, readonly ProjectStatus[]> = {
  proposed: ['consulting', 'approved', 'cancelled'],
  consulting: ['approved', 'cancelled'],
  approved: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'stalled', 'cancelled'],
  stalled: ['in_progress', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** Not completed and not cancelled: what a successor takes over. */
export const openStatuses = projectStatuses.filter((s) => s !== 'completed' && s !== 'cancelled');
export const isOpen = (status: ProjectStatus) => status !== 'completed' && status !== 'cancelled';

export const consultationRequired = (override: boolean | null, config: ProjectConfig) => override ?? config.requireConsultationForApproval;

/**
 * Done weight over total weight. A project without milestones has no progress to show (null),
 * except a completed one, which is done.
 */
export function progressOf(milestones: ReadonlyArray<{ weight: number; done_on: string | null }>, status: ProjectStatus): number | null {
  const total = milestones.reduce((sum, m) => sum + m.weight, 0);
  if (total <= 0) return status === 'completed' ? 1 : null;
  const done = milestones.reduce((sum, m) => sum + (m.done_on !== null ? m.weight : 0), 0);
  return done / total;
}

// ── outputs ─────────────────────────────────────────────────────────────────────────────────
/** The typed results, each with its measure and the problem category it counts under. */
export const outputKinds = {
  parking_spaces: { zh: '停车位', en: 'Parking spaces', unit: '个', unitEn: 'spaces', category: 'parking' },
  charging_piles: { zh: '充电桩', en: 'EV charging piles', unit: '个', unitEn: 'piles', category: 'parking.ev_charging' },
  elevators_renewed: { zh: '更新电梯', en: 'Elevators renewed', unit: '部', unitEn: 'elevators', category: 'elevator.renewal' },
  elevators_installed: { zh: '加装电梯', en: 'Elevators installed', unit: '部', unitEn: 'elevators', category: 'elevator.retrofit' },
  households_gas_connected: {
    zh: '燃气入户',
    en: 'Households connected to gas',
    unit: '户',
    unitEn: 'households',
    category: 'gas.connection',
  },
  households_heating_connected: {
    zh: '供暖入户',
    en: 'Households connected to heating',
    unit: '户',
    unitEn: 'households',
    category: 'heating',
  },
  water_pipes_replaced: { zh: '更换供水管线', en: 'Water pipes replaced', unit: '米', unitEn: 'm', category: 'water' },
  power_lines_renovated: { zh: '改造供电线路', en: 'Power lines renovated', unit: '米', unitEn: 'm', category: 'electricity' },
  buildings_renovated: { zh: '改造楼栋', en: 'Buildings renovated', unit: '栋', unitEn: 'buildings', category: 'housing.old_community' },
  clutter_cleared: { zh: '清理堆物', en: 'Piled-up materials cleared', unit: '处', unitEn: 'sites', category: 'sanitation.clutter' },
  custom: { zh: '其他', en: 'Other', unit: '', unitEn: '', category: null },
} as const satisfies Record<string, { zh: string; en: string; unit: string; unitEn: string; category: string | null }>;
export type OutputKind = keyof typeof outputKinds;
export const outputKindNames = Object.keys(outputKinds) as OutputKind[];

/** A custom output's unit is the user's own word, the same in both languages. */
export function outputLabel(kind: string, unitLabel: string | null): { zh: string; en: string; unit: string; unitEn: string } {
  const known = (outputKinds as Record<string, { zh: string; en: string; unit: string; unitEn: string }>)[kind];
  return { zh: known?.zh ?? kind, en: known?.en ?? kind, unit: unitLabel ?? known?.unit ?? '', unitEn: unitLabel ?? known?.unitEn ?? '' };
}

/** Why an output's numbers cannot be right, or null when they can. */
export function outputBoundProblem(
  target: number,
  achieved: number,
  bounds: ProjectConfig['outputBounds'],
): { zh: string; en: string } | null {
  if (!Number.isFinite(target) || target <= 0) return { zh: '目标应大于 0', en: 'The target must be more than 0' };
  if (!Number.isFinite(achieved) || achieved < 0) return { zh: '完成量不能为负数', en: 'The achieved quantity cannot be negative' };
  if (target > bounds.maxAchieved)
    return { zh: `目标不能超过 ${bounds.maxAchieved}`, en: `The target cannot exceed ${bounds.maxAchieved}` };
  if (achieved > bounds.maxAchieved)
    return { zh: `完成量不能超过 ${bounds.maxAchieved}`, en: `The achieved quantity cannot exceed ${bounds.maxAchieved}` };
  if (achieved > target * bounds.maxTimesTarget) {
    return {
      zh: `完成量 ${achieved} 超过目标 ${target} 的 ${bounds.maxTimesTarget} 倍，请核对`,
      en: `${achieved} is more than ${bounds.maxTimesTarget} times the target ${target}`,
    };
  }
  return null;
}

/** Money and quantities are kept to the fen: more decimals are a typing mistake, not precision. */
export const hasAtMostTwoDecimals = (value: number) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6;
