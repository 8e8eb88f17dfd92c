import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery, pageOf, InputObject } from '../../http/schemas.ts';
import { UnitTypeSchema } from '../units/schemas.ts';
import { DateString } from '../../shared/dates.ts';
import { ApprenticeshipStatusSchema, notesInput } from './schemas.ts';

// A JSON null stays null under the query-string type coercion (see Nullable).
const nullable = Nullable;
const Hours = Type.Number({ exclusiveMinimum: 0, maximum: 24, description: '小时 / hours' });

// ── duty days and the weekly compliance report ─────────────────────────────────────────────
export const DutyDayInputSchema = InputObject({
  date: DateString('在岗日 / day on site'),
  hours: Hours,
  work: Type.String({ minLength: 1, maxLength: 4000, description: '做了什么 / what was done' }),
  withWhom: Type.Optional(nullable(Type.String({ maxLength: 1000, description: '与谁一起 / with whom' }))),
  communityCode: Type.Optional(
    Type.String({ pattern: '^[0-9]{12}$', description: '在哪个社区；给出时须是选派的社区 / where; must be the posting’s community' }),
  ),
});
export type DutyDayInput = Static<typeof DutyDayInputSchema>;

/** A sheet of days logged at once (a week's, say): all of them or none. */
export const DutyDaySheetSchema = InputObject({ days: Type.Array(DutyDayInputSchema, { minItems: 1, maxItems: 31 }) });
export type DutyDaySheet = Static<typeof DutyDaySheetSchema>;

export const DutyDaySchema = Type.Object({
  id: Type.Integer(),
  postingId: Type.Integer(),
  date: Type.String(),
  hours: Type.Number(),
  work: Type.String(),
  withWhom: nullable(Type.String()),
  loggedBy: Type.String(),
  loggedAt: Type.String({ format: 'date-time' }),
});
export type DutyDay = Static<typeof DutyDaySchema>;
export const DutyDayPageSchema = pageOf(DutyDaySchema);
export const DutyDaySheetResultSchema = Type.Object({ items: Type.Array(DutyDaySchema) });

export const DutyDayListQuery = Type.Object({
  from: Type.Optional(DateString()),
  to: Type.Optional(DateString()),
  ...PageQuery,
});
export type DutyDayListInput = Static<typeof DutyDayListQuery>;

export const ComplianceQuery = Type.Object({
  batchId: Type.Optional(Type.Integer({ minimum: 1 })),
  from: DateString('起 / from'),
  to: DateString('止 / to'),
});
export type ComplianceInput = Static<typeof ComplianceQuery>;

export const ComplianceWeekSchema = Type.Object({
  week: Type.String({ description: 'ISO 周，如 2022-W20 / ISO week' }),
  monday: Type.String(),
  coveredDays: Type.Integer({ description: '本周在选派期内的天数 / days of the week inside the posting' }),
  required: Type.Integer({ description: '按覆盖天数折算的最少天数 / minimum pro-rated to the covered days' }),
  logged: Type.Integer(),
  short: Type.Boolean(),
});
export type ComplianceWeek = Static<typeof ComplianceWeekSchema>;

export const ComplianceSchema = Type.Object({
  programId: Type.Integer(),
  batchId: nullable(Type.Integer()),
  minDutyDaysPerWeek: Type.Integer(),
  from: Type.String({ description: '对齐到周一 / aligned to a Monday' }),
  to: Type.String({ description: '对齐到已过完的周日 / aligned to the last finished Sunday' }),
  recordedUntil: nullable(
    Type.String({
      format: 'date',
      description: '本项目最后一个在岗登记日；此后的周不评判 / the program’s last logged on-site day; later weeks are not judged',
    }),
  ),
  rule: Type.String(),
  postings: Type.Array(
    Type.Object({
      postingId: Type.Integer(),
      cadreId: Type.Integer(),
      cadreName: Type.String(),
      communityCode: Type.String(),
      communityName: Type.String(),
      weeks: Type.Array(ComplianceWeekSchema),
      shortWeeks: Type.Integer(),
    }),
  ),
  shortfalls: Type.Array(
    Type.Object({
      postingId: Type.Integer(),
      cadreName: Type.String(),
      communityName: Type.String(),
      week: Type.String(),
      monday: Type.String(),
      logged: Type.Integer(),
      required: Type.Integer(),
    }),
  ),
});
export type Compliance = Static<typeof ComplianceSchema>;

// ── roster ─────────────────────────────────────────────────────────────────────────────────
export const RosterQuery = Type.Object({ batchId: Type.Optional(Type.Integer({ minimum: 1 })) });

const Counts = {
  postings: Type.Integer(),
  active: Type.Integer({ description: '在岗选派 / active postings' }),
  ended: Type.Integer({ description: '已离任选派 / ended postings' }),
};

export const RosterSchema = Type.Object({
  programId: Type.Integer(),
  programName: Type.String(),
  batchId: nullable(Type.Integer()),
  batchNumber: nullable(Type.Integer()),
  totals: Type.Object({
    cadres: Type.Integer({ description: '人数（续任者计一次）/ distinct cadres (a renewal counts once)' }),
    communities: Type.Integer(),
    fromResidentUnitsAndNewOrganizations: Type.Integer({
      description: '来自驻区单位和两新组织 / from resident units and the two new organizations',
    }),
    ...Counts,
  }),
  byUnitType: Type.Array(Type.Object({ unitType: UnitTypeSchema, label: Type.String(), cadres: Type.Integer(), ...Counts })),
  apprentices: Type.Array(
    Type.Object({
      apprenticeshipId: Type.Integer(),
      apprenticeName: Type.String(),
      apprenticePosition: nullable(Type.String()),
      status: ApprenticeshipStatusSchema,
      startDate: Type.String({ format: 'date' }),
      postingId: Type.Integer(),
      secretaryName: Type.String(),
      communityName: Type.String(),
    }),
    { description: '书记带的徒弟（最多 500 名）/ the secretaries’ apprentices (up to 500)' },
  ),
  byCommunity: Type.Array(
    Type.Object({
      communityCode: Type.String(),
      communityName: Type.String(),
      streetName: Type.String(),
      current: Type.Array(Type.String(), { description: '在岗书记 / secretaries now' }),
      ...Counts,
    }),
  ),
});
export type Roster = Static<typeof RosterSchema>;

// ── apprenticeships ────────────────────────────────────────────────────────────────────────
export const ApprenticeshipInputSchema = InputObject({
  postingId: Type.Integer({ minimum: 1 }),
  apprenticeName: Type.String({ minLength: 1, maxLength: 100 }),
  apprenticePosition: Type.Optional(nullable(Type.String({ maxLength: 200, description: '社区职务 / post in the community' }))),
  startDate: DateString('开始 / start'),
  notes: notesInput(),
});
export type ApprenticeshipInput = Static<typeof ApprenticeshipInputSchema>;

export const ApprenticeshipChangesSchema = InputObject({
  status: Type.Optional(ApprenticeshipStatusSchema),
  endDate: Type.Optional(DateString('结束；出师或终止时 / end, when completed or ended')),
  apprenticePosition: Type.Optional(nullable(Type.String({ maxLength: 200 }))),
  notes: notesInput(),
});
export type ApprenticeshipChanges = Static<typeof ApprenticeshipChangesSchema>;

export const TrainingInputSchema = InputObject({ date: DateString(), topic: Type.String({ minLength: 1, maxLength: 500 }), hours: Hours });
export type TrainingInput = Static<typeof TrainingInputSchema>;

export const TaskInputSchema = InputObject({
  description: Type.String({ minLength: 1, maxLength: 1000 }),
  since: DateString('独立承担起始日 / handled alone since'),
});
export type TaskInput = Static<typeof TaskInputSchema>;

export const ApprenticeshipSchema = Type.Object({
  id: Type.Integer(),
  postingId: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  secretary: Type.Object({ cadreId: Type.Integer(), name: Type.String() }),
  apprenticeName: Type.String(),
  apprenticePosition: nullable(Type.String()),
  startDate: Type.String(),
  status: ApprenticeshipStatusSchema,
  endDate: nullable(Type.String()),
  notes: nullable(Type.String()),
  trainings: Type.Array(Type.Object({ id: Type.Integer(), date: Type.String(), topic: Type.String(), hours: Type.Number() })),
  tasks: Type.Array(Type.Object({ id: Type.Integer(), description: Type.String(), since: Type.String() })),
});
export type Apprenticeship = Static<typeof ApprenticeshipSchema>;
export const ApprenticeshipPageSchema = pageOf(ApprenticeshipSchema);

export const ApprenticeshipListQuery = Type.Object({
  postingId: Type.Optional(Type.Integer({ minimum: 1 })),
  communityCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  status: Type.Optional(ApprenticeshipStatusSchema),
  ...PageQuery,
});
export type ApprenticeshipListInput = Static<typeof ApprenticeshipListQuery>;
