import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery, InputObject } from '../../http/schemas.ts';
import type { AppealChannel, AppealEventType, AppealKind, AppealStatus, Satisfaction, UnitType, Urgency } from '../../db/tables.ts';
import { steps, UnitSchema, unitTypes, type Step, type Unit } from './lifecycle.ts';

export type { AppealChannel, AppealEventType, AppealKind, AppealStatus, Satisfaction, Step, UnitType, Urgency };

/** A string that is one of the values, typed as their union (ajv sees an enum, OpenAPI too). */
const oneOf = <T extends string>(values: readonly T[], description: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], description });

/**
 * A value or null as `type: [T, 'null']`, not a union: with type coercion on (for query strings),
 * Ajv would turn a JSON null into '' or false or 0 in a union's first branch (solved: null → false).
 */
const nullable = Nullable;
const time = (description: string) => Type.String({ format: 'date-time', description });
const nullableTime = (description: string) => nullable(time(description));

export const channels = ['phone', 'web', 'app', 'open311', 'walk_in'] as const satisfies readonly AppealChannel[];
export const kinds = ['complaint', 'help', 'consultation', 'suggestion', 'report', 'praise'] as const satisfies readonly AppealKind[];
export const urgencies = ['normal', 'urgent'] as const satisfies readonly Urgency[];
export const statuses = [
  'received',
  'dispatched',
  'returned',
  'responded',
  'handled',
  'called_back',
  'closed',
] as const satisfies readonly AppealStatus[];
export const satisfactions = ['satisfied', 'basically', 'unsatisfied'] as const satisfies readonly Satisfaction[];
export const eventTypes = ['received', 'imported', ...steps] as const satisfies readonly AppealEventType[];

const ChannelSchema = oneOf(channels, '渠道 / channel');
const KindSchema = oneOf(kinds, '诉求类型：投诉、求助、咨询、建议、举报、表扬 / kind');
const UrgencySchema = oneOf(urgencies, '紧急程度 / urgency');
const StatusSchema = oneOf(statuses, '状态 / status');
const SatisfactionSchema = oneOf(satisfactions, '满意、基本满意、不满意 / satisfaction');

const divisionCode = (zh: string, en: string) =>
  Type.String({ pattern: '^[0-9]{2,12}$', description: `${zh}，自然长度或 12 位补零 / ${en}, natural or 12-digit padded` });

/** The unit an appeal is dispatched to, by name and type. */
export type DispatchUnit = Unit;
export { UnitSchema, unitTypes };

export const AppealInputSchema = InputObject({
  ticketNo: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9][A-Za-z0-9_-]*$',
      description: '热线工单编号；不填则生成 MA-年份-序号 / hotline ticket number; generated as MA-YYYY-NNNNNN when absent',
    }),
  ),
  channel: ChannelSchema,
  receivedAt: Type.Optional(time('受理时间，默认现在 / received at, default now')),
  kind: KindSchema,
  categoryCode: Type.String({ minLength: 1, maxLength: 100, description: '诉求分类代码 / category code' }),
  description: Type.String({ minLength: 1, maxLength: 4000, description: '诉求内容 / description' }),
  address: Type.Optional(nullable(Type.String({ maxLength: 500 }))),
  communityCode: Type.Optional(divisionCode('社区（村）代码', 'community code')),
  streetCode: Type.Optional(divisionCode('街道（乡镇）代码，无社区时填', 'street code, when no community is known')),
  districtCode: Type.Optional(divisionCode('区代码，无街道时填', 'district code, when no street is known')),
  reporterName: Type.Optional(
    nullable(Type.String({ maxLength: 50, description: '诉求人姓名（个人信息）/ reporter name (personal data)' })),
  ),
  reporterPhone: Type.Optional(
    nullable(
      Type.String({ maxLength: 30, pattern: '^[0-9+\\- ()]*$', description: '诉求人电话（个人信息）/ reporter phone (personal data)' }),
    ),
  ),
  urgency: Type.Optional(UrgencySchema),
  historical: Type.Optional(Type.Boolean({ description: '历史遗留问题 / long-standing problem' })),
  duplicateOf: Type.Optional(nullable(Type.Integer({ minimum: 1, description: '重复件对应的诉求 id / id of the appeal this repeats' }))),
});
export type AppealInput = Static<typeof AppealInputSchema>;

const appealFields = {
  id: Type.Integer(),
  ticketNo: Type.String(),
  channel: ChannelSchema,
  receivedAt: time('受理时间 / received at'),
  kind: KindSchema,
  categoryCode: Type.String(),
  categoryNameZh: Type.String(),
  categoryNameEn: Type.String(),
  description: Type.String(),
  address: nullable(Type.String()),
  communityCode: nullable(Type.String()),
  communityName: nullable(Type.String()),
  streetCode: nullable(Type.String()),
  streetName: nullable(Type.String()),
  districtCode: Type.String(),
  districtName: Type.String(),
  reporterName: nullable(Type.String()),
  reporterPhone: nullable(Type.String()),
  personalDataMasked: Type.Boolean({ description: '姓名电话已打码 / name and phone are masked' }),
  urgency: UrgencySchema,
  historical: Type.Boolean(),
  duplicateOf: nullable(Type.Integer()),
  status: StatusSchema,
  dispatchedUnit: nullable(UnitSchema),
  dispatchedAt: nullableTime('派单时间 / dispatched at'),
  responseDueAt: nullableTime('响应时限 / response due'),
  handlingDueAt: nullableTime('办理时限 / handling due'),
  respondedAt: nullableTime('响应时间 / responded at'),
  handledAt: nullableTime('办理时间 / handled at'),
  contacted: nullable(Type.Boolean({ description: '最近一次回访是否联系上 / latest callback reached the resident' })),
  solved: nullable(Type.Boolean({ description: '最近一次回访：是否解决 / latest callback: solved' })),
  satisfaction: nullable(SatisfactionSchema),
  lastCallbackAt: nullableTime('最近回访时间 / latest callback at'),
  closedAt: nullableTime('办结时间 / closed at'),
  lastEventAt: time('最近一步的时间 / time of the latest step'),
  overdue: Type.Boolean({ description: '超时未响应或未办结 / past a due time without response or result' }),
  version: Type.Integer({ description: '提交下一步时作为 expectedVersion / send as expectedVersion with the next step' }),
  createdAt: time('录入时间 / recorded at'),
  createdBy: Type.String(),
};

export const AppealSchema = Type.Object(appealFields, { $id: 'Appeal' });
export type Appeal = Static<typeof AppealSchema>;

export const AppealEventSchema = Type.Object(
  {
    seq: Type.Integer(),
    type: oneOf(eventTypes, '事件类型 / event type'),
    at: time('发生时间 / when it happened'),
    actor: Type.String(),
    // Each type has its own fields (lifecycle.ts EventDataByType); read as a record, not as `{}`.
    data: Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true })),
    recordedAt: time('记录时间 / when it was recorded'),
  },
  { $id: 'AppealEvent' },
);
export type AppealEventView = Static<typeof AppealEventSchema>;

export const AppealDetailSchema = Type.Object({
  ...appealFields,
  events: Type.Array(Type.Ref(AppealEventSchema)),
  nextSteps: Type.Array(oneOf(steps, '步骤 / step'), { description: '当前状态下本人可以执行的步骤 / steps this viewer may take now' }),
});
export type AppealDetail = Static<typeof AppealDetailSchema>;

export const AppealPageSchema = Type.Object({
  items: Type.Array(Type.Ref(AppealSchema)),
  nextCursor: nullable(Type.String()),
  total: Type.Integer({ description: '符合条件的诉求数，最多数到上限 / matching appeals, counted up to a cap' }),
  totalCapped: Type.Boolean({
    description:
      '为真时符合条件的诉求多于 total（显示为“10,000+”），全部数完太慢 / true when more than `total` match (shown as "10,000+"): counting them all would be slow',
  }),
});
export type AppealPage = Static<typeof AppealPageSchema>;

const dayOrTime = (zh: string, en: string) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
    format: 'day-or-time',
    description: `${zh}：日期（北京时间）或带时区的时间 / ${en}: a date (Beijing time) or a time with zone`,
  });

export const AppealListQuery = InputObject({
  division: Type.Optional(divisionCode('区划（任意层级）', 'division at any level')),
  category: Type.Optional(Type.String({ maxLength: 100, description: '分类代码，含下级 / category code, with its children' })),
  kind: Type.Optional(Type.Array(KindSchema, { maxItems: 10 })),
  status: Type.Optional(Type.Array(StatusSchema, { maxItems: 10 })),
  urgency: Type.Optional(UrgencySchema),
  overdue: Type.Optional(Type.Boolean({ description: '只看超时（true）或未超时（false）/ only overdue (true) or not (false)' })),
  receivedFrom: Type.Optional(dayOrTime('受理时间起（含）', 'received from (inclusive)')),
  receivedTo: Type.Optional(dayOrTime('受理时间止（日期含当天）', 'received until (a date includes that day)')),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: '全文检索诉求内容和地址，或工单编号 / words in description and address, or a ticket number',
    }),
  ),
  ...PageQuery,
});
export type AppealListInput = Static<typeof AppealListQuery>;

export const AppealIdParam = Type.Object({ id: Type.Integer({ minimum: 1, description: '诉求 id / appeal id' }) });

export const EventInputSchema = InputObject({
  type: oneOf(steps, '步骤：派单、退单、响应、办理、回访、办结、重启 / step'),
  expectedVersion: Type.Integer({ minimum: 1, description: '读到的 version；已被他人改动则 409 / the version read; 409 if it moved' }),
  at: Type.Optional(time('发生时间，默认现在 / when it happened, default now')),
  unit: Type.Optional(UnitSchema),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: '退单或重启理由 / reason to return or reopen' })),
  result: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: '办理结果 / what was done' })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  contacted: Type.Optional(Type.Boolean()),
  solved: Type.Optional(nullable(Type.Boolean())),
  satisfaction: Type.Optional(nullable(SatisfactionSchema)),
  to: Type.Optional(oneOf(['dispatched', 'received'] as const, '重启到：原单位或重新受理 / reopen to the last unit or to intake')),
});
export type EventInput = Static<typeof EventInputSchema>;

export const CategorySchema = Type.Object(
  {
    code: Type.String(),
    parentCode: nullable(Type.String()),
    nameZh: Type.String(),
    nameEn: Type.String(),
    sort: Type.Integer(),
  },
  { $id: 'AppealCategory' },
);
export type Category = Static<typeof CategorySchema>;
export const CategoryListSchema = Type.Object({ items: Type.Array(Type.Ref(CategorySchema)), total: Type.Integer() });
export type CategoryList = Static<typeof CategoryListSchema>;

/** The reporter unmasked (GET /appeals/{id}/reporter, written to the audit log). */
export const ReporterSchema = Type.Object({ reporterName: nullable(Type.String()), reporterPhone: nullable(Type.String()) });
export type Reporter = Static<typeof ReporterSchema>;
