import { sql, type Insertable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { AppealEventType, AppealStatus, Tables } from '../../db/tables.ts';
import type { Open311ClientTable, Open311RequestTable, Open311Tables } from './tables.ts';

/** All SQL of the Open311 domain. Functions take the database (or a transaction) as an argument. */
type Db = Kysely<Tables>;
type All = Tables & Open311Tables;
const on = (db: Db): Kysely<All> => db.withTables<Open311Tables>();

// ── client applications and their keys ──────────────────────────────────────────────────────

/** A client with its scope's name; the key's hash never leaves the queries. */
export type ClientRow = Omit<Selectable<Open311ClientTable>, 'key_hash'> & { scope_name: string };

/** Clients with their scope's name. */
function clients(db: Db) {
  return on(db)
    .selectFrom('open311_client as c')
    .innerJoin('division as d', 'd.code', 'c.scope_code')
    .select([
      'c.id',
      'c.name',
      'c.contact',
      'c.role',
      'c.scope_code',
      'c.key_prefix',
      'c.per_minute',
      'c.created_at',
      'c.created_by',
      'c.last_used_at',
      'c.revoked_at',
      'c.revoked_by',
      'd.name as scope_name',
    ]);
}

export async function insertClient(
  db: Db,
  row: Omit<Insertable<Open311ClientTable>, 'id' | 'created_at' | 'last_used_at' | 'revoked_at' | 'revoked_by'>,
): Promise<ClientRow> {
  const { id } = await on(db).insertInto('open311_client').values(row).returning('id').executeTakeFirstOrThrow();
  return clients(db).where('c.id', '=', id).executeTakeFirstOrThrow();
}

export async function clientNameTaken(db: Db, name: string): Promise<boolean> {
  return (await on(db).selectFrom('open311_client').select('id').where('name', '=', name).executeTakeFirst()) !== undefined;
}

export async function listClients(db: Db, limit: number, afterId?: number): Promise<ClientRow[]> {
  let query = clients(db).orderBy('c.id').limit(limit);
  if (afterId !== undefined) query = query.where('c.id', '>', afterId);
  return query.execute();
}

export async function findClient(db: Db, id: number): Promise<ClientRow | undefined> {
  return clients(db).where('c.id', '=', id).executeTakeFirst();
}

export async function findLiveClientByHash(db: Db, keyHash: string): Promise<ClientRow | undefined> {
  return clients(db).where('c.key_hash', '=', keyHash).where('c.revoked_at', 'is', null).executeTakeFirst();
}

export async function revokeClient(db: Db, id: number, by: string): Promise<boolean> {
  const result = await on(db)
    .updateTable('open311_client')
    .set({ revoked_at: sql<Date>`now()`, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** At most once a minute per key: a busy client does not write a row per request. */
export async function touchClient(db: Db, id: number): Promise<void> {
  await on(db)
    .updateTable('open311_client')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}

// ── where a request is ──────────────────────────────────────────────────────────────────────

// ── requests ────────────────────────────────────────────────────────────────────────────────

export async function insertRequest(db: Db, row: Omit<Insertable<Open311RequestTable>, 'created_at'>): Promise<void> {
  await on(db).insertInto('open311_request').values(row).execute();
}

export async function findTicketByToken(
  db: Db,
  token: string,
): Promise<{ ticket_no: string; district_code: string; street_code: string | null; community_code: string | null } | undefined> {
  return on(db)
    .selectFrom('open311_request as o')
    .innerJoin('appeal as a', 'a.id', 'o.appeal_id')
    .select(['a.ticket_no', 'a.district_code', 'a.street_code', 'a.community_code'])
    .where('o.token', '=', token)
    .executeTakeFirst();
}

export async function findAppealIdByTicket(
  db: Db,
  ticketNo: string,
): Promise<
  | { id: number; version: number; status: AppealStatus; district_code: string; street_code: string | null; community_code: string | null }
  | undefined
> {
  return db
    .selectFrom('appeal')
    .select(['id', 'version', 'status', 'district_code', 'street_code', 'community_code'])
    .where('ticket_no', '=', ticketNo)
    .executeTakeFirst();
}

/** A public row: what an Open311 request shows of an appeal, and nothing of its reporter. */
export interface PublicRow {
  id: number;
  ticket_no: string;
  status: AppealStatus;
  category_code: string;
  category_name_zh: string;
  description: string;
  dispatched_unit: string | null;
  received_at: Date;
  last_event_at: Date;
  handling_due_at: Date | null;
  district_code: string;
  street_code: string | null;
  community_code: string | null;
  district_name: string;
  street_name: string | null;
  community_name: string | null;
  last_type: AppealEventType | null;
  last_data: unknown;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

export interface RequestFilter {
  /** The jurisdiction: a natural division code; only appeals placed inside it. */
  jurisdiction: string;
  ticketNos?: string[] | undefined;
  serviceCode?: string | undefined;
  /** 'open' is every status but closed. */
  status?: 'open' | 'closed' | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Inside a jurisdiction, on the column the appeal table indexes at that level (appeal aliased `a`). */
function placeIn(code: string) {
  if (code.length === 12) return sql<SqlBool>`a.community_code = ${code}`;
  if (code.length === 9) return sql<SqlBool>`a.street_code = ${code}`;
  if (code.length === 6) return sql<SqlBool>`a.district_code = ${code}`;
  return sql<SqlBool>`a.district_code LIKE ${`${code}%`}`;
}

function publicRows(db: Db) {
  return (
    on(db)
      .selectFrom('appeal as a')
      .innerJoin('appeal_category as c', 'c.code', 'a.category_code')
      .innerJoin('division as d', 'd.code', 'a.district_code')
      .leftJoin('division as s', 's.code', 'a.street_code')
      .leftJoin('division as m', 'm.code', 'a.community_code')
      // The latest event is the one whose seq is the appeal's version: one primary-key lookup.
      .leftJoin('appeal_event as e', (join) => join.onRef('e.appeal_id', '=', 'a.id').onRef('e.seq', '=', 'a.version'))
      .leftJoin('open311_request as o', 'o.appeal_id', 'a.id')
      .select([
        'a.id',
        'a.ticket_no',
        'a.status',
        'a.category_code',
        'c.name_zh as category_name_zh',
        'a.description',
        'a.dispatched_unit',
        'a.received_at',
        'a.last_event_at',
        'a.handling_due_at',
        'a.district_code',
        'a.street_code',
        'a.community_code',
        'd.name as district_name',
        's.name as street_name',
        'm.name as community_name',
        'e.type as last_type',
        'e.data as last_data',
        'o.lat',
        'o.long',
        'o.media_url',
      ])
  );
}

export async function listPublic(db: Db, filter: RequestFilter, limit: number, offset = 0): Promise<PublicRow[]> {
  let query = publicRows(db).where(placeIn(filter.jurisdiction));
  if (filter.ticketNos) {
    query = query.where('a.ticket_no', 'in', filter.ticketNos);
  } else {
    if (filter.serviceCode !== undefined) query = query.where('a.category_code', '=', filter.serviceCode);
    if (filter.status === 'closed') query = query.where('a.status', '=', 'closed');
    if (filter.status === 'open') query = query.where('a.status', '<>', 'closed');
    if (filter.from) query = query.where('a.received_at', '>=', filter.from);
    if (filter.to) query = query.where('a.received_at', '<=', filter.to);
  }
  return query.orderBy('a.received_at', 'desc').orderBy('a.id', 'desc').limit(limit).offset(offset).execute() as Promise<PublicRow[]>;
}

export async function findPublic(db: Db, jurisdiction: string, ticketNo: string): Promise<PublicRow | undefined> {
  return publicRows(db).where(placeIn(jurisdiction)).where('a.ticket_no', '=', ticketNo).executeTakeFirst() as Promise<
    PublicRow | undefined
  >;
}

export interface UpdateRow {
  ticket_no: string;
  seq: number;
  type: AppealEventType;
  at: Date;
  data: unknown;
}

/** Steps taken on appeals inside a jurisdiction between two times (imports' snapshots are not steps). */
export async function listUpdates(
  db: Db,
  filter: { jurisdiction: string; from: Date; to: Date; ticketNo?: string | undefined },
  limit: number,
): Promise<UpdateRow[]> {
  let query = db
    .selectFrom('appeal_event as e')
    .innerJoin('appeal as a', 'a.id', 'e.appeal_id')
    .select(['a.ticket_no', 'e.seq', 'e.type', 'e.at', 'e.data'])
    .where(placeIn(filter.jurisdiction))
    .where('e.type', '<>', 'imported')
    .where('e.at', '>=', filter.from)
    .where('e.at', '<=', filter.to);
  if (filter.ticketNo !== undefined) query = query.where('a.ticket_no', '=', filter.ticketNo);
  return query.orderBy('e.at').orderBy('e.appeal_id').orderBy('e.seq').limit(limit).execute();
}

export async function findUpdate(db: Db, ticketNo: string, seq: number): Promise<UpdateRow | undefined> {
  return db
    .selectFrom('appeal_event as e')
    .innerJoin('appeal as a', 'a.id', 'e.appeal_id')
    .select(['a.ticket_no', 'e.seq', 'e.type', 'e.at', 'e.data'])
    .where('a.ticket_no', '=', ticketNo)
    .where('e.seq', '=', seq)
    .executeTakeFirst();
}
