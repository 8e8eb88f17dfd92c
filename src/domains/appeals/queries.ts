import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type RawBuilder,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { AppealEventType, AppealKind, AppealStatus, AppealTable, Tables, Urgency } from '../../db/tables.ts';
import { batchedLookup } from '../../db/lookup.ts';
import { preparedRead } from '../../db/prepared.ts';
import { escapeLike, withinScope } from '../../shared/like.ts';
import type { CountedWrite } from '../evaluation/rollup.ts';
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
  return deadlineRules(db, lineage);
}

const deadlineRules = preparedRead((db: Kysely<Tables>, lineage: string[]) =>
  db
    .selectFrom('deadline_rule')
    .select(['category_code as categoryCode', 'urgency', 'respond_hours as respondHours', 'handle_hours as handleHours'])
    // One array parameter, whatever the lineage's depth: the text stays the same, so it is prepared.
    .where((eb) => eb.or([eb('category_code', 'is', null), eb('category_code', '=', sql<string>`ANY(${lineage}::text[])`)])),
);

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

/** An appeal as it is filed: its row, and the year of the MA- ticket made for it when it brings none. */
export interface Filing {
  row: Omit<AppealInsert, 'ticket_no'> & { ticket_no: string | null };
  ticketYear: string;
}

/**
 * What the hotline's handling changes, as the lifecycle derives it (stateColumns): what an import
 * updates on a stored ticket (import/staging.ts) and, with the version, the time of the last
 * event and the overdue flag, what a step writes.
 */
export const outcomeColumns = [
  'status',
  'dispatched_unit',
  'dispatched_unit_type',
  'dispatched_at',
  'response_due_at',
  'handling_due_at',
  'responded_at',
  'handled_at',
  'contacted',
  'solved',
  'satisfaction',
  'last_callback_at',
  'closed_at',
] as const satisfies ReadonlyArray<SteppedColumn>;

/** The columns a step writes: what the lifecycle derives (stateColumns), and the overdue flag counted with it. */
const steppedColumns = [...outcomeColumns, 'last_event_at', 'version', 'overdue_counted'] as const satisfies ReadonlyArray<SteppedColumn>;
type SteppedColumn = keyof ReturnType<typeof stateColumns> | 'overdue_counted';
// A column stateColumns gains and this list lacks fails the build here.
const everySteppedColumn: Exclude<SteppedColumn, (typeof steppedColumns)[number]> extends never ? true : never = true;
void everySteppedColumn;

/**
 * The columns a filing writes. A fixed list, not the row's keys, so that the statement's text is
 * the same for every filing (it is prepared: src/db/prepared.ts); id and created_at take their defaults.
 */
const filedColumns = [
  'ticket_no',
  'channel',
  'received_at',
  'kind',
  'category_code',
  'description',
  'address',
  'community_code',
  'street_code',
  'district_code',
  'reporter_name',
  'reporter_phone',
  'urgency',
  'historical',
  'duplicate_of',
  ...steppedColumns,
  'search_words',
  'created_by',
] as const satisfies ReadonlyArray<keyof Filing['row']>;

/**
 * Filing appeals as the CTEs of one statement (evaluation's writeAndCountAll counts them in the
 * same statement): one appeal, or several filed at the same moment (filing-queue.ts), each with
 * its intake event, its place in the unmatched queue when it names no community, and its audit
 * entry (no personal data: the channel, category, place and ticket), all only when `guard` holds.
 * The rows go as one JSON parameter read as appeal rows, so the text is the same for one appeal
 * or fifty. It returns each stored row with its names (as findAppeal's), the event's columns
 * prefixed `event_`, and `filed_index`, the filing's place in `filings` counted from 1.
 */
export function appealFilings(filings: Filing[], unmatchedReason: string): (guard: RawBuilder<boolean>) => CountedWrite {
  const documents = JSON.stringify(filings.map(({ row, ticketYear }) => ({ ...row, ticket_year: ticketYear })));
  const generated = sql`'MA-' || f.ticket_year || '-' || lpad(nextval('appeal_ticket_seq')::text, 6, '0')`;
  const values = filedColumns.map((c) => (c === 'ticket_no' ? sql`coalesce(f.ticket_no, ${generated})` : sql.ref(`f.${c}`)));
  return (guard) => ({
    ctes: sql`f AS (
        SELECT nextval(pg_get_serial_sequence('appeal', 'id')) AS new_id, j.n, j.doc->>'ticket_year' AS ticket_year, x.*
        FROM jsonb_array_elements(${documents}::jsonb) WITH ORDINALITY AS j(doc, n)
        CROSS JOIN LATERAL jsonb_populate_record(NULL::appeal, j.doc) AS x
      ), a AS (
        INSERT INTO appeal (id, ${sql.join(filedColumns.map((c) => sql.ref(c)))})
        SELECT f.new_id, ${sql.join(values)} FROM f WHERE ${guard} ORDER BY f.n
        RETURNING *
      ), e AS (
        INSERT INTO appeal_event (appeal_id, seq, type, at, actor, data)
        SELECT a.id, 1, 'received', a.received_at, a.created_by, '{}'::jsonb FROM a
        RETURNING appeal_id, seq, type, at, actor, data, recorded_at
      ), queued AS (
        INSERT INTO appeal_unmatched (appeal_id, import_id, reason) SELECT a.id, NULL, ${unmatchedReason} FROM a WHERE a.community_code IS NULL
      ), audited AS (
        INSERT INTO audit_log (actor, action, entity_type, entity_id, changes)
        SELECT a.created_by, 'appeal.create', 'appeal', a.id::text, jsonb_build_object('channel', a.channel,
          'categoryCode', a.category_code, 'place', coalesce(a.community_code, a.street_code, a.district_code), 'ticketNo', a.ticket_no)
        FROM a
      )`,
    written: sql<boolean>`EXISTS (SELECT 1 FROM a)`,
    // The names the answer shows, looked up here rather than before: a filing is one round trip.
    // As joins, the prepared statement's generic plan (guessing 100 filings) hashed all 7,902
    // divisions three times over for every statement; shownColumns looks each up by its key.
    select: sql`SELECT f.n AS filed_index, a.*, ${sql.join(shownColumns('a'))},
        e.seq AS event_seq, e.type AS event_type, e.at AS event_at, e.actor AS event_actor, e.data AS event_data,
        e.recorded_at AS event_recorded_at
      FROM a JOIN f ON f.new_id = a.id JOIN e ON e.appeal_id = a.id`,
  });
}

/** A row of appealFilings' statement, split into the stored appeal and its intake event. */
export function filedOf(stored: FiledRow): { appeal: AppealRow; event: EventRow } {
  const {
    filed_index: _index,
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

export type FiledRow = AppealRow & {
  filed_index: number;
  event_seq: number;
  event_type: AppealEventType;
  event_at: Date;
  event_actor: string;
  event_data: unknown;
  event_recorded_at: Date;
};

/** A lifecycle step to write: the appeal as it was read, the state and event it leads to, its audit entry. */
export interface StepWrite {
  read: Pick<AppealRow, 'id' | 'version' | 'overdue_counted' | 'community_code' | 'street_code'>;
  state: AppealState;
  overdueCounted: boolean;
  event: { type: AppealEventType; at: Date; actor: string; data: object };
  audit: { action: string; changes: object };
}

/**
 * Lifecycle steps as the CTEs of one statement (evaluation's writeAndCountAll counts them in the
 * same statement): one step, or several taken at the same moment (step-queue.ts). Each appeal
 * moves to its step's state and its event is appended with the next sequence number, with its
 * audit entry, only if `guard` holds and the row is still as `read` saw it: the version (which
 * every step and every import moves) and what moves without it (the overdue flag the sweep sets,
 * the community a manual match fills in). So the rollups' difference, worked out from `read`, is
 * the one this write makes; `writtenItems` names the steps written. With `skipHeld`, a step
 * whose appeal another transaction holds is skipped instead of waited for, and the others are
 * written: steps holding some appeals while waiting for another would deadlock with an import,
 * which locks its appeals statement by statement until it commits (and would fail). A skipped
 * step is not written, as if its appeal had moved on; step-queue.ts takes it again alone without
 * `skipHeld`, and a lone step holds no other appeal while it waits. The steps go as one JSON
 * parameter read as appeal rows, so the text is the same for one step or fifty. The statement
 * returns, for each step written (`step_index`, its place in `steps` from 1), the appeal's events
 * in order, the appended one last; nothing for a step whose row had moved on.
 */
export function appealSteps(steps: StepWrite[], skipHeld: boolean): (guard: RawBuilder<boolean>) => CountedWrite {
  const documents = JSON.stringify(
    steps.map(({ read, state, overdueCounted, event, audit }) => ({
      ...stateColumns(state),
      overdue_counted: overdueCounted,
      id: read.id,
      read_version: read.version,
      read_overdue: read.overdue_counted,
      read_community: read.community_code,
      read_street: read.street_code,
      event,
      audit,
    })),
  );
  const set = sql.join(steppedColumns.map((c) => sql`${sql.ref(c)} = ${sql.ref(`s.${c}`)}`));
  return (guard) => ({
    ctes: sql`s AS (
        SELECT j.n, x.*, (j.doc->>'read_version')::int AS read_version, (j.doc->>'read_overdue')::boolean AS read_overdue,
          j.doc->>'read_community' AS read_community, j.doc->>'read_street' AS read_street, j.doc->'event' AS event, j.doc->'audit' AS audit
        FROM jsonb_array_elements(${documents}::jsonb) WITH ORDINALITY AS j(doc, n)
        CROSS JOIN LATERAL jsonb_populate_record(NULL::appeal, j.doc) AS x
      ), locked AS MATERIALIZED (
        SELECT a.id FROM appeal a WHERE a.id IN (SELECT id FROM s) FOR UPDATE OF a ${skipHeld ? sql`SKIP LOCKED` : sql``}
      ), moved AS (
        UPDATE appeal a SET ${set}
        FROM s JOIN locked USING (id)
        WHERE a.id = s.id AND a.version = s.read_version AND a.overdue_counted = s.read_overdue
          AND a.community_code IS NOT DISTINCT FROM s.read_community AND a.street_code IS NOT DISTINCT FROM s.read_street
          AND ${guard}
        RETURNING a.id, a.version, s.n, s.event, s.audit
      ), e AS (
        INSERT INTO appeal_event (appeal_id, seq, type, at, actor, data)
        SELECT id, version, event->>'type', (event->>'at')::timestamptz, event->>'actor', event->'data' FROM moved ORDER BY id
        RETURNING appeal_id, seq, type, at, actor, data, recorded_at
      ), audited AS (
        INSERT INTO audit_log (actor, action, entity_type, entity_id, changes)
        SELECT event->>'actor', audit->>'action', 'appeal', id::text, audit->'changes' FROM moved
      )`,
    written: sql<boolean>`EXISTS (SELECT 1 FROM moved)`,
    writtenItems: sql`SELECT n FROM moved`,
    // The events before each step come from the statement's snapshot: no second round trip reads them.
    select: sql`SELECT moved.n AS step_index, ev.seq, ev.type, ev.at, ev.actor, ev.data, ev.recorded_at
        FROM moved JOIN appeal_event ev ON ev.appeal_id = moved.id
      UNION ALL
      SELECT moved.n, e.seq, e.type, e.at, e.actor, e.data, e.recorded_at FROM e JOIN moved ON moved.id = e.appeal_id
      ORDER BY step_index, seq`,
  });
}

/** A row of appealSteps' statement: an event of the appeal of the step at `step_index`. */
export type SteppedEventRow = EventRow & { step_index: number };

export type AppealRow = Selectable<AppealTable> & {
  category_name_zh: string;
  category_name_en: string;
  community_name: string | null;
  street_name: string | null;
  district_name: string;
  /** received_at as PostgreSQL prints it, to the microsecond: the paging key. */
  received_key: string;
};

/**
 * What an appeal is shown with beside its columns: its names (category, district, street,
 * community), each looked up by its key, and `received_key`. Subqueries rather than joins: for one
 * appeal (every step reads it) the generic plan of the prepared read hashed all the categories to
 * join one, twice the work of the lookups, and for a page PostgreSQL looks the names up only for
 * the rows the page shows. `appeal` is the name the statement gives the appeal's row.
 */
function shownColumns(appeal: string) {
  const code = (column: string) => sql.ref(`${appeal}.${column}`);
  return [
    sql<string>`(SELECT name_zh FROM appeal_category WHERE code = ${code('category_code')})`.as('category_name_zh'),
    sql<string>`(SELECT name_en FROM appeal_category WHERE code = ${code('category_code')})`.as('category_name_en'),
    sql<string | null>`(SELECT name FROM division WHERE code = ${code('community_code')})`.as('community_name'),
    sql<string | null>`(SELECT name FROM division WHERE code = ${code('street_code')})`.as('street_name'),
    sql<string>`(SELECT name FROM division WHERE code = ${code('district_code')})`.as('district_name'),
    sql<string>`to_char(${code('received_at')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('received_key'),
  ] as const;
}

/** An appeal's columns and what it is shown with (shownColumns). */
// biome-ignore lint/complexity/noBannedTypes: `{}` is Kysely's own type for a query that selects nothing yet.
function withNames(query: SelectQueryBuilder<Tables, 'appeal', {}>) {
  return query.selectAll('appeal').select(shownColumns('appeal'));
}

/** One appeal with its names; looked up together with the appeals other requests ask for at the same moment. */
export async function findAppeal(db: Db, id: number): Promise<AppealRow | undefined> {
  return appealById(db, id);
}

const appealById = batchedLookup(
  preparedRead((db: Kysely<Tables>, ids: number[]) =>
    withNames(db.selectFrom('appeal')).where('appeal.id', '=', sql<number>`ANY(${ids}::bigint[])`),
  ),
  (row) => Number(row.id),
);

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
  return eventsOf(db, appealId);
}

const eventsOf = preparedRead((db: Kysely<Tables>, appealId: number) =>
  db
    .selectFrom('appeal_event')
    .select(['seq', 'type', 'at', 'actor', 'data', 'recorded_at'])
    .where('appeal_id', '=', appealId)
    .orderBy('seq'),
);

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
      return eb('appeal.district_code', 'like', withinScope(code));
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
