import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { OrgUnitType, ProgramKind, Tables } from '../../db/tables.ts';
import { withCommunityNames } from '../geo/queries.ts';
import { escapeLike, withinScope } from '../../shared/like.ts';
import { pageAfterId, totalOf } from '../../shared/paging.ts';

/**
 * The SQL of cadres, programs, batches, postings and handovers. Duty days, apprenticeships and
 * the reports are in activity-queries.ts. Scope filters are applied here as SQL conditions; who
 * may do what is decided in policy.ts and the services.
 */
export type Db = Kysely<Tables> | Transaction<Tables>;

// ── cadres ──────────────────────────────────────────────────────────────────────────────────
export interface CadreRow {
  id: number;
  name: string;
  unit_id: number;
  unit_name: string;
  unit_type: OrgUnitType;
  unit_district_code: string | null;
  position: string | null;
  expertise: string[];
  phone: string | null;
  notes: string | null;
}

const cadreQuery = (db: Db) =>
  db
    .selectFrom('cadre as cd')
    .innerJoin('unit as u', 'u.id', 'cd.unit_id')
    .select([
      'cd.id',
      'cd.name',
      'cd.unit_id',
      'u.name as unit_name',
      'u.type as unit_type',
      'u.district_code as unit_district_code',
      'cd.position',
      'cd.expertise',
      'cd.phone',
      'cd.notes',
    ]);

/**
 * A cadre is visible to a viewer whose scope relates to the cadre's unit (see unitVisibleTo) or
 * who holds a community the cadre is or was posted to.
 */
function cadreVisibleTo(
  eb: ExpressionBuilder<Tables & { cd: Tables['cadre']; u: Tables['unit'] }, 'cd' | 'u'>,
  scopeCode: string,
): Expression<SqlBool> {
  return eb.or([
    eb('u.district_code', 'is', null),
    eb('u.district_code', 'like', withinScope(scopeCode)),
    eb(sql.val(scopeCode), 'like', sql<string>`u.district_code || '%'`),
    eb.exists(
      eb
        .selectFrom('posting as vp')
        .select(sql`1`.as('one'))
        .whereRef('vp.cadre_id', '=', 'cd.id')
        .where('vp.community_code', 'like', withinScope(scopeCode)),
    ),
  ]);
}

export async function findCadre(db: Db, id: number): Promise<CadreRow | undefined> {
  return cadreQuery(db).where('cd.id', '=', id).executeTakeFirst();
}

export async function isCadreVisible(db: Db, id: number, scopeCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('cadre as cd')
    .innerJoin('unit as u', 'u.id', 'cd.unit_id')
    .select('cd.id')
    .where('cd.id', '=', id)
    .where((eb) => cadreVisibleTo(eb, scopeCode))
    .executeTakeFirst();
  return row !== undefined;
}

export interface CadreFilter {
  scopeCode: string;
  text?: string | undefined;
  unitId?: number | undefined;
  unitType?: OrgUnitType | undefined;
  expertise?: string | undefined;
}

function filteredCadres(db: Db, filter: CadreFilter) {
  let query = cadreQuery(db).where((eb) => cadreVisibleTo(eb, filter.scopeCode));
  if (filter.text) query = query.where('cd.name', 'like', `%${escapeLike(filter.text)}%`);
  if (filter.unitId !== undefined) query = query.where('cd.unit_id', '=', filter.unitId);
  if (filter.unitType) query = query.where('u.type', '=', filter.unitType);
  if (filter.expertise) query = query.where(sql<boolean>`${filter.expertise} = ANY (cd.expertise)`);
  return query;
}

export async function listCadres(db: Db, filter: CadreFilter, page: { limit: number; after?: number | undefined }): Promise<CadreRow[]> {
  return pageAfterId(filteredCadres(db, filter), 'cd.id', page);
}

export async function countCadres(db: Db, filter: CadreFilter): Promise<number> {
  return totalOf(db, filteredCadres(db, filter));
}

export interface CadreFields {
  name: string;
  unit_id: number;
  position: string | null;
  expertise: string[];
  phone: string | null;
  notes: string | null;
}

export async function insertCadre(db: Db, cadre: CadreFields & { created_by: string }): Promise<number> {
  return (await db.insertInto('cadre').values(cadre).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateCadre(db: Db, id: number, changes: Partial<CadreFields>): Promise<void> {
  await db
    .updateTable('cadre')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** The cadre a login belongs to (accounts keeps the column; the programs give it meaning). */
export async function cadreIdOfUser(db: Db, userId: number): Promise<number | null> {
  const row = await db.selectFrom('app_user').select('cadre_id').where('id', '=', userId).executeTakeFirst();
  return row?.cadre_id ?? null;
}

export async function findUserRole(db: Db, userId: number) {
  return db.selectFrom('app_user').select(['id', 'login', 'role', 'cadre_id']).where('id', '=', userId).executeTakeFirst();
}

export async function setUserCadre(db: Db, cadreId: number, userId: number | null): Promise<void> {
  await db.updateTable('app_user').set({ cadre_id: null }).where('cadre_id', '=', cadreId).execute();
  if (userId !== null) await db.updateTable('app_user').set({ cadre_id: cadreId }).where('id', '=', userId).execute();
}

export interface CadreMatchRow extends CadreRow {
  matched: string[];
  active_postings: number;
}

/**
 * Cadres whose expertise fits the categories, best fit first. A tag fits a category when it is
 * the category, a parent of it (parking fits parking.shortage) or a child of it.
 */
export async function matchCadres(
  db: Db,
  input: { scopeCode: string; categories: string[]; unitTypes?: OrgUnitType[] | undefined; today: string; limit: number },
): Promise<CadreMatchRow[]> {
  const matched = sql<string[] | null>`(
    SELECT array_agg(DISTINCT t.tag ORDER BY t.tag)
    FROM unnest(cd.expertise) AS t(tag), unnest(${sql.val(input.categories)}::text[]) AS k(category)
    WHERE t.tag = k.category OR starts_with(k.category, t.tag || '.') OR starts_with(t.tag, k.category || '.')
  )`;
  const active = sql<number>`(
    SELECT count(*) FROM posting ap
    WHERE ap.cadre_id = cd.id AND (ap.end_date IS NULL OR ap.end_date >= ${input.today})
  )`;
  let inner = cadreQuery(db)
    .select([matched.as('matched'), active.as('active_postings')])
    .where((eb) => cadreVisibleTo(eb, input.scopeCode));
  if (input.unitTypes) inner = inner.where('u.type', 'in', input.unitTypes);
  return db
    .selectFrom(inner.as('m'))
    .selectAll()
    .where('m.matched', 'is not', null)
    .orderBy(sql`cardinality(m.matched)`, 'desc')
    .orderBy('m.active_postings')
    .orderBy('m.id')
    .limit(input.limit)
    .$narrowType<{ matched: string[] }>()
    .execute();
}

// ── programs ────────────────────────────────────────────────────────────────────────────────
export interface ProgramRow {
  id: number;
  kind: ProgramKind;
  name: string;
  district_code: string;
  district_name: string;
  min_duty_days_per_week: number;
  term_months: number | null;
  allowed_unit_types: OrgUnitType[];
  batch_count: number;
  /** The latest on-site day logged on any of its postings: where its history ends. */
  last_duty_day: string | null;
}

const programQuery = (db: Db) =>
  db
    .selectFrom('program as pr')
    .innerJoin('division as d', 'd.code', 'pr.district_code')
    .select([
      'pr.id',
      'pr.kind',
      'pr.name',
      'pr.district_code',
      'd.name as district_name',
      'pr.min_duty_days_per_week',
      'pr.term_months',
      'pr.allowed_unit_types',
    ])
    .select((eb) =>
      eb.selectFrom('batch').select(eb.fn.countAll<number>().as('n')).whereRef('batch.program_id', '=', 'pr.id').as('batch_count'),
    )
    .select((eb) =>
      eb
        .selectFrom('duty_day as dd')
        .innerJoin('posting as po', 'po.id', 'dd.posting_id')
        .select((sub) => sub.fn.max('dd.duty_date').as('d'))
        .whereRef('po.program_id', '=', 'pr.id')
        .as('last_duty_day'),
    )
    .$narrowType<{ batch_count: number; last_duty_day: string | null }>();

export async function findProgram(db: Db, id: number): Promise<ProgramRow | undefined> {
  return programQuery(db).where('pr.id', '=', id).executeTakeFirst();
}

export async function findProgramByName(db: Db, districtCode: string, name: string) {
  return db.selectFrom('program').select('id').where('district_code', '=', districtCode).where('name', '=', name).executeTakeFirst();
}

export interface ProgramFilter {
  scopeCode: string;
  districtCode?: string | undefined;
  kind?: ProgramKind | undefined;
}

function filteredPrograms(db: Db, filter: ProgramFilter) {
  // The mirror of mayReadDistrict: the district lies in the scope, or the scope in the district.
  let query = programQuery(db).where((eb) =>
    eb.or([
      eb('pr.district_code', 'like', withinScope(filter.scopeCode)),
      eb(sql.val(filter.scopeCode), 'like', sql<string>`pr.district_code || '%'`),
    ]),
  );
  if (filter.districtCode) query = query.where('pr.district_code', '=', filter.districtCode);
  if (filter.kind) query = query.where('pr.kind', '=', filter.kind);
  return query;
}

export async function listPrograms(
  db: Db,
  filter: ProgramFilter,
  page: { limit: number; after?: number | undefined },
): Promise<ProgramRow[]> {
  return pageAfterId(filteredPrograms(db, filter), 'pr.id', page);
}

export async function countPrograms(db: Db, filter: ProgramFilter): Promise<number> {
  return totalOf(db, filteredPrograms(db, filter));
}

export async function insertProgram(db: Db, program: Omit<Insertable<Tables['program']>, 'id' | 'created_at'>): Promise<number> {
  return (await db.insertInto('program').values(program).returning('id').executeTakeFirstOrThrow()).id;
}

// ── batches ─────────────────────────────────────────────────────────────────────────────────
export interface BatchRow {
  id: number;
  program_id: number;
  number: number;
  start_date: string;
  end_date: string | null;
  notes: string | null;
  community_count: number;
  posting_count: number;
}

const batchQuery = (db: Db) =>
  db
    .selectFrom('batch as b')
    .select(['b.id', 'b.program_id', 'b.number', 'b.start_date', 'b.end_date', 'b.notes'])
    .select((eb) => [
      eb
        .selectFrom('batch_community as bc')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('bc.batch_id', '=', 'b.id')
        .as('community_count'),
      eb.selectFrom('posting as bp').select(eb.fn.countAll<number>().as('n')).whereRef('bp.batch_id', '=', 'b.id').as('posting_count'),
    ])
    .$narrowType<{ community_count: number; posting_count: number }>();

export async function findBatch(db: Db, id: number): Promise<BatchRow | undefined> {
  return batchQuery(db).where('b.id', '=', id).executeTakeFirst();
}

export async function findBatchByNumber(db: Db, programId: number, number: number): Promise<BatchRow | undefined> {
  return batchQuery(db).where('b.program_id', '=', programId).where('b.number', '=', number).executeTakeFirst();
}

/** A program has a handful of batches (one every year or two), so they are listed whole. */
export async function listBatches(db: Db, programId: number): Promise<BatchRow[]> {
  return batchQuery(db).where('b.program_id', '=', programId).orderBy('b.number').execute();
}

export async function insertBatch(
  db: Db,
  batch: { program_id: number; number: number; start_date: string; end_date: string | null; notes: string | null; created_by: string },
): Promise<number> {
  return (await db.insertInto('batch').values(batch).returning('id').executeTakeFirstOrThrow()).id;
}

export interface BatchCommunityRow {
  batch_id: number;
  community_code: string;
  community_name: string;
  street_name: string;
  selection_evidence: unknown;
  added_at: Date;
  joined_on: string;
  posting_id: number | null;
  cadre_id: number | null;
  cadre_name: string | null;
}

/** The batch's communities with whoever holds each of them in this program today. */
export async function listBatchCommunities(
  db: Db,
  batchId: number,
  input: { scopeCode: string; today: string; limit: number; after?: string | undefined },
): Promise<BatchCommunityRow[]> {
  const communities = db.selectFrom('batch_community as bc').innerJoin('batch as b', 'b.id', 'bc.batch_id');
  let query = withCommunityNames(communities, 'bc.community_code')
    .leftJoin('posting as p', (join) =>
      join
        .onRef('p.program_id', '=', 'b.program_id')
        .onRef('p.community_code', '=', 'bc.community_code')
        .on('p.start_date', '<=', input.today)
        .on((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>=', input.today)])),
    )
    .leftJoin('cadre as cd', 'cd.id', 'p.cadre_id')
    .select([
      'bc.batch_id',
      'bc.community_code',
      'bc.selection_evidence',
      'bc.added_at',
      'bc.joined_on',
      'p.id as posting_id',
      'cd.id as cadre_id',
      'cd.name as cadre_name',
    ])
    .where('bc.batch_id', '=', batchId)
    .where('bc.community_code', 'like', withinScope(input.scopeCode));
  if (input.after) query = query.where('bc.community_code', '>', input.after);
  return query.orderBy('bc.community_code').limit(input.limit).execute();
}

export async function countBatchCommunities(db: Db, batchId: number, scopeCode: string): Promise<number> {
  const row = await db
    .selectFrom('batch_community')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batch_id', '=', batchId)
    .where('community_code', 'like', withinScope(scopeCode))
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function batchCoversCommunity(db: Db, batchId: number, communityCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('batch_community')
    .select('batch_id')
    .where('batch_id', '=', batchId)
    .where('community_code', '=', communityCode)
    .executeTakeFirst();
  return row !== undefined;
}

export async function coveredAmong(db: Db, batchId: number, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .selectFrom('batch_community')
    .select('community_code')
    .where('batch_id', '=', batchId)
    .where('community_code', 'in', codes)
    .execute();
  return rows.map((r) => r.community_code);
}

export async function insertBatchCommunities(
  db: Db,
  rows: Array<{ batch_id: number; community_code: string; selection_evidence: string; added_by: string; joined_on: string }>,
): Promise<void> {
  if (rows.length > 0) await db.insertInto('batch_community').values(rows).execute();
}

// ── postings ────────────────────────────────────────────────────────────────────────────────
const postingColumns = [
  'id',
  'program_id',
  'batch_id',
  'community_code',
  'cadre_id',
  'role',
  'kind',
  'predecessor_posting_id',
  'start_date',
  'end_date',
] as const;
/** The bare posting: what the rules about postings read. */
export type PostingRow = Pick<Selectable<Tables['posting']>, (typeof postingColumns)[number]>;

/** The bare posting; `lock` takes a row lock so that ending it and logging on it do not cross. */
export async function findPosting(db: Db, id: number, lock = false): Promise<PostingRow | undefined> {
  let query = db.selectFrom('posting').select(postingColumns).where('id', '=', id);
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface PostingViewRow extends PostingRow {
  program_name: string;
  batch_number: number;
  community_name: string;
  street_name: string;
  cadre_name: string;
  unit_id: number;
  unit_name: string;
  unit_type: OrgUnitType;
  cadre_position: string | null;
  successor_posting_id: number | null;
  end_reason: string | null;
  notes: string | null;
}

function postingViewQuery(db: Db) {
  const postings = db
    .selectFrom('posting as p')
    .innerJoin('program as pr', 'pr.id', 'p.program_id')
    .innerJoin('batch as b', 'b.id', 'p.batch_id');
  return withCommunityNames(postings, 'p.community_code')
    .innerJoin('cadre as cd', 'cd.id', 'p.cadre_id')
    .innerJoin('unit as u', 'u.id', 'cd.unit_id')
    .leftJoin('posting as next', 'next.predecessor_posting_id', 'p.id')
    .select([
      'p.id',
      'p.program_id',
      'p.batch_id',
      'p.community_code',
      'p.cadre_id',
      'p.role',
      'p.kind',
      'p.predecessor_posting_id',
      'p.start_date',
      'p.end_date',
      'p.end_reason',
      'p.notes',
      'pr.name as program_name',
      'b.number as batch_number',
      'cd.name as cadre_name',
      'u.id as unit_id',
      'u.name as unit_name',
      'u.type as unit_type',
      'cd.position as cadre_position',
      'next.id as successor_posting_id',
    ]);
}

export async function findPostingView(db: Db, id: number): Promise<PostingViewRow | undefined> {
  return postingViewQuery(db).where('p.id', '=', id).executeTakeFirst();
}

export interface PostingFilter {
  scopeCode: string;
  today: string;
  programId?: number | undefined;
  batchId?: number | undefined;
  communityCode?: string | undefined;
  cadreId?: number | undefined;
  status?: 'active' | 'ended' | undefined;
}

export function filteredPostings(db: Db, filter: PostingFilter) {
  let query = postingViewQuery(db).where('p.community_code', 'like', withinScope(filter.scopeCode));
  if (filter.programId !== undefined) query = query.where('p.program_id', '=', filter.programId);
  if (filter.batchId !== undefined) query = query.where('p.batch_id', '=', filter.batchId);
  if (filter.communityCode) query = query.where('p.community_code', '=', filter.communityCode);
  if (filter.cadreId !== undefined) query = query.where('p.cadre_id', '=', filter.cadreId);
  if (filter.status === 'active') query = query.where((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>=', filter.today)]));
  if (filter.status === 'ended') query = query.where('p.end_date', '<', filter.today);
  return query;
}

export async function listPostings(
  db: Db,
  filter: PostingFilter,
  page: { limit: number; after?: number | undefined },
): Promise<PostingViewRow[]> {
  return pageAfterId(filteredPostings(db, filter), 'p.id', page);
}

export async function countPostings(db: Db, filter: PostingFilter): Promise<number> {
  return totalOf(db, filteredPostings(db, filter));
}

/** A community's secretaries in every program, in the order they served. */
export async function postingsOfCommunity(db: Db, communityCode: string): Promise<PostingViewRow[]> {
  return postingViewQuery(db).where('p.community_code', '=', communityCode).orderBy('p.program_id').orderBy('p.start_date').execute();
}

/** A cadre's record: their postings inside the scope, first to last. */
export async function postingsOfCadre(db: Db, cadreId: number, scopeCode: string): Promise<PostingViewRow[]> {
  return postingViewQuery(db)
    .where('p.cadre_id', '=', cadreId)
    .where('p.community_code', 'like', withinScope(scopeCode))
    .orderBy('p.start_date')
    .execute();
}

/** Another posting of the program in the community whose dates meet [start, end]. */
export async function findOverlappingPosting(
  db: Db,
  input: { programId: number; communityCode: string; start: string; end: string | null; exceptId?: number },
) {
  let query = postingViewQuery(db)
    .where('p.program_id', '=', input.programId)
    .where('p.community_code', '=', input.communityCode)
    .where((eb) => eb.or([eb('p.end_date', 'is', null), eb('p.end_date', '>=', input.start)]));
  if (input.end !== null) query = query.where('p.start_date', '<=', input.end);
  if (input.exceptId !== undefined) query = query.where('p.id', '!=', input.exceptId);
  return query.orderBy('p.start_date').executeTakeFirst();
}

export async function insertPosting(
  db: Db,
  posting: Omit<PostingRow, 'id'> & { notes: string | null; created_by: string },
): Promise<number> {
  return (await db.insertInto('posting').values(posting).returning('id').executeTakeFirstOrThrow()).id;
}

export async function setPostingEnd(db: Db, id: number, endDate: string, reason: string | null): Promise<void> {
  await db.updateTable('posting').set({ end_date: endDate, end_reason: reason }).where('id', '=', id).execute();
}

// ── handovers ───────────────────────────────────────────────────────────────────────────────
const handoverColumns = ['id', 'from_posting_id', 'to_posting_id', 'handover_date', 'notes', 'contacts', 'open_items'] as const;
export type HandoverRow = Pick<Selectable<Tables['handover']>, (typeof handoverColumns)[number]>;

export async function insertHandover(
  db: Db,
  handover: {
    from_posting_id: number;
    to_posting_id: number;
    handover_date: string;
    notes: string | null;
    contacts: string;
    open_items: string;
    recorded_by: string;
  },
): Promise<HandoverRow> {
  return db.insertInto('handover').values(handover).returning(handoverColumns).executeTakeFirstOrThrow();
}

/** Handovers into or out of any of these postings. */
export async function handoversOf(db: Db, postingIds: number[]): Promise<HandoverRow[]> {
  if (postingIds.length === 0) return [];
  return db
    .selectFrom('handover')
    .select(handoverColumns)
    .where((eb) => eb.or([eb('from_posting_id', 'in', postingIds), eb('to_posting_id', 'in', postingIds)]))
    .execute();
}

// ── the leader's dashboard ──────────────────────────────────────────────────────────────────
/** At most this many districts in the picker, programs, batch starts and successions in one answer. */
export const DASHBOARD_ROWS = 200;

export interface DistrictProgramsRow {
  code: string;
  name: string;
  programs: number;
}

/** The districts inside a scope, each with how many programs it runs: the dashboard's picker. */
export async function districtsWithPrograms(db: Db, scopeCode: string): Promise<DistrictProgramsRow[]> {
  return db
    .selectFrom('division as d')
    .leftJoin('program as pr', 'pr.district_code', 'd.code')
    .select(['d.code', 'd.name', (eb) => eb.fn.count<number>('pr.id').as('programs')])
    .where('d.level', '=', 'district')
    .where('d.code', 'like', withinScope(scopeCode))
    .groupBy(['d.code', 'd.name'])
    .orderBy('d.code')
    .limit(DASHBOARD_ROWS)
    .execute();
}

/** A posting is on duty on a day from its first day to its last, both included (an open end runs on). */
const onDutyOn = (date: string) => sql<SqlBool>`p.start_date <= ${date}::date AND (p.end_date IS NULL OR p.end_date >= ${date}::date)`;

export interface ProgramCoverageRow {
  id: number;
  name: string;
  kind: ProgramKind;
  postings_active: number;
  communities_covered: number;
}

/** Each program of a district with its postings on duty on a day and the communities they hold. */
export async function coverageByProgram(db: Db, districtCode: string, date: string): Promise<ProgramCoverageRow[]> {
  const rows = await sql<ProgramCoverageRow>`
    SELECT pr.id, pr.name, pr.kind,
           count(p.id)::int AS postings_active,
           count(DISTINCT p.community_code)::int AS communities_covered
    FROM program pr
    LEFT JOIN posting p ON p.program_id = pr.id AND ${onDutyOn(date)}
    WHERE pr.district_code = ${districtCode}
    GROUP BY pr.id, pr.name, pr.kind
    ORDER BY pr.id
    LIMIT ${DASHBOARD_ROWS}`.execute(db);
  return rows.rows;
}

/**
 * The district's postings on duty on a day and the communities they hold, over all its programs:
 * a community two programs post to counts once.
 */
export async function coverageOfDistrict(
  db: Db,
  districtCode: string,
  date: string,
): Promise<{ postings_active: number; communities_covered: number }> {
  const rows = await sql<{ postings_active: number; communities_covered: number }>`
    SELECT count(p.id)::int AS postings_active, count(DISTINCT p.community_code)::int AS communities_covered
    FROM posting p JOIN program pr ON pr.id = p.program_id
    WHERE pr.district_code = ${districtCode} AND ${onDutyOn(date)}`.execute(db);
  return rows.rows[0] ?? { postings_active: 0, communities_covered: 0 };
}

export interface BatchStartRow {
  batch_id: number;
  program_id: number;
  program_name: string;
  number: number;
  start_date: string;
  communities: number;
}

/** Batches of the district's programs that began between two days (both included), first first. */
export async function batchStartsBetween(db: Db, districtCode: string, from: string, to: string): Promise<BatchStartRow[]> {
  const rows = await sql<BatchStartRow>`
    SELECT b.id AS batch_id, b.program_id, pr.name AS program_name, b.number, b.start_date,
           (SELECT count(*)::int FROM batch_community bc WHERE bc.batch_id = b.id) AS communities
    FROM batch b JOIN program pr ON pr.id = b.program_id
    WHERE pr.district_code = ${districtCode} AND b.start_date BETWEEN ${from}::date AND ${to}::date
    ORDER BY b.start_date, b.program_id, b.number
    LIMIT ${DASHBOARD_ROWS}`.execute(db);
  return rows.rows;
}

export interface SuccessionMarkRow {
  posting_id: number;
  program_id: number;
  program_name: string;
  batch_number: number;
  start_date: string;
  community_code: string;
  community_name: string;
  cadre_name: string;
  predecessor_name: string | null;
}

/** Successions (接任) in the district's programs that began between two days, first first, with how many there were. */
export async function successionsBetween(
  db: Db,
  districtCode: string,
  from: string,
  to: string,
): Promise<{ rows: SuccessionMarkRow[]; total: number }> {
  const where = sql`pr.district_code = ${districtCode} AND p.kind = 'succession' AND p.start_date BETWEEN ${from}::date AND ${to}::date`;
  const [rows, total] = await Promise.all([
    sql<SuccessionMarkRow>`
      SELECT p.id AS posting_id, p.program_id, pr.name AS program_name, b.number AS batch_number, p.start_date,
             p.community_code, d.name AS community_name, cd.name AS cadre_name, pcd.name AS predecessor_name
      FROM posting p
      JOIN program pr ON pr.id = p.program_id
      JOIN batch b ON b.id = p.batch_id
      JOIN division d ON d.code = p.community_code
      JOIN cadre cd ON cd.id = p.cadre_id
      LEFT JOIN posting prev ON prev.id = p.predecessor_posting_id
      LEFT JOIN cadre pcd ON pcd.id = prev.cadre_id
      WHERE ${where}
      ORDER BY p.start_date, p.id
      LIMIT ${DASHBOARD_ROWS}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM posting p JOIN program pr ON pr.id = p.program_id WHERE ${where}`.execute(db),
  ]);
  return { rows: rows.rows, total: total.rows[0]?.n ?? 0 };
}

/** The day the district's first batch began, null before any. */
export async function firstBatchStart(db: Db, districtCode: string): Promise<string | null> {
  const row = await sql<{ first: string | null }>`
    SELECT min(b.start_date) AS first FROM batch b JOIN program pr ON pr.id = b.program_id WHERE pr.district_code = ${districtCode}`.execute(
    db,
  );
  return row.rows[0]?.first ?? null;
}
