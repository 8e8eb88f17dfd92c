import { Type, type Static } from '@sinclair/typebox';
import type { OrgUnitType } from '../../db/tables.ts';
import { PageQuery, pageOf, InputObject } from '../../http/schemas.ts';

/** The kinds of organization the programs, projects and dispatch tell apart. */
export const unitTypes = [
  'party_government_agency',
  'street_office',
  'community_committee',
  'resident_unit',
  'new_economic_org',
  'new_social_org',
  'property_management',
  'property_rights',
  'utility',
  'other',
] as const satisfies readonly OrgUnitType[];

/** Chinese first, English second: used by exports and error messages. */
export const unitTypeLabels: Record<OrgUnitType, { zh: string; en: string }> = {
  party_government_agency: { zh: '党政机关', en: 'Party or government agency' },
  street_office: { zh: '街道（乡镇）', en: 'Street office' },
  community_committee: { zh: '社区（村）委员会', en: 'Community committee' },
  resident_unit: { zh: '驻区单位', en: 'Resident unit (SOE, institution)' },
  new_economic_org: { zh: '新经济组织', en: 'New economic organization' },
  new_social_org: { zh: '新社会组织', en: 'New social organization' },
  property_management: { zh: '物业服务企业', en: 'Property-management company' },
  property_rights: { zh: '产权单位', en: 'Property-rights unit' },
  utility: { zh: '公用事业单位', en: 'Utility' },
  other: { zh: '其他', en: 'Other' },
};

export const UnitTypeSchema = Type.Union(
  unitTypes.map((t) => Type.Literal(t)),
  {
    description: unitTypes.map((t) => `${t} ${unitTypeLabels[t].zh}`).join(' | '),
  },
);

const DistrictCode = Type.String({ pattern: '^[0-9]{6}([0-9]{6})?$', description: '区代码，如 110106 / district code, e.g. 110106' });

export const UnitInputSchema = InputObject({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: UnitTypeSchema,
  districtCode: Type.Optional(Type.Union([DistrictCode, Type.Null()], { description: '不填为市级单位 / omit for a municipal unit' })),
  parentUnitId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
});
export type UnitInput = Static<typeof UnitInputSchema>;

export const UnitSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  type: UnitTypeSchema,
  districtCode: Type.Union([Type.String(), Type.Null()]),
  districtName: Type.Union([Type.String(), Type.Null()]),
  parentUnitId: Type.Union([Type.Integer(), Type.Null()]),
  parentUnitName: Type.Union([Type.String(), Type.Null()]),
});
export type Unit = Static<typeof UnitSchema>;

export const UnitPageSchema = pageOf(UnitSchema);
export type UnitPage = Static<typeof UnitPageSchema>;

export const UnitListQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: '名称包含 / name contains' })),
  type: Type.Optional(UnitTypeSchema),
  districtCode: Type.Optional(DistrictCode),
  ...PageQuery,
});
export type UnitListInput = Static<typeof UnitListQuery>;

export const UnitIdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });
