import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery, pageOf, InputObject } from '../../http/schemas.ts';
import { DateString } from '../../shared/dates.ts';
import { CategoryCode } from '../programs/schemas.ts';
import {
  consultationForms,
  outputKindNames,
  projectOrigins,
  projectStatuses,
  stakeholderRoles,
  statusLabels,
  type OutputKind,
} from './lifecycle.ts';

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );
const id = () => Type.Integer({ minimum: 1 });
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const nullableDate = (description: string) => Nullable(DateString(description));
const CommunityCode = Type.String({ pattern: '^[0-9]{12}$', description: '社区（村）代码 / community code, e.g. 110106008028' });

export const ProjectStatusSchema = literals(projectStatuses, projectStatuses.map((s) => `${s} ${statusLabels[s].zh}`).join(' | '));
export const ProjectOriginSchema = literals(
  projectOrigins,
  'hotspot 诉求热点 | appeal_cluster 同类诉求集中 | historical_problem 历史遗留问题 | assignment 上级交办',
);
export const StakeholderRoleSchema = literals(
  stakeholderRoles,
  'lead 牵头 | coordinating 协调 | funding 出资 | executing 实施 | consulted 征询',
);
export const ConsultationFormSchema = literals(consultationForms, 'meeting 议事协商会 | survey 问卷调查 | door_to_door 入户走访');
export const OutputKindSchema = literals(outputKindNames, '成果类型；custom 须填计量单位 / output type; custom needs a unit label');
export type ProjectStatus = Static<typeof ProjectStatusSchema>;
export type ProjectOrigin = Static<typeof ProjectOriginSchema>;
export type StakeholderRole = Static<typeof StakeholderRoleSchema>;
export type ConsultationForm = Static<typeof ConsultationFormSchema>;
export type { OutputKind };

export const IdParam = Type.Object({ id: id() });
export const MilestoneParam = Type.Object({ id: id(), milestoneId: id() });
export const OutputParam = Type.Object({ id: id(), outputId: id() });
export const StakeholderParam = Type.Object({ id: id(), stakeholderId: id() });

// ── projects ────────────────────────────────────────────────────────────────────────────────
export const ProjectInputSchema = InputObject({
  communityCode: CommunityCode,
  title: text(200),
  description: Type.Optional(Nullable(Type.String({ maxLength: 8000 }))),
  categoryCode: CategoryCode,
  origin: ProjectOriginSchema,
  historical: Type.Optional(Type.Boolean({ description: '历史遗留问题 / a long-standing problem' })),
  leadPostingId: Type.Optional(Nullable(id())),
  requiresConsultation: Type.Optional(
    Nullable(
      Type.Boolean({ description: '立项前须征求居民意见；不填按全局规则 / consultation before approval; omitted: the global rule' }),
    ),
  ),
  plannedStartDate: Type.Optional(nullableDate('计划开工 / planned start')),
  plannedEndDate: Type.Optional(nullableDate('计划完工 / planned end')),
  expectedCompletionDate: Type.Optional(nullableDate('预计完成 / expected completion')),
  householdsBenefited: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
  proposedOn: Type.Optional(DateString('提出日期；不填为今天 / proposed on; omitted: today')),
});
export type ProjectInput = Static<typeof ProjectInputSchema>;

export const ProjectChangesSchema = Type.Object(
  {
    title: Type.Optional(text(200)),
    description: Type.Optional(Nullable(Type.String({ maxLength: 8000 }))),
    categoryCode: Type.Optional(CategoryCode),
    origin: Type.Optional(ProjectOriginSchema),
    historical: Type.Optional(Type.Boolean()),
    leadPostingId: Type.Optional(Nullable(id())),
    requiresConsultation: Type.Optional(Nullable(Type.Boolean())),
    plannedStartDate: Type.Optional(nullableDate('计划开工 / planned start')),
    plannedEndDate: Type.Optional(nullableDate('计划完工 / planned end')),
    expectedCompletionDate: Type.Optional(nullableDate('预计完成 / expected completion')),
    householdsBenefited: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 }))),
    actualStartDate: Type.Optional(DateString('更正实际开工日 / correct the actual start')),
    actualEndDate: Type.Optional(DateString('更正实际完工日 / correct the actual end')),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ProjectChanges = Static<typeof ProjectChangesSchema>;

export const TransitionBody = InputObject({
  to: ProjectStatusSchema,
  date: Type.Optional(DateString('发生日期；不填为今天 / when; omitted: today')),
  note: Type.Optional(Type.String({ maxLength: 4000 })),
});
export type TransitionInput = Static<typeof TransitionBody>;

const LeadSchema = Type.Object({
  postingId: Type.Integer(),
  cadreId: Type.Integer(),
  cadreName: Type.String(),
  programId: Type.Integer(),
  batchId: Type.Integer(),
  startDate: Type.String(),
  endDate: Nullable(Type.String()),
});

export const ProjectSchema = Type.Object({
  id: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  streetName: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  origin: ProjectOriginSchema,
  historical: Type.Boolean(),
  status: ProjectStatusSchema,
  statusLabel: Type.String(),
  progress: Nullable(Type.Number({ description: '里程碑完成权重占比 0–1，无里程碑为 null / done weight over total weight' })),
  leadPosting: Nullable(LeadSchema),
  requiresConsultation: Nullable(Type.Boolean()),
  consultationRequired: Type.Boolean({ description: '按项目或全局规则，立项前是否须征求意见 / whether approval needs a consultation' }),
  plannedStartDate: Nullable(Type.String()),
  plannedEndDate: Nullable(Type.String()),
  actualStartDate: Nullable(Type.String()),
  actualEndDate: Nullable(Type.String()),
  expectedCompletionDate: Nullable(Type.String()),
  dueDate: Nullable(Type.String({ description: '到期日：预计完成，否则计划完工 / due: the expected completion, else the planned end' })),
  overdue: Type.Boolean({ description: '已过到期日仍未完成（北京时间）/ past its due date and neither completed nor cancelled' }),
  householdsBenefited: Nullable(Type.Integer()),
});
export type Project = Static<typeof ProjectSchema>;
export const ProjectPageSchema = pageOf(ProjectSchema);

const listFilters = {
  communityCode: Type.Optional(CommunityCode),
  programId: Type.Optional(id()),
  batchId: Type.Optional(id()),
  category: Type.Optional(CategoryCode),
  historical: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '标题包含 / title contains' })),
};

export const ProjectListQuery = Type.Object({
  ...listFilters,
  status: Type.Optional(Type.Array(ProjectStatusSchema, { description: '可重复 / repeatable: ?status=approved&status=in_progress' })),
  ...PageQuery,
});
export type ProjectListInput = Static<typeof ProjectListQuery>;

export const BoardQuery = Type.Object({
  ...listFilters,
  perStatus: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50, description: '每列条数 / cards per column' })),
});
export type BoardInput = Static<typeof BoardQuery>;

export const BoardSchema = Type.Object({
  columns: Type.Array(
    Type.Object({
      status: ProjectStatusSchema,
      label: Type.String(),
      count: Type.Integer(),
      items: Type.Array(ProjectSchema),
    }),
  ),
  total: Type.Integer(),
});
export type Board = Static<typeof BoardSchema>;

export const StatusChangeSchema = Type.Object({
  from: Nullable(Type.String()),
  to: ProjectStatusSchema,
  date: Type.String(),
  note: Nullable(Type.String()),
  actor: Type.String(),
});
