import { sql, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import { batchedLookup } from '../../db/lookup.ts';
import { preparedRead } from '../../db/prepared.ts';
import type { Tables } from '../../db/tables.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

const userColumns = ['id', 'login', 'display_name', 'role', 'scope_code', 'cadre_id', 'unit_name', 'disabled_at', 'created_at'] as const;

export type UserRow = Omit<Selectable<Tables['app_user']>, 'password_hash'>;

export async function findUserForLogin(db: Db, login: string) {
  return db
    .selectFrom('app_user')
    .select([...userColumns, 'password_hash'])
    .where('login', '=', login)
    .executeTakeFirst();
}

export async function findUser(db: Db, id: number) {
  return db.selectFrom('app_user').select(userColumns).where('id', '=', id).executeTakeFirst() as Promise<UserRow | undefined>;
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function insertUser(
  db: Db,
  user: { login: string; display_name: string; password_hash: string; role: string; scope_code: string; unit_name: string | null },
) {
  return db.insertInto('app_user').values(user).returning(userColumns).executeTakeFirstOrThrow() as Promise<UserRow>;
}

export async function updateUser(
  db: Db,
  id: number,
  changes: Partial<{
    display_name: string;
    role: string;
    scope_code: string;
    unit_name: string | null;
    disabled_at: Date | null;
    password_hash: string;
  }>,
) {
  return db.updateTable('app_user').set(changes).where('id', '=', id).returning(userColumns).executeTakeFirst() as Promise<
    UserRow | undefined
  >;
}

/** Newest first, each with its scope's name, in one query. */
export async function listUsers(db: Db, page: { limit: number; before?: number | undefined; scopeCode: string }) {
  let query = db
    .selectFrom('app_user as u')
    .leftJoin('division as d', 'd.code', 'u.scope_code')
    .select(userColumns.map((c) => `u.${c}` as const))
    .select('d.name as scope_name')
    .where('u.scope_code', 'like', `${page.scopeCode}%`);
  if (page.before !== undefined) query = query.where('u.id', '<', page.before);
  return query.orderBy('u.id', 'desc').limit(page.limit).execute() as Promise<Array<UserRow & { scope_name: string | null }>>;
}

export async function listApiTokens(db: Db, userId: number) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
}

export async function insertSession(db: Db, session: { id: string; user_id: number; csrf_token: string; expires_at: Date }) {
  await db.insertInto('user_session').values(session).execute();
}

export async function deleteSession(db: Db, id: string) {
  await db.deleteFrom('user_session').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Db, userId: number) {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}

/** A session counts only while its user is enabled: disabling a user ends their sessions at once. */
export async function findLiveSession(db: Db, id: string) {
  // Every request of a signed-in user starts with it.
  return (await liveSession(db, id))[0];
}

const liveSession = preparedRead((db: Kysely<Tables>, id: string) =>
  db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select(['s.id as session_id', 's.csrf_token', 'u.id', 'u.login', 'u.display_name', 'u.role', 'u.scope_code', 'u.unit_name'])
    .where('s.id', '=', id)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled_at', 'is', null),
);

export async function insertApiToken(db: Db, token: { user_id: number; name: string; token_hash: string }) {
  return db.insertInto('api_token').values(token).returning(['id', 'name', 'created_at']).executeTakeFirstOrThrow();
}

export async function findLiveApiToken(db: Db, tokenHash: string) {
  // Every request of a machine client starts with it; the lookups of requests arriving together go together.
  return liveApiToken(db, tokenHash);
}

const liveApiToken = batchedLookup(
  preparedRead((db: Kysely<Tables>, tokenHashes: string[]) =>
    db
      .selectFrom('api_token as t')
      .innerJoin('app_user as u', 'u.id', 't.user_id')
      .select([
        't.token_hash',
        't.id as token_id',
        't.last_used_at',
        'u.id',
        'u.login',
        'u.display_name',
        'u.role',
        'u.scope_code',
        'u.unit_name',
      ])
      .where('t.token_hash', '=', sql<string>`ANY(${tokenHashes}::text[])`)
      .where('t.revoked_at', 'is', null)
      .where('u.disabled_at', 'is', null),
  ),
  (row) => row.token_hash,
);

/**
 * Notes that a token was used, at most once a minute: a hotline system posting fifty work orders
 * at once would otherwise queue every request behind one row's lock (and a commit each).
 */
export async function touchApiToken(db: Db, id: number) {
  await db
    .updateTable('api_token')
    .set({ last_used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}

export async function revokeApiTokensOf(db: Db, userId: number) {
  await db
    .updateTable('api_token')
    .set({ revoked_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeApiToken(db: Db, id: number, userId: number) {
  return db
    .updateTable('api_token')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

export interface AuditFilter {
  actor?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /**
   * Only entries by a user inside this division scope, or about one: set for admins narrower
   * than a province, who must not read the rest of the city's log.
   */
  scopeCode?: string | undefined;
}

/** Newest first; the cursor is the last id seen. */
export async function listAudit(db: Db, filter: AuditFilter, page: { limit: number; before?: number | undefined }) {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  const scope = filter.scopeCode;
  if (scope !== undefined) {
    const usersInScope = (eb: ExpressionBuilder<Tables, 'audit_log'>) =>
      eb.selectFrom('app_user as su').where('su.scope_code', 'like', `${scope}%`);
    query = query.where((eb) =>
      eb.or([
        eb.exists(usersInScope(eb).select('su.id').whereRef('su.login', '=', 'audit_log.actor')),
        eb.and([
          eb('audit_log.entity_type', '=', 'user'),
          eb.exists(usersInScope(eb).select('su.id').where(sql<boolean>`su.id::text = audit_log.entity_id`)),
        ]),
      ]),
    );
  }
  if (page.before !== undefined) query = query.where('id', '<', page.before);
  return query.orderBy('id', 'desc').limit(page.limit).execute();
}
