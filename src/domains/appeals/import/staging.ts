import { sql, type Transaction } from 'kysely';
import type { CopyConnection } from '../../../db/connection.ts';
import { copyEncoded, copyInto, encodeCopyText, type CopyRow } from '../../../db/copy.ts';
import type { Tables } from '../../../db/tables.ts';
import { outcomeColumns } from '../queries.ts';
import { importCountedColumns } from '../../evaluation/rollup.ts';
import type { RowProblem, StagedAppeal } from './rows.ts';

/**
 * The set-based half of an import, all inside the caller's transaction: rows are COPYed into a
 * temporary staging table, then moved into appeal with a few statements per chunk — new tickets
 * inserted with their `imported` event, changed outcomes updated with another, unchanged rows
 * left alone — and what each change moves in the rollups noted, for evaluation's
 * countImportedAppeals to count by differences at the end.
 */
type Trx = Transaction<Tables>;

/** What a ticket says when it is taken in: an import inserts these for a new ticket and never changes them. */
const intakeColumns = [
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
] as const;

/** The staging table's columns, in the order stageRow writes them. */
const stageColumns = [
  'row_no',
  ...intakeColumns,
  ...outcomeColumns,
  'event_at',
  'search_words',
  'unmatched_reason',
  'given_street',
  'given_community',
] as const;

const stageRow = (a: StagedAppeal): CopyRow => [
  a.rowNo,
  a.ticketNo,
  a.channel,
  a.receivedAt,
  a.kind,
  a.categoryCode,
  a.description,
  a.address,
  a.communityCode,
  a.streetCode,
  a.districtCode,
  a.reporterName,
  a.reporterPhone,
  a.urgency,
  a.historical,
  a.status,
  a.dispatchedUnit,
  a.dispatchedUnitType,
  a.dispatchedAt,
  a.responseDueAt,
  a.handlingDueAt,
  a.respondedAt,
  a.handledAt,
  a.contacted,
  a.solved,
  a.satisfaction,
  a.lastCallbackAt,
  a.closedAt,
  a.eventAt,
  a.searchWords,
  a.unmatchedReason,
  a.givenStreet,
  a.givenCommunity,
];

export async function createStaging(trx: Trx): Promise<void> {
  // The rollup count groups a row per appeal at a big import's scale: let it hash in memory, not spill.
  await sql`SET LOCAL work_mem = '64MB'`.execute(trx);
  // Imports take turns: each finds its new tickets once per chunk and inserts them without ON
  // CONFLICT (whose per-row speculative insertion would double the insert's cost). A ticket filed
  // by hand meanwhile fails the import with the unique violation; a rerun then counts it unchanged.
  await sql`SELECT pg_advisory_xact_lock(hashtext('appeal_import'))`.execute(trx);
  // A chunk's tickets are looked up in appeal's ticket index, which an import keeps hot: with the
  // default random_page_cost the planner would rather scan the whole (growing) table per chunk.
  await sql`SET LOCAL random_page_cost = 1.1`.execute(trx);
  await sql`CREATE TEMP TABLE appeal_stage (
    row_no integer, ticket_no text, channel text, received_at timestamptz, kind text, category_code text,
    description text, address text, community_code text, street_code text, district_code text,
    reporter_name text, reporter_phone text, urgency text, historical boolean, status text,
    dispatched_unit text, dispatched_unit_type text, dispatched_at timestamptz, response_due_at timestamptz,
    handling_due_at timestamptz, responded_at timestamptz, handled_at timestamptz, contacted boolean,
    solved boolean, satisfaction text, last_callback_at timestamptz, closed_at timestamptz,
    event_at timestamptz, search_words text[], unmatched_reason text, given_street text, given_community text,
    -- The stored appeal of the same ticket, when there is one: found once per chunk, then joined by id.
    appeal_id bigint
  ) ON COMMIT DROP`.execute(trx);
  // What the rollups count of the chunk's stored appeals before their update (noteCountedBefore).
  await sql`CREATE TEMP TABLE appeal_counted_before (appeal_id bigint, ${countedColumns}) ON COMMIT DROP`.execute(trx);
  // What the import moves in the rollups, a row per appeal state counted in or taken out: counted at the end.
  await sql`CREATE TEMP TABLE import_counted (sign smallint, ${countedColumns}) ON COMMIT DROP`.execute(trx);
}

/** The columns of appeal that the rollups count, as the import's temp tables hold them (importCountedColumns). */
const countedColumns = sql.raw(`received_at timestamptz, last_callback_at timestamptz, district_code text, street_code text,
  community_code text, category_code text, kind text, overdue_counted boolean, contacted boolean, solved boolean, satisfaction text`);
const counted = (t: string) =>
  sql.raw(
    importCountedColumns
      .filter((c) => c !== 'sign')
      .map((c) => `${t}.${c}`)
      .join(', '),
  );

/** A chunk's rows in COPY's text format for the staging table: built where the chunk was parsed. */
export function encodeStage(appeals: readonly StagedAppeal[]): Uint8Array {
  return encodeCopyText(appeals.map(stageRow), stageColumns.length);
}

/** Stages a chunk and finds which of its tickets are stored already; returns how many are. */
export async function stage(
  trx: Trx,
  connection: CopyConnection,
  encoded: Uint8Array,
  options: { allNew?: boolean } = {},
): Promise<number> {
  await sql`TRUNCATE appeal_stage, appeal_counted_before`.execute(trx);
  await copyEncoded(connection, 'appeal_stage', stageColumns, encoded);
  // The caller knows none is stored (a first load's chunk new to its batch): no lookup. In a
  // first load (no statistics yet) each lookup probes the ticket index row by row, about 50 ms
  // of CPU a 20,000-row chunk at 300,000 appeals, some 2.5 s over the demo's million.
  if (options.allNew) return 0;
  const found = await sql`UPDATE appeal_stage s SET appeal_id = a.id FROM appeal a WHERE a.ticket_no = s.ticket_no`.execute(trx);
  return Number(found.numAffectedRows ?? 0);
}

/**
 * Notes what the rollups count of the chunk's stored appeals, before fillPlaces and
 * updateOutcomes change them. The rows are locked (FOR SHARE) as they are read: a live step on one
 * of them (which locks it FOR UPDATE and counts its own change before it commits) then either
 * committed before, and its state is the one noted, or waits for the import's commit. Unlocked,
 * a callback landing between the note and the update would be taken out of the rollups twice.
 */
export async function noteCountedBefore(trx: Trx): Promise<void> {
  await sql`WITH stored AS (
      SELECT a.id, ${counted('a')} FROM appeal_stage s JOIN appeal a ON a.id = s.appeal_id
      FOR SHARE OF a
    )
    INSERT INTO appeal_counted_before SELECT * FROM stored`.execute(trx);
}

/**
 * After the chunk's updates: each stored appeal that now counts differently is noted twice for
 * the rollups, as it was counted (taken out) and as it is (counted in). Those the import left
 * as they were move nothing and are not noted. Each appeal is read by its key.
 */
export async function noteCountedAfter(trx: Trx): Promise<void> {
  await sql`INSERT INTO import_counted (${sql.raw(importCountedColumns.join(', '))})
    SELECT v.* FROM appeal_counted_before b JOIN appeal a ON a.id = b.appeal_id
    CROSS JOIN LATERAL (VALUES (-1, ${counted('b')}), (1, ${counted('a')})) AS v
    WHERE (${counted('b')}) IS DISTINCT FROM (${counted('a')})`.execute(trx);
}

/** The chunk's new tickets, counted in as insertNew stored them (the staged row, and the same overdue flag). */
export async function noteCountedNew(trx: Trx): Promise<void> {
  const taken = importCountedColumns.filter((c) => c !== 'sign' && c !== 'overdue_counted');
  await sql`INSERT INTO import_counted (sign, ${sql.raw(taken.join(', '))}, overdue_counted)
    SELECT 1, ${sql.raw(taken.map((c) => `s.${c}`).join(', '))}, ${overdueNow('s')}
    FROM appeal_stage s WHERE s.appeal_id IS NULL`.execute(trx);
}

/** The `imported` event's data: the stored outcome columns, as lifecycle.ts's ImportedSnapshot. */
const snapshot = (t: string) =>
  sql.raw(`jsonb_build_object(
    'status', ${t}.status,
    'dispatchedUnit', CASE WHEN ${t}.dispatched_unit IS NULL THEN NULL ELSE jsonb_build_object('name', ${t}.dispatched_unit, 'type', ${t}.dispatched_unit_type) END,
    'dispatchedAt', ${t}.dispatched_at, 'responseDueAt', ${t}.response_due_at, 'handlingDueAt', ${t}.handling_due_at,
    'respondedAt', ${t}.responded_at, 'handledAt', ${t}.handled_at,
    'contacted', ${t}.contacted, 'solved', ${t}.solved, 'satisfaction', ${t}.satisfaction,
    'lastCallbackAt', ${t}.last_callback_at, 'closedAt', ${t}.closed_at)`);

/**
 * Overdue as the rollups count it (evaluation/rollup-delta.ts overdueAt), now, for a row of `t`:
 * stored with the appeal so that a later live write can take back exactly what was counted.
 */
const overdueNow = (t: string) =>
  sql.raw(`coalesce(coalesce(${t}.responded_at, now()) > ${t}.response_due_at, false)
    OR coalesce(coalesce(${t}.handled_at, now()) > ${t}.handling_due_at, false)`);

/**
 * A stored appeal still waiting for its community gets it when a newer export names one that
 * matches (in the same district and street), and leaves the unmatched queue.
 */
export async function fillPlaces(trx: Trx, actor: string): Promise<number> {
  const result = await sql<{ n: number }>`WITH filled AS (
      UPDATE appeal a SET community_code = s.community_code, street_code = s.street_code
      FROM appeal_stage s
      WHERE a.id = s.appeal_id AND a.community_code IS NULL AND s.community_code IS NOT NULL
        AND a.district_code = s.district_code AND (a.street_code IS NULL OR a.street_code = s.street_code)
      RETURNING a.id, a.community_code
    ), resolved AS (
      UPDATE appeal_unmatched u SET resolved_at = now(), resolved_by = ${actor}, community_code = f.community_code
      FROM filled f WHERE u.appeal_id = f.id AND u.resolved_at IS NULL
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM filled`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/** Stored appeals whose outcome the export tells differently: updated, one `imported` event each. */
export async function updateOutcomes(trx: Trx, actor: string): Promise<number> {
  const assignments = sql.raw(outcomeColumns.map((c) => `${c} = s.${c}`).join(', '));
  const differs = sql.raw(
    `(${outcomeColumns.map((c) => `a.${c}`).join(', ')}) IS DISTINCT FROM (${outcomeColumns.map((c) => `s.${c}`).join(', ')})`,
  );
  const result = await sql<{ n: number }>`WITH changed AS (
      UPDATE appeal a SET ${assignments}, overdue_counted = ${overdueNow('s')},
        -- A snapshot never goes back in time: replay needs events in order.
        last_event_at = greatest(s.event_at, a.last_event_at), version = a.version + 1
      FROM appeal_stage s
      WHERE a.id = s.appeal_id AND ${differs}
      RETURNING a.*
    ), events AS (
      INSERT INTO appeal_event (appeal_id, seq, type, at, actor, data)
      SELECT c.id, c.version, 'imported', c.last_event_at, ${actor}, ${snapshot('c')} FROM changed c
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM changed`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/** New tickets: inserted in time order with their `imported` event; those without a community queued. */
export async function insertNew(trx: Trx, actor: string, importId: number): Promise<{ inserted: number; queued: number }> {
  const intake = [...intakeColumns, ...outcomeColumns, 'search_words'];
  const columns = sql.raw(intake.join(', '));
  const values = sql.raw(intake.map((c) => `s.${c}`).join(', '));
  // The event and the queue row are built from the staged row, which holds what was inserted:
  // RETURNING only the keys keeps the CTE small.
  const result = await sql<{ inserted: number; queued: number }>`WITH ins AS (
      INSERT INTO appeal (${columns}, last_event_at, version, overdue_counted, created_by)
      SELECT ${values}, s.event_at, 1, ${overdueNow('s')}, ${actor}
      FROM appeal_stage s
      WHERE s.appeal_id IS NULL
      ORDER BY s.received_at, s.row_no
      RETURNING id, ticket_no
    ), events AS (
      INSERT INTO appeal_event (appeal_id, seq, type, at, actor, data)
      SELECT i.id, 1, 'imported', s.event_at, ${actor}, ${snapshot('s')}
      FROM ins i JOIN appeal_stage s ON s.ticket_no = i.ticket_no
      RETURNING 1
    ), queued AS (
      INSERT INTO appeal_unmatched (appeal_id, import_id, given_street, given_community, reason)
      SELECT i.id, ${importId}, s.given_street, s.given_community, coalesce(s.unmatched_reason, '未匹配社区')
      FROM ins i JOIN appeal_stage s ON s.ticket_no = i.ticket_no
      WHERE s.community_code IS NULL
      ON CONFLICT (appeal_id) DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM queued)::int AS queued`.execute(trx);
  return result.rows[0] ?? { inserted: 0, queued: 0 };
}

/** The staged tickets whose stored appeal still has no community. */
export async function countWithoutCommunity(trx: Trx): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeal_stage s LEFT JOIN appeal a ON a.id = s.appeal_id
    WHERE coalesce(a.community_code, s.community_code) IS NULL`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

const problemColumns = ['import_id', 'row_no', 'column_name', 'value', 'ticket_no', 'severity', 'reason_zh', 'reason_en'] as const;

export async function recordProblems(connection: CopyConnection, importId: number, problems: readonly RowProblem[]): Promise<void> {
  if (problems.length === 0) return;
  await copyInto(
    connection,
    'appeal_import_problem',
    problemColumns,
    problems.map((p) => [importId, p.rowNo, p.column, p.value, p.ticketNo, p.severity, p.zh, p.en]),
  );
}
