import {
  sql,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type StringReference,
  type Transaction,
} from 'kysely';
import type { DivisionLevel, Tables } from '../../db/tables.ts';
import { escapeLike } from '../../shared/like.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

/** A division as read, with how many children it has (its pinyin initials only serve search). */
export type DivisionRow = Omit<Selectable<Tables['division']>, 'initials'> & { child_count: number };

export type DivisionInsert = Insertable<Tables['division']>;

// A correlated count, so that every division answers how many children it has.
const childCount = (eb: ExpressionBuilder<Tables, 'division'>) =>
  eb
    .selectFrom('division as child')
    .select(eb.fn.countAll<number>().as('n'))
    .whereRef('child.parent_code', '=', 'division.code')
    .as('child_count');

const divisionColumns = ['code', 'level', 'name', 'short_name', 'full_code', 'parent_code'] as const;

export async function findDivision(db: Db, code: string): Promise<DivisionRow | undefined> {
  return db
    .selectFrom('division')
    .select(divisionColumns)
    .select(childCount)
    .where('code', '=', code)
    .$narrowType<{ child_count: number }>()
    .executeTakeFirst();
}

export async function findDivisionNames(db: Db, codes: string[]): Promise<Array<{ code: string; level: DivisionLevel; name: string }>> {
  if (codes.length === 0) return [];
  return db.selectFrom('division').select(['code', 'level', 'name']).where('code', 'in', codes).execute();
}

export interface ListPage {
  limit: number;
  /** Codes sort the same as the national list; the last code seen is the cursor. */
  after?: string | undefined;
}

export async function listChildren(db: Db, parentCode: string, page: ListPage): Promise<DivisionRow[]> {
  let query = db.selectFrom('division').select(divisionColumns).select(childCount).where('parent_code', '=', parentCode);
  if (page.after) query = query.where('code', '>', page.after);
  return query.orderBy('code').limit(page.limit).$narrowType<{ child_count: number }>().execute();
}

export async function countChildren(db: Db, parentCode: string): Promise<number> {
  const row = await db
    .selectFrom('division')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_code', '=', parentCode)
    .executeTakeFirstOrThrow();
  return row.n;
}

export interface DivisionSearch {
  /** Matched against the Chinese name (substring) and the pinyin initials (prefix). */
  text?: string | undefined;
  level?: DivisionLevel | undefined;
  /** Only divisions at or under this code. */
  within?: string | undefined;
}

function searchQuery(db: Db, search: DivisionSearch) {
  let query = db.selectFrom('division');
  if (search.text) {
    const text = search.text;
    const pattern = `%${escapeLike(text)}%`;
    const initials = `${escapeLike(text.toLowerCase())}%`;
    query = query.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('initials', 'like', initials)]));
  }
  if (search.level) query = query.where('level', '=', search.level);
  if (search.within) query = query.where('code', 'like', `${escapeLike(search.within)}%`);
  return query;
}

export async function searchDivisions(db: Db, search: DivisionSearch, page: ListPage): Promise<DivisionRow[]> {
  let query = searchQuery(db, search).select(divisionColumns).select(childCount);
  if (page.after) query = query.where('code', '>', page.after);
  return query.orderBy('code').limit(page.limit).$narrowType<{ child_count: number }>().execute();
}

export async function countDivisions(db: Db, search: DivisionSearch): Promise<number> {
  const row = await searchQuery(db, search)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function listRootDivisions(db: Db): Promise<DivisionRow[]> {
  return db
    .selectFrom('division')
    .select(divisionColumns)
    .select(childCount)
    .where('parent_code', 'is', null)
    .orderBy('code')
    .$narrowType<{ child_count: number }>()
    .execute();
}

/**
 * Inserts new divisions and renames changed ones; a row that is already as given is left alone,
 * so loading the same data twice changes nothing. Returns how many were inserted and updated.
 */
export async function upsertDivisions(db: Db, rows: DivisionInsert[]): Promise<{ inserted: number; updated: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const result = await db
    .insertInto('division')
    .values(rows)
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          short_name: eb.ref('excluded.short_name'),
          initials: eb.ref('excluded.initials'),
        }))
        .where((eb) =>
          eb.or([
            eb('division.name', 'is distinct from', eb.ref('excluded.name')),
            eb('division.short_name', 'is distinct from', eb.ref('excluded.short_name')),
            eb('division.initials', 'is distinct from', eb.ref('excluded.initials')),
          ]),
        ),
    )
    // xmax is 0 only for a freshly inserted row version: it tells inserts from updates.
    .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
    .execute();
  const inserted = result.filter((r) => r.inserted).length;
  return { inserted, updated: result.length - inserted };
}

export async function countByLevel(db: Db, prefix: string): Promise<Record<DivisionLevel, number>> {
  const rows = await db
    .selectFrom('division')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('code', 'like', `${escapeLike(prefix)}%`)
    .groupBy('level')
    .execute();
  const counts: Record<DivisionLevel, number> = { province: 0, city: 0, district: 0, street: 0, community: 0 };
  for (const row of rows) counts[row.level] = row.n;
  return counts;
}

export type ProfileRow = Selectable<Tables['community_profile']>;

export async function findProfile(db: Db, communityCode: string): Promise<ProfileRow | undefined> {
  return db.selectFrom('community_profile').selectAll().where('community_code', '=', communityCode).executeTakeFirst();
}

export async function upsertProfile(db: Db, profile: Omit<ProfileRow, 'updated_at'>): Promise<ProfileRow> {
  const { community_code: _key, ...fields } = profile;
  return db
    .insertInto('community_profile')
    .values(profile)
    .onConflict((oc) => oc.column('community_code').doUpdateSet({ ...fields, updated_at: sql<Date>`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Fresh planner statistics for the divisions: PGlite runs no autovacuum to gather them after a load. */
export async function analyzeDivisions(db: Kysely<Tables>): Promise<void> {
  await sql`ANALYZE division`.execute(db);
}

/**
 * A read that shows a community joins its name and its street's (the community's parent), as
 * `community_name` and `street_name`; `c` and `s` are then the two divisions, for the caller's
 * own conditions. `community` is the column that holds the community's code.
 */
export function withCommunityNames<DB extends Tables, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  community: StringReference<DB, TB>,
): SelectQueryBuilder<
  DB & { c: Tables['division']; s: Tables['division'] },
  TB | 'c' | 's',
  O & { community_name: string; street_name: string }
> {
  // Kysely cannot resolve an alias join on a database type left open: the query is built on
  // Tables and given back as the caller's, which holds the same tables and the two divisions.
  const open = query as unknown as SelectQueryBuilder<Tables, keyof Tables, O>;
  return open
    .innerJoin('division as c', 'c.code', community as unknown as 'division.code')
    .innerJoin('division as s', 's.code', 'c.parent_code')
    .select(['c.name as community_name', 's.name as street_name']) as never;
}

/** A division as place names are matched against it (an import's rows, an Open311 request's address). */
export type PlaceEntry = Pick<Selectable<Tables['division']>, 'code' | 'level' | 'name' | 'short_name'>;

/** The districts, streets and communities under a code (Beijing: about 7,900 rows), in code order. */
export async function placesWithin(db: Db, code: string): Promise<PlaceEntry[]> {
  return db
    .selectFrom('division')
    .select(['code', 'level', 'name', 'short_name'])
    .where('code', 'like', `${code}%`)
    .where('level', 'in', ['district', 'street', 'community'])
    .orderBy('code')
    .execute();
}
