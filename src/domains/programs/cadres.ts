import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { requireUnit } from '../units/service.ts';
import { mayRecordUnitIn } from '../units/policy.ts';
import { shanghaiToday } from '../../shared/dates.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { requireCommunity, requireProgram } from './guards.ts';
import { outOfScope } from './policy.ts';
import { presentCadre, presentPosting } from './present.ts';
import * as q from './queries.ts';
import type { Cadre, CadreChanges, CadreDetail, CadreInput, CadreListInput, CadreMatchInput, CadreMatches } from './schemas.ts';

type Db = Kysely<Tables>;

/**
 * A cadre's record is kept by the district of their unit; a cadre of a municipal unit (no
 * district) may be recorded by any district that posts them.
 */
function mayKeepCadreOf(viewer: Viewer, unit: { district_code: string | null }): boolean {
  return unit.district_code === null || mayRecordUnitIn(viewer, unit.district_code);
}

async function requireCadre(db: Db | q.Db, id: number, viewer: Viewer, mode: 'read' | 'manage'): Promise<q.CadreRow> {
  const cadre = await q.findCadre(db, id);
  if (!cadre) throw notFound(`没有干部 ${id}`, `No cadre ${id}`);
  const allowed =
    mode === 'read'
      ? await q.isCadreVisible(db, id, viewer.scopeCode)
      : mayKeepCadreOf(viewer, { district_code: cadre.unit_district_code });
  // By id, not by name: the name is what the caller may not read.
  if (!allowed) throw outOfScope(`干部 ${id}`, `Cadre ${id}`);
  return cadre;
}

function cleanText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

export async function createCadre(db: Db, input: CadreInput, viewer: Viewer): Promise<Cadre> {
  const name = input.name.trim();
  if (!name) throw invalid('干部姓名不能为空', 'A cadre needs a name', [{ field: 'name', message: 'empty' }]);
  return db.transaction().execute(async (trx) => {
    const unit = await requireUnit(trx, input.unitId, viewer);
    if (!mayKeepCadreOf(viewer, unit)) throw outOfScope(unit.name, unit.name);
    const fields = {
      name,
      unit_id: unit.id,
      position: cleanText(input.position),
      expertise: input.expertise ?? [],
      phone: cleanText(input.phone),
      notes: cleanText(input.notes),
    };
    const id = await q.insertCadre(trx, { ...fields, created_by: viewer.actor });
    // The phone stays out of the audit log: the log is read by admins, but it is kept for ever.
    await auditBy(trx, viewer, 'cadre.create', 'cadre', id, { ...fields, phone: fields.phone ? '***' : null });
    return presentCadre((await q.findCadre(trx, id))!, viewer);
  });
}

export async function updateCadre(db: Db, id: number, changes: CadreChanges, viewer: Viewer): Promise<Cadre> {
  if (changes.name !== undefined && !changes.name.trim())
    throw invalid('干部姓名不能为空', 'A cadre needs a name', [{ field: 'name', message: 'empty' }]);
  return db.transaction().execute(async (trx) => {
    const before = await requireCadre(trx, id, viewer, 'manage');
    if (changes.unitId !== undefined) {
      const unit = await requireUnit(trx, changes.unitId, viewer);
      if (!mayKeepCadreOf(viewer, unit)) throw outOfScope(unit.name, unit.name);
    }
    const fields: Partial<q.CadreFields> = {
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
      ...(changes.unitId !== undefined ? { unit_id: changes.unitId } : {}),
      ...(changes.position !== undefined ? { position: cleanText(changes.position) } : {}),
      ...(changes.expertise !== undefined ? { expertise: changes.expertise } : {}),
      ...(changes.phone !== undefined ? { phone: cleanText(changes.phone) } : {}),
      ...(changes.notes !== undefined ? { notes: cleanText(changes.notes) } : {}),
    };
    await q.updateCadre(trx, id, fields);
    await auditBy(trx, viewer, 'cadre.update', 'cadre', id, {
      ...fields,
      ...(fields.phone !== undefined ? { phone: '***' } : {}),
      before: { name: before.name, unitId: before.unit_id },
    });
    return presentCadre((await q.findCadre(trx, id))!, viewer);
  });
}

export async function getCadre(db: Db, id: number, viewer: Viewer): Promise<CadreDetail> {
  const cadre = await requireCadre(db, id, viewer, 'read');
  const today = shanghaiToday();
  const postings = await q.postingsOfCadre(db, id, viewer.scopeCode);
  return { ...presentCadre(cadre, viewer), postings: postings.map((p) => presentPosting(p, today)) };
}

export async function listCadres(db: Db, input: CadreListInput, viewer: Viewer) {
  const limit = input.limit ?? 50;
  const filter = {
    scopeCode: viewer.scopeCode,
    text: input.q?.trim() || undefined,
    unitId: input.unitId,
    unitType: input.unitType,
    expertise: input.expertise,
  };
  const [rows, total] = await Promise.all([q.listCadres(db, filter, { limit, after: idCursor(input.cursor) }), q.countCadres(db, filter)]);
  return { items: rows.map((r) => presentCadre(r, viewer)), nextCursor: nextCursor(rows, limit, (r) => r.id), total };
}

/** Links a secretary's login to the cadre (one login per cadre), or unlinks it with null. */
export async function linkCadreUser(
  db: Db,
  cadreId: number,
  userId: number | null,
  viewer: Viewer,
): Promise<{ cadreId: number; userId: number | null }> {
  return db.transaction().execute(async (trx) => {
    await requireCadre(trx, cadreId, viewer, 'manage');
    if (userId !== null) {
      const user = await q.findUserRole(trx, userId);
      if (!user) throw new AppError('not_found', `没有用户 ${userId}`, `No user ${userId}`, [{ field: 'userId', message: 'not found' }]);
      if (user.role !== 'secretary') {
        throw invalid(`用户 ${user.login} 不是书记角色`, `User ${user.login} does not have the secretary role`, [
          { field: 'userId', message: 'role must be secretary' },
        ]);
      }
    }
    await q.setUserCadre(trx, cadreId, userId);
    await auditBy(trx, viewer, 'cadre.link_user', 'cadre', cadreId, { userId });
    return { cadreId, userId };
  });
}

/**
 * Cadres whose expertise fits a community's problems. The community's top complaint categories
 * will come from the appeals rollups once evaluation exists; until then the caller names them.
 * With a program, only cadres whose unit type the program accepts are offered.
 */
export async function matchCadres(db: Db, communityCode: string, input: CadreMatchInput, viewer: Viewer): Promise<CadreMatches> {
  const community = await requireCommunity(db, communityCode, viewer, 'code');
  const program = input.programId !== undefined ? await requireProgram(db, input.programId, viewer, 'read') : undefined;
  const categories = [...new Set(input.categories)];
  const rows = await q.matchCadres(db, {
    scopeCode: viewer.scopeCode,
    categories,
    unitTypes: program?.allowed_unit_types,
    today: shanghaiToday(),
    limit: input.limit ?? 20,
  });
  return {
    communityCode: community.code,
    communityName: community.name,
    categories,
    items: rows.map((r) => ({ cadre: presentCadre(r, viewer), matched: r.matched, activePostings: r.active_postings })),
  };
}
