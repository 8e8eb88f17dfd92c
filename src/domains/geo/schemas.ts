import { Type, type Static } from '@sinclair/typebox';
import { Nullable, pageOf, PageQuery, InputObject } from '../../http/schemas.ts';

export const DivisionLevelSchema = Type.Union([
  Type.Literal('province'),
  Type.Literal('city'),
  Type.Literal('district'),
  Type.Literal('street'),
  Type.Literal('community'),
]);
export type DivisionLevel = Static<typeof DivisionLevelSchema>;

export const DivisionCodeParam = Type.Object({
  code: Type.String({
    pattern: '^[0-9]{2,12}$',
    description: '区划代码，自然长度或 12 位补零 / division code, natural length or 12-digit padded',
    examples: ['110106008028', '110106000000'],
  }),
});

export const DivisionRefSchema = Type.Object({
  code: Type.String(),
  level: DivisionLevelSchema,
  name: Type.String(),
});
/** One ancestor in a division's chain. */
export type DivisionRef = Static<typeof DivisionRefSchema>;

export const DivisionSchema = Type.Object(
  {
    code: Type.String({ description: '自然长度代码 / natural-length code' }),
    fullCode: Type.String({ description: '12 位代码 / 12-digit code' }),
    level: DivisionLevelSchema,
    name: Type.String(),
    shortName: Type.String({ description: '去掉“居委会”等后缀的名称 / name without committee suffix' }),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    chain: Type.Array(DivisionRefSchema, { description: '从省到上级 / ancestors from province to parent' }),
    childCount: Type.Integer(),
  },
  { $id: 'Division' },
);
export type Division = Static<typeof DivisionSchema>;

export const DivisionPageSchema = pageOf(Type.Ref(DivisionSchema));
export type DivisionPage = Static<typeof DivisionPageSchema>;

export const ChildrenQuery = Type.Object(PageQuery);

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '名称或拼音首字母 / name or pinyin initials' })),
  level: Type.Optional(DivisionLevelSchema),
  within: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$', description: '只查此区划之下 / only under this division' })),
  ...PageQuery,
});

const count = (zh: string, en: string) => Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000, description: `${zh} / ${en}` }));

export const ProfileInputSchema = InputObject({
  residents: Type.Optional(count('常住人口', 'residents')),
  households: Type.Optional(count('户数', 'households')),
  buildings: Type.Optional(count('楼栋数', 'buildings')),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
});
export type ProfileInput = Static<typeof ProfileInputSchema>;

export const ProfileSchema = Type.Object(
  {
    communityCode: Type.String(),
    residents: Type.Union([Type.Integer(), Type.Null()]),
    households: Type.Union([Type.Integer(), Type.Null()]),
    buildings: Type.Union([Type.Integer(), Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'CommunityProfile' },
);
export type Profile = Static<typeof ProfileSchema>;
