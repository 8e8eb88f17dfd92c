import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import { randomToken, sha256 } from '../accounts/secrets.ts';
import { inScope, type Viewer } from '../accounts/viewer.ts';
import { naturalCode } from '../geo/codes.ts';
import { findDivision } from '../geo/queries.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { clientRoles } from './policy.ts';
import * as q from './queries.ts';
import type { ClientInputBody, IssuedClient, Open311Client } from './schemas.ts';
import type { Open311Role } from './tables.ts';

type Db = Kysely<Tables>;

/**
 * Client applications' api keys: issued by an administrator for one role and one division
 * scope, shown once and kept hashed, revoked at any time, each use counted against the key's
 * own limit per minute. Issuing and revoking are audited; what a key does is audited by the
 * appeals it files and the steps it takes, under the actor `open311:<client name>`.
 */
export type Client = Open311Client;

export function presentClient(row: q.ClientRow): Client {
  return {
    id: row.id,
    name: row.name,
    contact: row.contact,
    role: row.role,
    scopeCode: row.scope_code,
    scopeName: row.scope_name,
    keyPrefix: row.key_prefix,
    perMinute: row.per_minute,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
  };
}

export type ClientInput = ClientInputBody;

export async function issueClient(db: Db, input: ClientInput, by: Viewer): Promise<IssuedClient> {
  const errors = [];
  const name = input.name.trim();
  if (name.length < 2 || name.length > 100) errors.push({ field: 'name', message: '2–100 个字符 / 2–100 characters' });
  if (!(clientRoles as readonly string[]).includes(input.role)) {
    errors.push({ field: 'role', message: `可选 / one of: ${clientRoles.join(', ')}` });
  }
  const code = naturalCode(input.scope);
  const division = code ? await findDivision(db, code) : undefined;
  if (!division) errors.push({ field: 'scope', message: `没有区划“${input.scope}” / no division "${input.scope}"` });
  else if (!inScope(by, division.code)) errors.push({ field: 'scope', message: '超出您的管辖范围 / outside your own scope' });
  const perMinute = input.perMinute ?? 60;
  if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 10_000)
    errors.push({ field: 'perMinute', message: '1–10000 的整数 / a whole number from 1 to 10000' });
  if (errors.length > 0) throw invalid('客户端信息有误', 'Invalid client application', errors);

  const apiKey = `o311_${randomToken(24)}`;
  return db.transaction().execute(async (trx) => {
    if (await q.clientNameTaken(trx, name)) {
      throw new AppError('conflict', `客户端名称“${name}”已被使用`, `A client named "${name}" exists`, [
        { field: 'name', message: 'taken' },
      ]);
    }
    const row = await q.insertClient(trx, {
      name,
      contact: input.contact?.trim() || null,
      role: input.role as Open311Role,
      scope_code: division!.code,
      key_hash: sha256(apiKey),
      key_prefix: apiKey.slice(0, 9),
      per_minute: perMinute,
      created_by: by.actor,
    });
    await auditBy(trx, by, 'open311.client.issue', 'open311_client', row.id, {
      name,
      role: row.role,
      scope: row.scope_code,
      perMinute,
      keyPrefix: row.key_prefix,
    });
    return { client: presentClient(row), apiKey };
  });
}

export async function listClients(
  db: Db,
  page: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ items: Client[]; nextCursor: string | null }> {
  const limit = page.limit ?? 50;
  const after = idCursor(page.cursor);
  const rows = await q.listClients(db, limit, after);
  return { items: rows.map(presentClient), nextCursor: nextCursor(rows, limit, (row) => row.id) };
}

export async function revokeClient(db: Db, id: number, by: Viewer): Promise<Client> {
  return db.transaction().execute(async (trx) => {
    if (!(await q.revokeClient(trx, id, by.actor))) {
      const row = await q.findClient(trx, id);
      throw row
        ? invalid(`客户端 ${id} 的密钥已吊销`, `Client ${id}'s key is already revoked`, [{ field: 'id', message: 'revoked' }])
        : notFound(`没有客户端 ${id}`, `No client ${id}`);
    }
    await auditBy(trx, by, 'open311.client.revoke', 'open311_client', id);
    return presentClient((await q.findClient(trx, id))!);
  });
}

/** The viewer a live key acts as, or undefined for an unknown or revoked key. */
export async function authenticateKey(db: Db, apiKey: string): Promise<{ client: q.ClientRow; viewer: Viewer } | undefined> {
  const client = await q.findLiveClientByHash(db, sha256(apiKey));
  if (!client) return undefined;
  await q.touchClient(db, client.id);
  return { client, viewer: { userId: null, actor: `open311:${client.name}`, role: client.role, scopeCode: client.scope_code } };
}

/**
 * Requests per key (or per client address) per minute, in a fixed window per process. In
 * memory: a limit is about fairness between clients, and one process serves mustanswer.
 */
export class KeyRateLimit<K = number> {
  private readonly windows = new Map<K, { start: number; count: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** Counts one request; the seconds to wait when it is over the limit. */
  take(key: K, perMinute: number, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      // Many addresses come and go: forget the windows that have ended before keeping more.
      if (!window && this.windows.size >= this.maxKeys) {
        for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
      }
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= perMinute) return { ok: false, retryAfter: Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000)) };
    window.count++;
    return { ok: true };
  }
}
