import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { AppealEventType, AppealKind, AppealStatus, AppealTable, Tables, Urgency } from '../../db/tables.ts';
import type { AppealState } from './lifecycle.ts';
import type { DeadlineRule } from './deadlines.ts';

/** All SQL of the appeals domain. Functions take the database (or a transaction) as an argument. */
type Db = Kysely<Tables> | Transaction<Tables>;

export type CategoryRow = Selectable<Tables['appeal_category']>;

export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db.selectFrom('appeal_category').selectAll().orderBy('sort').orderBy('code').execute();
}

export async function findCategory(db: Db, code: string): Promise<CategoryRow | undefined> {
  return db.selectFrom('appeal_category').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Rules that could apply to a category: the defaults and those on the category or above it. */
export async function findDeadlineRules(db: Db, lineage: string[]): Promise<DeadlineRule[]> {
  return db
    .selectFrom('deadline_rule')
    .select(['category_code as categoryCode', 'urgency', 'respond_hours as respondHours', 'handle_hours as handleHours'])
    .where((eb) => eb.or([eb('category_code', 'is', null), eb('category_code', 'in', lineage)]))
    .execute();
}

/** What a stored row holds of the lifecycle: the columns replay must reproduce. */
export function stateColumns(state: AppealState) {
  return {
    status: state.status,
    dispatched_unit: state.dispatchedUnit?.name ?? null,
    dispatched_unit_type: state.dispatchedUnit?.type ?? null,
    dispatched_at: state.dispatchedAt,
    response_due_at: state.responseDueAt,
    handling_due_at: state.handlingDueAt,
    responded_at: state.respondedAt,
    handled_at: state.handledAt,
    contacted: state.contacted,
    solved: state.solved,
    satisfaction: state.satisfaction,
    last_callback_at: state.lastCallbackAt,
    closed_at: state.closedAt,
    last_event_at: state.lastEventAt,
    version: state.version,
  };
}

export type AppealInsert = Omit<Insertable<AppealTable>, 'search_words'> & { search_words: string[] };

/**
 * A new appeal with its intake event, in one statement: the ticket number generated in the
 * appeal's own namespace (MA-YYYY-NNNNNN) when none is given. Returns the stored row, as
 * findAppeal's without the names, and the event, so that the caller can answer without reading
 * them back.
 */
export async function insertAppealWithIntake(
  db: Transaction<Tables>,
  row: Omit<AppealInsert, 'ticket_no'> & { ticket_no: string | null },
  generatedYear: string,
  intake: Omit<EventInsert, 'appeal_id' | 'seq'>,
): Promise<{ appeal: Selectable<AppealTable> & { received_key: string }; event: EventRow }> {
  const { search_words: words, ticket_no: ticketNo, ...rest } = row;
  const ticket = ticketNo ?? sql<string>`'MA-' || ${generatedYear} || '-' || lpad(nextval('appeal_ticket_seq')::text, 6, '0')`;
  const stored = await db
    .with('a', (qb) =>
      qb
        .insertInto('appeal')
        .values({ ...rest, ticket_no: ticket, search_words: textArray(words) })
        .returningAll(),
    )
    .with('e', (qb) =>
      qb
        .insertInto('appeal_event')
        .columns(['appeal_id', 'seq', 'type', 'at', 'actor', 'data'])
        .expression((eb) =>
          eb
            .selectFrom('a')
            .select([
              'a.id',
              sql.lit(1).as('seq'),
              sql.val(intake.type).as('type'),
              sql.val(intake.at).as('at'),
              sql.val(intake.actor).as('actor'),
              sql`${JSON.stringify(intake.data)}::jsonb`.as('data'),
            ]),
        )
        .returning(['seq', 'type', 'at', 'actor', 'data', 'recorded_at']),
    )
    .selectFrom(['a', 'e'])
    .selectAll('a')
    .select([
      'e.seq as event_seq',
      'e.type as event_type',
      'e.at as event_at',
      'e.actor as event_actor',
      'e.data as event_data',
      'e.recorded_at as event_recorded_at',
      sql<string>`to_char(a.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('received_key'),
    ])
    .executeTakeFirstOrThrow();
  const {
    event_seq: seq,
    event_type: type,
    event_at: at,
    event_actor: actor,
    event_data: data,
    event_recorded_at: recordedAt,
    ...appeal
  } = stored;
  return { appeal, event: { seq, type, at, actor, data, recorded_at: recordedAt } };
}

/** An appeal that named no community waits for a manual match, as an imported row matching none does. */
export async function queueUnmatched(db: Transaction<Tables>, appealId: number, reason: string): Promise<void> {
  await db.insertInto('appeal_unmatched').values({ appeal_id: appealId, import_id: null, reason }).execute();
}

export interface EventInsert {
  appeal_id: number;
  seq: number;
  type: AppealEventType;
  at: Date;
  actor: string;
  data: object;
}

/**
 * Stores the state a step led to and appends its event, in one statement. The caller holds the
 * appeal's row lock (findAppealForUpdate) and has checked its version, so nobody can have moved
 * it in between; the version is matched again all the same, and no row means "lost the race".
 */
export async function recordStep(
  db: Transaction<Tables>,
  id: number,
  expectedVersion: number,
  state: AppealState,
  overdueCounted: boolean,
  event: Omit<EventInsert, 'appeal_id' | 'seq'>,
): Promise<EventRow | undefined> {
  return db
    .with('moved', (qb) =>
      qb
        .updateTable('appeal')
        .set({ ...stateColumns(state), overdue_counted: overdueCounted })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .returning(['id', 'version']),
    )
    .insertInto('appeal_event')
    .columns(['appeal_id', 'seq', 'type', 'at', 'actor', 'data'])
    .expression((eb) =>
      eb
        .selectFrom('moved')
        .select([
          'moved.id',
          'moved.version',
          sql.val(event.type).as('type'),
          sql.val(event.at).as('at'),
          sql.val(event.actor).as('actor'),
          sql`${JSON.stringify(event.data)}::jsonb`.as('data'),
        ]),
    )
    .returning(['seq', 'type', 'at', 'actor', 'data', 'recorded_at'])
    .executeTakeFirst();
}

export type AppealRow = Selectable<AppealTable> & {
  category_name_zh: string;
  category_name_en: string;
  community_name: string | null;
  street_name: string | null;
  district_name: string;
  /** received_at as PostgreSQL prints it, to the microsecond: the paging key. */
  received_key: string;
};

/** Joins the names a list shows: category, district, street, community. */
// biome-ignore lint/complexity/noBannedTypes: `{}` is Kysely's own type for a query that selects nothing yet.
function withNames(query: SelectQueryBuilder<Tables, 'appeal', {}>) {
  return query
    .innerJoin('appeal_category as category', 'category.code', 'appeal.category_code')
    .innerJoin('division as district', 'district.code', 'appeal.district_code')
    .leftJoin('division as street', 'street.code', 'appeal.street_code')
    .leftJoin('division as community', 'community.code', 'appeal.community_code')
    .selectAll('appeal')
    .select([
      'category.name_zh as category_name_zh',
      'category.name_en as category_name_en',
      'community.name as community_name',
      'street.name as street_name',
      'district.name as district_name',
      sql<string>`to_char(appeal.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('received_key'),
    ]);
}

export async function findAppeal(db: Db, id: number): Promise<AppealRow | undefined> {
  return withNames(db.selectFrom('appeal')).where('appeal.id', '=', id).executeTakeFirst();
}

/**
 * The appeal, locked until the caller's transaction ends: a writer reads what the rollups counted
 * for it and no other writer (or the overdue sweep) can change it meanwhile. Only the appeal's
 * row is locked, not the category and division rows joined for their names.
 */
export async function findAppealForUpdate(db: Transaction<Tables>, id: number): Promise<AppealRow | undefined> {
  return withNames(db.selectFrom('appeal')).where('appeal.id', '=', id).forUpdate(['appeal']).executeTakeFirst();
}

export type EventRow = Omit<Selectable<Tables['appeal_event']>, 'appeal_id'>;

export async function listEvents(db: Db, appealId: number): Promise<EventRow[]> {
  return db
    .selectFrom('appeal_event')
    .select(['seq', 'type', 'at', 'actor', 'data', 'recorded_at'])
    .where('appeal_id', '=', appealId)
    .orderBy('seq')
    .execute();
}

export interface AppealFilter {
  /** The viewer's scope, natural code ('' = everywhere). */
  scope: string;
  division?: string | undefined;
  /** Codes of the category and everything under it. */
  category?: string | undefined;
  kinds?: AppealKind[] | undefined;
  statuses?: AppealStatus[] | undefined;
  urgency?: Urgency | undefined;
  /** Overdue as of this time (true) or not overdue as of it (false). */
  overdue?: { at: Date; is: boolean } | undefined;
  receivedFrom?: Date | undefined;
  receivedBefore?: Date | undefined;
  /** Every word must be among the appeal's words; or the text is its ticket number. */
  text?: { words: string[]; ticketNo: string } | undefined;
}

type AppealEb = ExpressionBuilder<Tables, 'appeal'>;

/**
 * Inside a division, by the appeal's place at the matching level: equality on the indexed
 * community, street or district column (the CHECKs keep the three consistent).
 */
function withinDivision(eb: AppealEb, code: string): Expression<SqlBool> {
  switch (code.length) {
    case 0:
      return sql<boolean>`true`;
    case 6:
      return eb('appeal.district_code', '=', code);
    case 9:
      return eb('appeal.street_code', '=', code);
    case 12:
      return eb('appeal.community_code', '=', code);
    default:
      return eb('appeal.district_code', 'like', `${escapeLike(code)}%`);
  }
}

const overdueAt = (at: Date) => sql<boolean>`(
  (appeal.responded_at IS NULL AND appeal.response_due_at IS NOT NULL AND appeal.response_due_at < ${at})
  OR (appeal.handled_at IS NULL AND appeal.handling_due_at IS NOT NULL AND appeal.handling_due_at < ${at}))`;

function matching(db: Db, filter: AppealFilter) {
  return db.selectFrom('appeal').where((eb) => {
    const all: Array<Expression<SqlBool>> = [withinDivision(eb, filter.scope)];
    if (filter.division !== undefined) all.push(withinDivision(eb, filter.division));
    if (filter.category !== undefined) {
      const code = filter.category;
      all.push(
        eb(
          'appeal.category_code',
          'in',
          eb
            .selectFrom('appeal_category as c')
            .select('c.code')
            .where((c) => c.or([c('c.code', '=', code), c('c.code', 'like', `${escapeLike(code)}.%`)])),
        ),
      );
    }
    if (filter.kinds?.length) all.push(eb('appeal.kind', 'in', filter.kinds));
    if (filter.statuses?.length) all.push(eb('appeal.status', 'in', filter.statuses));
    if (filter.urgency) all.push(eb('appeal.urgency', '=', filter.urgency));
    if (filter.overdue) all.push(filter.overdue.is ? overdueAt(filter.overdue.at) : eb.not(overdueAt(filter.overdue.at)));
    if (filter.receivedFrom) all.push(eb('appeal.received_at', '>=', filter.receivedFrom));
    if (filter.receivedBefore) all.push(eb('appeal.received_at', '<', filter.receivedBefore));
    if (filter.text) {
      const { words, ticketNo } = filter.text;
      const byTicket = eb('appeal.ticket_no', '=', ticketNo);
      all.push(words.length > 0 ? eb.or([sql<boolean>`appeal.search_words @> ${textArray(words)}`, byTicket]) : byTicket);
    }
    return eb.and(all);
  });
}

export interface PageAfter {
  receivedKey: string;
  id: number;
}

/** Newest first; the page after a cursor continues strictly below its (received_at, id). */
export async function listAppeals(db: Db, filter: AppealFilter, limit: number, after?: PageAfter): Promise<AppealRow[]> {
  let query = withNames(matching(db, filter));
  if (after) {
    query = query.where(sql<boolean>`(appeal.received_at, appeal.id) < (${after.receivedKey}::timestamptz, ${after.id}::bigint)`);
  }
  return query.orderBy('appeal.received_at', 'desc').orderBy('appeal.id', 'desc').limit(limit).execute();
}

/**
 * How many appeals match, counted up to `cap` + 1: a page of a filter matching millions must not
 * count them all (a district's year at Beijing's volume is a million and a half).
 */
export async function countAppeals(db: Db, filter: AppealFilter, cap: number): Promise<number> {
  const row = await db
    .selectFrom(
      matching(db, filter)
        .select(sql<number>`1`.as('one'))
        .limit(cap + 1)
        .as('matched'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** ARRAY[$1, $2, …]::text[]: one parameter per word, which both drivers pass the same way. */
function textArray(words: string[]) {
  return sql<string[]>`ARRAY[${sql.join(words.length > 0 ? words : [sql``])}]::text[]`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
