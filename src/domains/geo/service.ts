import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import { badCursor } from '../../shared/paging.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { mayTouchCommunity } from './policy.ts';
import { auditBy } from '../accounts/audit.ts';
import { ancestorCodes, naturalCode } from './codes.ts';
import * as q from './queries.ts';
import type { Division, DivisionPage, Profile, ProfileInput, SearchQuery } from './schemas.ts';

type Db = Kysely<Tables>;

export function parseCode(input: string, field = 'code'): string {
  const code = naturalCode(input);
  if (!code) {
    throw invalid(`区划代码“${input}”格式不对`, `"${input}" is not a division code`, [
      { field, message: '应为 2、4、6、9 或 12 位数字 / 2, 4, 6, 9 or 12 digits' },
    ]);
  }
  return code;
}

async function requireDivision(db: Db, input: string): Promise<q.DivisionRow> {
  const code = parseCode(input);
  const row = await q.findDivision(db, code);
  if (!row) throw notFound(`未找到区划 ${input}`, `No division with code ${input}`);
  return row;
}

/** Attaches each division's ancestor chain, looked up in one query for the whole list. */
async function present(db: Db, rows: q.DivisionRow[]): Promise<Division[]> {
  const wanted = [...new Set(rows.flatMap((r) => ancestorCodes(r.code)))];
  const names = new Map((await q.findDivisionNames(db, wanted)).map((d) => [d.code, d]));
  return rows.map((row) => ({
    code: row.code,
    fullCode: row.full_code,
    level: row.level,
    name: row.name,
    shortName: row.short_name,
    parentCode: row.parent_code,
    chain: ancestorCodes(row.code).flatMap((code) => {
      const ancestor = names.get(code);
      return ancestor ? [{ code: ancestor.code, level: ancestor.level, name: ancestor.name }] : [];
    }),
    childCount: row.child_count,
  }));
}

export async function getDivision(db: Db, input: string): Promise<Division> {
  const [division] = await present(db, [await requireDivision(db, input)]);
  return division!;
}

function cursorAfter(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{2,12}$/.test(cursor)) throw badCursor();
  return cursor;
}

function pageFrom(rows: q.DivisionRow[], limit: number) {
  const last = rows.length === limit ? rows[rows.length - 1] : undefined;
  return last ? last.code : null;
}

export async function listChildren(
  db: Db,
  input: string,
  page: { limit?: number | undefined; cursor?: string | undefined },
): Promise<DivisionPage> {
  const parent = await requireDivision(db, input);
  const limit = page.limit ?? 50;
  const rows = await q.listChildren(db, parent.code, { limit, after: cursorAfter(page.cursor) });
  return { items: await present(db, rows), nextCursor: pageFrom(rows, limit), total: parent.child_count };
}

/** GET /divisions's query: by name or pinyin initials, a level, under a division, a page. */
export type SearchInput = Static<typeof SearchQuery>;

/** Without any filter, answers the top of the tree (the provinces loaded). */
export async function searchDivisions(db: Db, input: SearchInput): Promise<DivisionPage> {
  const limit = input.limit ?? 50;
  const text = input.q?.trim();
  if (!text && !input.level && !input.within) {
    const roots = await q.listRootDivisions(db);
    return { items: await present(db, roots), nextCursor: null, total: roots.length };
  }
  const search = { text: text || undefined, level: input.level, within: input.within ? parseCode(input.within, 'within') : undefined };
  const [rows, total] = await Promise.all([
    q.searchDivisions(db, search, { limit, after: cursorAfter(input.cursor) }),
    q.countDivisions(db, search),
  ]);
  return { items: await present(db, rows), nextCursor: pageFrom(rows, limit), total };
}

async function requireCommunity(db: Db, input: string, viewer: Viewer): Promise<q.DivisionRow> {
  const division = await requireDivision(db, input);
  if (division.level !== 'community') {
    throw notFound(`${division.name}不是社区（村），没有社区档案`, `${division.name} is not a community and has no profile`);
  }
  if (!mayTouchCommunity(viewer, division.code)) {
    throw new AppError('forbidden', `${division.name}不在您的管辖范围内`, `${division.name} is outside your scope`);
  }
  return division;
}

function presentProfile(code: string, row: q.ProfileRow | undefined): Profile {
  return {
    communityCode: code,
    residents: row?.residents ?? null,
    households: row?.households ?? null,
    buildings: row?.buildings ?? null,
    notes: row?.notes ?? null,
    updatedAt: row ? row.updated_at.toISOString() : null,
    updatedBy: row?.updated_by ?? null,
  };
}

export async function getProfile(db: Db, input: string, viewer: Viewer): Promise<Profile> {
  const community = await requireCommunity(db, input, viewer);
  return presentProfile(community.code, await q.findProfile(db, community.code));
}

/** Fields left out of the input keep their stored values; null clears a field. */
export async function saveProfile(db: Db, input: string, changes: ProfileInput, viewer: Viewer): Promise<Profile> {
  const community = await requireCommunity(db, input, viewer);
  const actor = viewer.actor;
  const errors = (['residents', 'households', 'buildings'] as const).flatMap((field) => {
    const value = changes[field];
    return typeof value === 'number' && (!Number.isInteger(value) || value < 0)
      ? [{ field, message: '应为不小于 0 的整数 / must be a whole number ≥ 0' }]
      : [];
  });
  if (errors.length > 0) throw invalid('社区档案有误', 'Invalid community profile', errors);

  return db.transaction().execute(async (trx) => {
    const before = await q.findProfile(trx, community.code);
    const next = {
      community_code: community.code,
      residents: changes.residents !== undefined ? changes.residents : (before?.residents ?? null),
      households: changes.households !== undefined ? changes.households : (before?.households ?? null),
      buildings: changes.buildings !== undefined ? changes.buildings : (before?.buildings ?? null),
      notes: changes.notes !== undefined ? changes.notes : (before?.notes ?? null),
      updated_by: actor,
    };
    const saved = await q.upsertProfile(trx, next);
    await auditBy(
      trx,
      { actor },
      before ? 'community_profile.update' : 'community_profile.create',
      'community_profile',
      community.code,
      diff(before, next),
    );
    return presentProfile(community.code, saved);
  });
}

function diff(before: q.ProfileRow | undefined, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of ['residents', 'households', 'buildings', 'notes'] as const) {
    const from = before?.[key] ?? null;
    const to = after[key] ?? null;
    if (from !== to) changes[key] = { from, to };
  }
  return changes;
}
