import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, type Transaction } from 'kysely';
import type { OrgUnitType, Tables } from '../../db/tables.ts';
import { escapeLike } from '../../shared/like.ts';
import { pageAfterId, totalOf } from '../../shared/paging.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

/** A unit as stored, with the names of its district and parent unit. */
export type UnitRow = Pick<Selectable<Tables['unit']>, 'id' | 'name' | 'type' | 'district_code' | 'parent_unit_id'> & {
  district_name: string | null;
  parent_unit_name: string | null;
};

/**
 * A unit is visible to a viewer when it is municipal (no district), lies inside the viewer's
 * scope, or the viewer's scope lies inside its district (a street user sees the district's units).
 */
export function unitVisibleTo(eb: ExpressionBuilder<Tables, 'unit'>, scopeCode: string): Expression<SqlBool> {
  return eb.or([
    eb('unit.district_code', 'is', null),
    eb('unit.district_code', 'like', `${scopeCode}%`),
    eb(sql.val(scopeCode), 'like', sql<string>`unit.district_code || '%'`),
  ]);
}

function unitQuery(db: Db) {
  return db
    .selectFrom('unit')
    .leftJoin('division as d', 'd.code', 'unit.district_code')
    .leftJoin('unit as parent', 'parent.id', 'unit.parent_unit_id')
    .select([
      'unit.id',
      'unit.name',
      'unit.type',
      'unit.district_code',
      'd.name as district_name',
      'unit.parent_unit_id',
      'parent.name as parent_unit_name',
    ]);
}

export async function findUnit(db: Db, id: number): Promise<UnitRow | undefined> {
  return unitQuery(db).where('unit.id', '=', id).executeTakeFirst();
}

export async function findUnitByName(db: Db, name: string, districtCode: string | null) {
  return db
    .selectFrom('unit')
    .select('id')
    .where('name', '=', name)
    .where(sql<string>`coalesce(district_code, '')`, '=', districtCode ?? '')
    .executeTakeFirst();
}

export interface UnitFilter {
  scopeCode: string;
  text?: string | undefined;
  type?: OrgUnitType | undefined;
  districtCode?: string | undefined;
}

function filtered(db: Db, filter: UnitFilter) {
  let query = unitQuery(db).where((eb) => unitVisibleTo(eb, filter.scopeCode));
  if (filter.text) query = query.where('unit.name', 'ilike', `%${escapeLike(filter.text)}%`);
  if (filter.type) query = query.where('unit.type', '=', filter.type);
  if (filter.districtCode) query = query.where('unit.district_code', '=', filter.districtCode);
  return query;
}

export async function listUnits(db: Db, filter: UnitFilter, page: { limit: number; after?: number | undefined }): Promise<UnitRow[]> {
  return pageAfterId(filtered(db, filter), 'unit.id', page);
}

export async function countUnits(db: Db, filter: UnitFilter): Promise<number> {
  return totalOf(db, filtered(db, filter));
}

export async function insertUnit(
  db: Db,
  unit: { name: string; type: OrgUnitType; district_code: string | null; parent_unit_id: number | null; created_by: string },
): Promise<number> {
  const row = await db.insertInto('unit').values(unit).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
