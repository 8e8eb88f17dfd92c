import type { Kysely, Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { findDivision } from '../geo/queries.ts';
import { parseCode } from '../geo/service.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { mayRecordUnitIn, maySeeUnit } from './policy.ts';
import * as q from './queries.ts';
import type { Unit, UnitInput, UnitListInput, UnitPage } from './schemas.ts';

type Db = Kysely<Tables>;

export function presentUnit(row: q.UnitRow): Unit {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    districtCode: row.district_code,
    districtName: row.district_name,
    parentUnitId: row.parent_unit_id,
    parentUnitName: row.parent_unit_name,
  };
}

/** Accepts 110106 or 110106000000; the division must be a loaded district. */
export async function parseDistrict(
  db: Db | Transaction<Tables>,
  input: string,
  field = 'districtCode',
): Promise<{ code: string; name: string }> {
  const code = parseCode(input, field);
  const division = await findDivision(db, code);
  if (division?.level !== 'district') {
    throw invalid(`“${input}”不是区级区划代码`, `"${input}" is not a district code`, [
      { field, message: '应为区级代码，如 110106 丰台区 / a district code such as 110106' },
    ]);
  }
  return { code: division.code, name: division.name };
}

/** A unit the viewer may see: 404 when there is none, 403 when it belongs to another district. */
export async function requireUnit(db: Db | Transaction<Tables>, id: number, viewer: Viewer, field = 'unitId'): Promise<q.UnitRow> {
  const row = await q.findUnit(db, id);
  if (!row) throw new AppError('not_found', `没有单位 ${id}`, `No unit ${id}`, [{ field, message: 'not found' }]);
  if (!maySeeUnit(viewer, row.district_code))
    throw new AppError('forbidden', `${row.name}不在您的管辖范围内`, `${row.name} is outside your scope`);
  return row;
}

export async function getUnit(db: Db, id: number, viewer: Viewer): Promise<Unit> {
  return presentUnit(await requireUnit(db, id, viewer, 'id'));
}

export async function listUnits(db: Db, input: UnitListInput, viewer: Viewer): Promise<UnitPage> {
  const limit = input.limit ?? 50;
  const after = idCursor(input.cursor);
  const filter = {
    scopeCode: viewer.scopeCode,
    text: input.q?.trim() || undefined,
    type: input.type,
    districtCode: input.districtCode ? (await parseDistrict(db, input.districtCode)).code : undefined,
  };
  const [rows, total] = await Promise.all([q.listUnits(db, filter, { limit, after }), q.countUnits(db, filter)]);
  return { items: rows.map(presentUnit), nextCursor: nextCursor(rows, limit, (row) => row.id), total };
}

export async function createUnit(db: Db, input: UnitInput, viewer: Viewer): Promise<Unit> {
  const name = input.name.trim();
  if (!name) throw invalid('单位名称不能为空', 'A unit needs a name', [{ field: 'name', message: 'empty' }]);
  const district = input.districtCode ? await parseDistrict(db, input.districtCode) : null;
  if (!mayRecordUnitIn(viewer, district?.code ?? null)) {
    throw new AppError(
      'forbidden',
      district ? `${district.name}不在您的管辖范围内` : '市级单位只能由全市范围的用户登记',
      district ? `${district.name} is outside your scope` : 'Only a city-wide user records a municipal unit',
    );
  }
  return db.transaction().execute(async (trx) => {
    if (input.parentUnitId != null) await requireUnit(trx, input.parentUnitId, viewer, 'parentUnitId');
    if (await q.findUnitByName(trx, name, district?.code ?? null)) {
      throw new AppError('conflict', `单位“${name}”已登记`, `Unit "${name}" is already registered`, [{ field: 'name', message: 'taken' }]);
    }
    const id = await q.insertUnit(trx, {
      name,
      type: input.type,
      district_code: district?.code ?? null,
      parent_unit_id: input.parentUnitId ?? null,
      created_by: viewer.actor,
    });
    await auditBy(trx, viewer, 'unit.create', 'unit', id, {
      name,
      type: input.type,
      districtCode: district?.code ?? null,
      parentUnitId: input.parentUnitId ?? null,
    });
    return presentUnit((await q.findUnit(trx, id))!);
  });
}
