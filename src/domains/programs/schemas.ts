import { Type, type Static } from '@sinclair/typebox';
import type { ApprenticeshipStatus, PostingKind, ProgramKind } from '../../db/tables.ts';
import { Nullable, PageQuery, pageOf, InputObject } from '../../http/schemas.ts';
import { DateString } from '../../shared/dates.ts';
import { UnitTypeSchema } from '../units/schemas.ts';

// A JSON null stays null under the query-string type coercion (see Nullable).
const nullable = Nullable;
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const id = () => Type.Integer({ minimum: 1 });
/** Free notes on a record, optional in every input that takes them, null to clear. */
export const notesInput = () => Type.Optional(nullable(Type.String({ maxLength: 4000 })));
const CommunityCode = Type.String({ pattern: '^[0-9]{12}$', description: '社区（村）代码 / community code, e.g. 110106008028' });

export const programKinds = ['governance_secretary', 'first_secretary', 'custom'] as const satisfies readonly ProgramKind[];
export const postingKinds = ['new', 'renewal', 'succession'] as const satisfies readonly PostingKind[];
export const apprenticeshipStatuses = ['active', 'completed', 'ended'] as const satisfies readonly ApprenticeshipStatus[];

export const ProgramKindSchema = Type.Union(
  programKinds.map((k) => Type.Literal(k)),
  {
    description: 'governance_secretary 治理书记 | first_secretary 第一书记 | custom 其他',
  },
);
export const PostingKindSchema = Type.Union(
  postingKinds.map((k) => Type.Literal(k)),
  { description: 'new 新任 | renewal 续任 | succession 接任' },
);
export const PostingStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('ended')], {
  description: 'active 在岗 | ended 已离任',
});
export const ApprenticeshipStatusSchema = Type.Union(
  apprenticeshipStatuses.map((s) => Type.Literal(s)),
  {
    description: 'active 带教中 | completed 已出师 | ended 已终止',
  },
);

/** Problem categories in the appeal category codes: parking, elevator.renewal, gas.connection, … */
export const CategoryCode = Type.String({
  pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$',
  maxLength: 64,
  description: '问题类别 / problem category, e.g. parking',
});

export const IdParam = Type.Object({ id: id() });
export const CommunityParam = Type.Object({ code: Type.String({ pattern: '^[0-9]{12}$', description: '社区代码 / community code' }) });

// ── cadres ──────────────────────────────────────────────────────────────────────────────────
export const CadreInputSchema = InputObject({
  name: text(100),
  unitId: id(),
  position: Type.Optional(nullable(Type.String({ maxLength: 200 }))),
  expertise: Type.Optional(Type.Array(CategoryCode, { maxItems: 20, uniqueItems: true })),
  phone: Type.Optional(nullable(Type.String({ pattern: '^[0-9+() -]{5,20}$' }))),
  notes: notesInput(),
});
export type CadreInput = Static<typeof CadreInputSchema>;

export const CadreChangesSchema = Type.Partial(CadreInputSchema, { additionalProperties: false });
export type CadreChanges = Static<typeof CadreChangesSchema>;

export const CadreSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  unitType: UnitTypeSchema,
  position: nullable(Type.String()),
  expertise: Type.Array(Type.String()),
  phone: nullable(Type.String({ description: '除管理员和组织部外显示为 138****5678 / masked for all but admin and org_department' })),
  notes: nullable(Type.String()),
});
export type Cadre = Static<typeof CadreSchema>;
export const CadrePageSchema = pageOf(CadreSchema);

export const CadreListQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '姓名包含 / name contains' })),
  unitId: Type.Optional(id()),
  unitType: Type.Optional(UnitTypeSchema),
  expertise: Type.Optional(CategoryCode),
  ...PageQuery,
});
export type CadreListInput = Static<typeof CadreListQuery>;

export const CadreUserBody = Type.Object(
  { userId: nullable(id()) },
  {
    additionalProperties: false,
    description: '把书记角色的登录账号关联到该干部；null 解除 / link a secretary login to the cadre; null unlinks',
  },
);

export const CadreMatchQuery = Type.Object({
  categories: Type.Array(CategoryCode, {
    minItems: 1,
    maxItems: 10,
    description: '社区的主要诉求类别 / the community’s top complaint categories',
  }),
  programId: Type.Optional(id()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type CadreMatchInput = Static<typeof CadreMatchQuery>;

// ── programs and batches ───────────────────────────────────────────────────────────────────
export const ProgramInputSchema = InputObject({
  kind: ProgramKindSchema,
  name: text(200),
  districtCode: Type.String({ pattern: '^[0-9]{6}([0-9]{6})?$', description: '区代码 / district code' }),
  minDutyDaysPerWeek: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 7,
      description: '每周最少在岗天数；第一书记默认 2 / weekly minimum; first secretaries default to 2',
    }),
  ),
  termMonths: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 120 }))),
  allowedUnitTypes: Type.Optional(Type.Array(UnitTypeSchema, { minItems: 1, uniqueItems: true })),
});
export type ProgramInput = Static<typeof ProgramInputSchema>;

export const ProgramSchema = Type.Object({
  id: Type.Integer(),
  kind: ProgramKindSchema,
  name: Type.String(),
  districtCode: Type.String(),
  districtName: Type.String(),
  minDutyDaysPerWeek: Type.Integer(),
  termMonths: nullable(Type.Integer()),
  allowedUnitTypes: Type.Array(UnitTypeSchema),
  batchCount: Type.Integer(),
  /** The latest on-site day logged in the program (YYYY-MM-DD): the compliance view ends there when it lies in the past. */
  lastDutyDay: nullable(Type.String({ format: 'date' })),
});
export type Program = Static<typeof ProgramSchema>;
export const ProgramPageSchema = pageOf(ProgramSchema);

export const ProgramListQuery = Type.Object({
  districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}([0-9]{6})?$' })),
  kind: Type.Optional(ProgramKindSchema),
  ...PageQuery,
});
export type ProgramListInput = Static<typeof ProgramListQuery>;

export const BatchInputSchema = InputObject({
  number: Type.Optional(Type.Integer({ minimum: 1, description: '不填为下一个编号 / omitted: the next number' })),
  startDate: DateString('开始 / start'),
  endDate: Type.Optional(nullable(DateString('结束；不填按任期月数推算 / end; omitted: start + term months'))),
  notes: notesInput(),
});
export type BatchInput = Static<typeof BatchInputSchema>;

export const BatchSchema = Type.Object({
  id: Type.Integer(),
  programId: Type.Integer(),
  number: Type.Integer(),
  startDate: Type.String(),
  endDate: nullable(Type.String()),
  notes: nullable(Type.String()),
  communityCount: Type.Integer(),
  postingCount: Type.Integer(),
});
export type Batch = Static<typeof BatchSchema>;
export const BatchListSchema = Type.Object({ items: Type.Array(BatchSchema), total: Type.Integer() });
export type BatchList = Static<typeof BatchListSchema>;

export const SelectionEvidenceSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: '选定时的依据快照，如 {rankAppearances: 5, note} / evidence as it stood at the time of choice',
});

export const BatchCommunitiesInput = InputObject({
  communities: Type.Array(
    Type.Object(
      { communityCode: Type.String({ pattern: '^[0-9]{12}$' }), selectionEvidence: Type.Optional(SelectionEvidenceSchema) },
      { additionalProperties: false },
    ),
    { minItems: 1, maxItems: 500 },
  ),
  joinedOn: Type.Optional(
    DateString(
      '加入日期，在批次期间内；不填为今天（批次尚未开始则为开始日）/ the day they joined, within the batch; omitted: today, or the batch start if later',
    ),
  ),
});
export type BatchCommunitiesInputType = Static<typeof BatchCommunitiesInput>;
export const BatchCommunitiesAddedSchema = Type.Object({ added: Type.Integer() });
export type BatchCommunitiesAdded = Static<typeof BatchCommunitiesAddedSchema>;

const PostingRefSchema = Type.Object({ postingId: Type.Integer(), cadreId: Type.Integer(), cadreName: Type.String() });

export const BatchCommunitySchema = Type.Object({
  batchId: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  streetName: Type.String(),
  selectionEvidence: SelectionEvidenceSchema,
  addedAt: Type.String({ format: 'date-time', description: '录入时间 / when the row was entered' }),
  joinedOn: Type.String({ format: 'date', description: '加入批次的日期 / the day the community joined the batch' }),
  currentSecretary: nullable(PostingRefSchema),
});
export type BatchCommunity = Static<typeof BatchCommunitySchema>;
export const BatchCommunityPageSchema = pageOf(BatchCommunitySchema);

// ── postings, successions, renewals ────────────────────────────────────────────────────────
export const PostingInputSchema = InputObject({
  batchId: id(),
  cadreId: id(),
  communityCode: CommunityCode,
  role: Type.Optional(ProgramKindSchema),
  startDate: Type.Optional(DateString('开始；不填为批次开始日 / start; omitted: the batch start')),
  endDate: Type.Optional(nullable(DateString('结束 / end'))),
  notes: notesInput(),
});
export type PostingInput = Static<typeof PostingInputSchema>;

export const PostingSchema = Type.Object({
  id: Type.Integer(),
  programId: Type.Integer(),
  programName: Type.String(),
  batchId: Type.Integer(),
  batchNumber: Type.Integer(),
  communityCode: Type.String(),
  communityName: Type.String(),
  streetName: Type.String(),
  cadre: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    unitId: Type.Integer(),
    unitName: Type.String(),
    unitType: UnitTypeSchema,
    position: nullable(Type.String()),
  }),
  role: ProgramKindSchema,
  kind: PostingKindSchema,
  predecessorPostingId: nullable(Type.Integer()),
  successorPostingId: nullable(Type.Integer()),
  startDate: Type.String(),
  endDate: nullable(Type.String()),
  endReason: nullable(Type.String()),
  status: PostingStatusSchema,
  notes: nullable(Type.String()),
});
export type Posting = Static<typeof PostingSchema>;
export const PostingPageSchema = pageOf(PostingSchema);

export const PostingListQuery = Type.Object({
  programId: Type.Optional(id()),
  batchId: Type.Optional(id()),
  communityCode: Type.Optional(CommunityCode),
  cadreId: Type.Optional(id()),
  status: Type.Optional(PostingStatusSchema),
  ...PageQuery,
});
export type PostingListInput = Static<typeof PostingListQuery>;

export const ContactSchema = InputObject({
  name: text(100),
  role: Type.Optional(Type.String({ maxLength: 200, description: '身份，如物业经理 / who they are, e.g. property manager' })),
  phone: Type.Optional(Type.String({ pattern: '^[0-9+() -]{5,20}$' })),
});
export const OpenItemSchema = InputObject({ description: text(1000) });

export const HandoverInputSchema = InputObject({
  date: Type.Optional(DateString('交接日；不填为接任开始日 / handover date; omitted: the successor’s start')),
  notes: Type.Optional(Type.String({ maxLength: 8000 })),
  contacts: Type.Optional(Type.Array(ContactSchema, { maxItems: 100 })),
  openItems: Type.Optional(Type.Array(OpenItemSchema, { maxItems: 200 })),
});
export type HandoverInput = Static<typeof HandoverInputSchema>;

export const HandoverSchema = Type.Object({
  id: Type.Integer(),
  fromPostingId: Type.Integer(),
  toPostingId: Type.Integer(),
  date: Type.String(),
  notes: nullable(Type.String()),
  contacts: Type.Array(Type.Object({ name: Type.String(), role: nullable(Type.String()), phone: nullable(Type.String()) })),
  openItems: Type.Array(
    Type.Object({
      description: Type.String(),
      projectId: Type.Optional(Type.Integer({ description: '移交的攻坚项目 / the open project handed over' })),
    }),
  ),
});
export type Handover = Static<typeof HandoverSchema>;

export const PostingDetailSchema = Type.Composite([
  PostingSchema,
  Type.Object({
    handoverIn: nullable(HandoverSchema),
    handoverOut: nullable(HandoverSchema),
    dutyDayCount: Type.Integer(),
    lastDutyDay: nullable(Type.String({ format: 'date' })),
  }),
]);
export type PostingDetail = Static<typeof PostingDetailSchema>;

export const EndPostingBody = InputObject({
  endDate: DateString('最后在岗日 / last day'),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});
export type EndPostingInput = Static<typeof EndPostingBody>;

export const SuccessionBody = InputObject({
  cadreId: id(),
  startDate: DateString('接任开始 / successor’s first day'),
  batchId: Type.Optional(id()),
  role: Type.Optional(ProgramKindSchema),
  notes: notesInput(),
  handover: Type.Optional(HandoverInputSchema),
});
export type SuccessionInput = Static<typeof SuccessionBody>;

export const SuccessionResultSchema = Type.Object({ predecessor: PostingSchema, successor: PostingSchema, handover: HandoverSchema });
export type SuccessionResult = Static<typeof SuccessionResultSchema>;

export const RenewalBody = InputObject({
  batchId: Type.Optional(id()),
  startDate: Type.Optional(DateString('续任开始；不填为下一批次开始日 / start; omitted: the next batch’s start')),
  endDate: Type.Optional(nullable(DateString('结束 / end'))),
  notes: notesInput(),
});
export type RenewalInput = Static<typeof RenewalBody>;

export const RenewalResultSchema = Type.Object({ previous: PostingSchema, renewal: PostingSchema });
export type RenewalResult = Static<typeof RenewalResultSchema>;

export const CommunitySecretariesSchema = Type.Object({
  communityCode: Type.String(),
  communityName: Type.String(),
  items: Type.Array(Type.Composite([PostingSchema, Type.Object({ handoverIn: nullable(HandoverSchema) })]), {
    description: '按项目、开始日排序，predecessorPostingId 连成链 / by program and start date, chained by predecessorPostingId',
  }),
});
export type CommunitySecretaries = Static<typeof CommunitySecretariesSchema>;

export const CadreDetailSchema = Type.Composite([CadreSchema, Type.Object({ postings: Type.Array(PostingSchema) })]);
export type CadreDetail = Static<typeof CadreDetailSchema>;

export const CadreMatchesSchema = Type.Object({
  communityCode: Type.String(),
  communityName: Type.String(),
  categories: Type.Array(Type.String()),
  items: Type.Array(
    Type.Object({
      cadre: CadreSchema,
      matched: Type.Array(Type.String(), { description: '与所给类别相合的专长 / expertise tags that fit' }),
      activePostings: Type.Integer({ description: '当前在岗选派数 / postings the cadre holds now' }),
    }),
  ),
});
export type CadreMatches = Static<typeof CadreMatchesSchema>;
