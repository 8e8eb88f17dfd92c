import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery, pageOf, InputObject } from '../../http/schemas.ts';
import { UnitTypeSchema } from '../units/schemas.ts';
import { DateString } from '../../shared/dates.ts';
import { CategoryCode } from '../programs/schemas.ts';
import { FiguresSchema } from '../evaluation/schemas.ts';
import {
  ConsultationFormSchema,
  OutputKindSchema,
  ProjectSchema,
  ProjectStatusSchema,
  StakeholderRoleSchema,
  StatusChangeSchema,
} from './schemas.ts';

const id = () => Type.Integer({ minimum: 1 });
const note = () => Type.Optional(Nullable(Type.String({ maxLength: 4000 })));
const count = (description: string) => Type.Integer({ minimum: 0, maximum: 1_000_000, description });

// ── stakeholders ────────────────────────────────────────────────────────────────────────────
export const StakeholderInputSchema = InputObject({ unitId: id(), role: StakeholderRoleSchema, note: note() });
export type StakeholderInput = Static<typeof StakeholderInputSchema>;
export const StakeholderSchema = Type.Object({
  id: Type.Integer(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  unitType: UnitTypeSchema,
  role: StakeholderRoleSchema,
  roleLabel: Type.String(),
  note: Nullable(Type.String()),
});
export type Stakeholder = Static<typeof StakeholderSchema>;

// ── consultations ───────────────────────────────────────────────────────────────────────────
export const ConsultationInputSchema = InputObject({
  heldOn: DateString('日期 / held on'),
  form: ConsultationFormSchema,
  participants: Type.Integer({ minimum: 1, maximum: 1_000_000, description: '参与人数 / participants' }),
  support: Type.Optional(count('赞成 / in favour')),
  oppose: Type.Optional(count('反对 / against')),
  abstain: Type.Optional(count('弃权 / abstaining')),
  summary: note(),
});
export type ConsultationInput = Static<typeof ConsultationInputSchema>;
export const ConsultationSchema = Type.Object({
  id: Type.Integer(),
  heldOn: Type.String(),
  form: ConsultationFormSchema,
  formLabel: Type.String(),
  participants: Type.Integer(),
  support: Type.Integer(),
  oppose: Type.Integer(),
  abstain: Type.Integer(),
  summary: Nullable(Type.String()),
});
export type Consultation = Static<typeof ConsultationSchema>;

// ── milestones ──────────────────────────────────────────────────────────────────────────────
const Weight = Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: '权重，默认 1 / weight, default 1' });
export const MilestoneInputSchema = InputObject({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  weight: Type.Optional(Weight),
  plannedOn: Type.Optional(Nullable(DateString('计划 / planned'))),
});
export type MilestoneInput = Static<typeof MilestoneInputSchema>;
export const MilestoneChangesSchema = Type.Partial(MilestoneInputSchema, { additionalProperties: false, minProperties: 1 });
export type MilestoneChanges = Static<typeof MilestoneChangesSchema>;
export const MilestoneDoneBody = InputObject({ date: Type.Optional(DateString('完成日；不填为今天 / done on; omitted: today')) });
export type MilestoneDoneInput = Static<typeof MilestoneDoneBody>;
export const MilestoneSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  weight: Type.Number(),
  plannedOn: Nullable(Type.String()),
  doneOn: Nullable(Type.String()),
});
export type Milestone = Static<typeof MilestoneSchema>;

// ── funds ───────────────────────────────────────────────────────────────────────────────────
export const FundInputSchema = InputObject({
  amount: Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000_000, description: '金额（元），最多两位小数 / yuan, up to 2 decimals' }),
  sourceUnitId: id(),
  receivedOn: DateString('到位日期 / secured on'),
  note: note(),
});
export type FundInput = Static<typeof FundInputSchema>;
export const FundSchema = Type.Object({
  id: Type.Integer(),
  amount: Type.Number(),
  sourceUnitId: Type.Integer(),
  sourceUnitName: Type.String(),
  receivedOn: Type.String(),
  note: Nullable(Type.String()),
});
export type Fund = Static<typeof FundSchema>;

// ── outputs ─────────────────────────────────────────────────────────────────────────────────
const Quantity = (description: string) => Type.Number({ description });
export const OutputInputSchema = InputObject({
  kind: OutputKindSchema,
  unitLabel: Type.Optional(
    Nullable(Type.String({ minLength: 1, maxLength: 20, description: '计量单位，custom 必填 / measure, required for custom' })),
  ),
  categoryCode: Type.Optional(CategoryCode),
  target: Quantity('目标 / target'),
  achieved: Type.Optional(Quantity('已完成 / achieved so far')),
  asOf: Type.Optional(DateString('达到目标的日期；不填为今天 / the day the target was reached; omitted: today')),
  note: note(),
});
export type OutputInput = Static<typeof OutputInputSchema>;
export const OutputChangesSchema = Type.Object(
  {
    target: Type.Optional(Quantity('目标 / target')),
    achieved: Type.Optional(Quantity('已完成 / achieved')),
    asOf: Type.Optional(DateString('截至 / as of')),
    note: note(),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type OutputChanges = Static<typeof OutputChangesSchema>;
export const OutputSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  label: Type.String(),
  unitLabel: Type.String(),
  categoryCode: Type.String(),
  target: Type.Number(),
  achieved: Type.Number(),
  done: Type.Boolean(),
  completedOn: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export type Output = Static<typeof OutputSchema>;

// ── linked appeals ──────────────────────────────────────────────────────────────────────────
export const LinkAppealsBody = InputObject({
  appealIds: Type.Array(id(), { minItems: 1, maxItems: 500, uniqueItems: true }),
  linkedOn: Type.Optional(DateString('关联日期；不填为今天 / linked on; omitted: today')),
});
export type LinkAppealsInput = Static<typeof LinkAppealsBody>;
export const LinkAppealsResultSchema = Type.Object({ added: Type.Integer(), alreadyLinked: Type.Integer() });
export type LinkAppealsResult = Static<typeof LinkAppealsResultSchema>;
export const LinkedAppealSchema = Type.Object({
  appealId: Type.Integer(),
  ticketNo: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  status: Type.String(),
  solved: Nullable(Type.Boolean()),
  summary: Type.String({ description: '诉求内容前 80 字 / the first 80 characters' }),
  linkedOn: Type.String(),
});
export type LinkedAppeal = Static<typeof LinkedAppealSchema>;
export const LinkedAppealPageSchema = pageOf(LinkedAppealSchema);
export const LinkedAppealListQuery = Type.Object({ ...PageQuery });
export const AppealParam = Type.Object({ id: id(), appealId: id() });

// ── a project with everything ───────────────────────────────────────────────────────────────
export const ProjectDetailSchema = Type.Composite([
  ProjectSchema,
  Type.Object({
    stakeholders: Type.Array(StakeholderSchema),
    consultations: Type.Array(ConsultationSchema),
    milestones: Type.Array(MilestoneSchema),
    funds: Type.Array(FundSchema),
    fundsTotal: Type.Number({ description: '已到位资金合计（元）/ funds secured, yuan' }),
    outputs: Type.Array(OutputSchema),
    linkedAppeals: Type.Object({ items: Type.Array(LinkedAppealSchema), total: Type.Integer(), nextCursor: Nullable(Type.String()) }),
    history: Type.Array(StatusChangeSchema),
    allowedTransitions: Type.Array(ProjectStatusSchema),
    abilities: Type.Object({ manage: Type.Boolean({ description: '当前用户能否修改 / whether the viewer may change it' }) }),
  }),
]);
export type ProjectDetail = Static<typeof ProjectDetailSchema>;

// ── before and after ────────────────────────────────────────────────────────────────────────
const WindowFigures = Type.Object({
  from: Type.String({ description: 'YYYY-MM' }),
  to: Type.String({ description: 'YYYY-MM' }),
  monthsElapsed: Type.Integer({ description: '窗口内已过去的月数 / months of the window that have begun' }),
  figures: Type.Ref(FiguresSchema),
});
export const BeforeAfterQuery = Type.Object({
  months: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, description: '前后各几个月，默认按规则 12 / months each side' })),
});
export const BeforeAfterSchema = Type.Object({
  projectId: Type.Integer(),
  communityCode: Type.String(),
  categoryCode: Type.String(),
  months: Type.Integer(),
  before: WindowFigures,
  after: WindowFigures,
  complete: Type.Boolean({ description: '完工后窗口已满 / the after window has fully passed' }),
  change: Type.Object({
    volume: Type.Integer(),
    volumePercent: Nullable(Type.Number({ description: '(后 − 前) / 前 / relative change' })),
    resolutionPoints: Nullable(Type.Number({ description: '解决率变化（比例差）/ change in the resolution rate, as a fraction' })),
  }),
});
export type BeforeAfter = Static<typeof BeforeAfterSchema>;
