import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import { naturalCode } from '../geo/codes.ts';
import { findDivision } from '../geo/queries.ts';
import { abilitiesOf } from '../../http/abilities.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { auditBy, recordAudit } from './audit.ts';
import * as q from './queries.ts';
import { passwordProblem } from './passwords.ts';
import { dummyHash, generatePassword, hashPassword, randomToken, sha256, verifyPassword } from './secrets.ts';
import type { NewUserInput, NewUserResult, Session, User, UserChanges } from './schemas.ts';
import { inScope, roles, type Role, type Viewer } from './viewer.ts';

type Db = Kysely<Tables>;

export const SESSION_HOURS = 12;

/** A user as the API shows them (never the password hash). */
export type PublicUser = User;
export type SessionView = Session;

function parseRole(input: string): Role {
  if (!(roles as readonly string[]).includes(input)) {
    throw invalid(`没有角色“${input}”`, `Unknown role "${input}"`, [{ field: 'role', message: `可选 / one of: ${roles.join(', ')}` }]);
  }
  return input as Role;
}

/** A scope is any loaded division: all of Beijing ('11'), a district, a street or a community. */
async function parseScope(db: Db, input: string): Promise<{ code: string; name: string }> {
  const code = naturalCode(input);
  const division = code ? await findDivision(db, code) : undefined;
  if (!division) {
    throw invalid(`没有区划“${input}”，无法作为权限范围`, `No division "${input}" to use as a scope`, [
      { field: 'scope', message: '应为已载入的市、区、街道或社区代码 / a loaded city, district, street or community code' },
    ]);
  }
  return { code: division.code, name: division.name };
}

/**
 * A user manages only users inside their own scope, and never grants a role that may take an
 * action their own role may not, nor a scope wider than their own. Out of scope reads as absent,
 * so that a district admin cannot learn which ids exist elsewhere.
 */
function requireGrantable(by: Viewer, role: Role | undefined, scope: { code: string } | undefined): void {
  if (role) {
    const mine = new Set(abilitiesOf(by.role));
    if (!abilitiesOf(role).every((a) => mine.has(a))) {
      throw new AppError(
        'forbidden',
        `不能授予比自己更大的角色“${role}”`,
        `You cannot grant the role "${role}", which may do more than yours`,
        [{ field: 'role', message: '角色的权限不能超出你自己的 / no action beyond your own role' }],
      );
    }
  }
  if (scope && !inScope(by, scope.code)) {
    throw new AppError(
      'forbidden',
      `不能授予超出自己范围（${by.scopeCode}）的权限范围`,
      `You cannot grant a scope outside your own (${by.scopeCode})`,
      [{ field: 'scope', message: '应在你自己的范围之内 / must lie inside your own scope' }],
    );
  }
}

/** The user, if they lie inside the caller's scope; 404 otherwise, as for a user that does not exist. */
async function managedUser(db: Db, id: number, by: Viewer): Promise<q.UserRow> {
  const user = await q.findUser(db, id);
  if (!user || !inScope(by, user.scope_code)) throw notFound(`没有用户 ${id}`, `No user ${id}`);
  return user;
}

async function present(db: Db, row: q.UserRow & { scope_name?: string | null }): Promise<PublicUser> {
  const scopeName = row.scope_name ?? (await findDivision(db, row.scope_code))?.name;
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    role: row.role as Role,
    scopeCode: row.scope_code,
    scopeName: scopeName ?? row.scope_code,
    unitName: row.unit_name,
    disabled: row.disabled_at !== null,
  };
}

/** The password omitted: a random one is generated and returned once. */
export type NewUser = NewUserInput;

export async function createUser(db: Db, input: NewUser, by: Viewer): Promise<NewUserResult> {
  const role = parseRole(input.role);
  const scope = await parseScope(db, input.scope);
  requireGrantable(by, role, scope);
  if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.login)) {
    throw invalid('登录名格式不对', 'Invalid login name', [
      { field: 'login', message: '2–64 个字母、数字或 _.@- / 2–64 letters, digits or _.@-' },
    ]);
  }
  const weak = input.password !== undefined ? passwordProblem(input.password, input) : undefined;
  if (weak) throw invalid('密码不够安全', 'The password is not safe enough', [weak]);
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    if (await q.findUserForLogin(trx, input.login)) {
      throw new AppError('conflict', `登录名 ${input.login} 已被使用`, `Login ${input.login} is taken`, [
        { field: 'login', message: 'taken' },
      ]);
    }
    const row = await q.insertUser(trx, {
      login: input.login,
      display_name: input.displayName?.trim() || input.login,
      password_hash: passwordHash,
      role,
      scope_code: scope.code,
      unit_name: input.unitName ?? null,
    });
    await auditBy(trx, by, 'user.create', 'user', row.id, { login: row.login, role, scope: scope.code });
    return { user: await present(trx, row), password };
  });
}

export async function updateUser(db: Db, id: number, changes: UserChanges, by: Viewer): Promise<PublicUser> {
  const role = changes.role !== undefined ? parseRole(changes.role) : undefined;
  const scope = changes.scope !== undefined ? await parseScope(db, changes.scope) : undefined;
  requireGrantable(by, role, scope);
  if (changes.disabled && by.userId === id) {
    throw invalid('不能停用自己的账号', 'You cannot disable your own account', [{ field: 'disabled', message: 'self' }]);
  }
  return db.transaction().execute(async (trx) => {
    const before = await managedUser(trx, id, by);
    const after = await q.updateUser(trx, id, {
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(role ? { role } : {}),
      ...(scope ? { scope_code: scope.code } : {}),
      ...(changes.unitName !== undefined ? { unit_name: changes.unitName } : {}),
      ...(changes.disabled !== undefined ? { disabled_at: changes.disabled ? (before.disabled_at ?? new Date()) : null } : {}),
    });
    // A changed role or scope, or a disabled account, must not keep the powers of an old session.
    if (role || scope || changes.disabled) await q.deleteSessionsOf(trx, id);
    // Nor its API tokens: enabling the account again must not bring them back to life.
    if (changes.disabled) await q.revokeApiTokensOf(trx, id);
    await auditBy(trx, by, changes.disabled === true ? 'user.disable' : 'user.update', 'user', id, { ...changes });
    return present(trx, after!);
  });
}

export async function listUsers(db: Db, page: { limit?: number | undefined; cursor?: string | undefined }, by: Viewer) {
  const limit = page.limit ?? 50;
  const before = idCursor(page.cursor);
  const rows = await q.listUsers(db, { limit, before, scopeCode: by.scopeCode });
  return {
    items: await Promise.all(rows.map((r) => present(db, r))),
    nextCursor: nextCursor(rows, limit, (row) => row.id),
  };
}

export type LoginResult = { ok: true; session: SessionView; token: string } | { ok: false };

export async function login(db: Db, loginName: string, password: string, from: string): Promise<LoginResult> {
  const user = await q.findUserForLogin(db, loginName);
  // Verify against a dummy hash for unknown logins so both answers take the same time.
  let valid = false;
  if (user) valid = await verifyPassword(user.password_hash, password);
  else await verifyPassword(await dummyHash, password);
  if (!user || !valid || user.disabled_at) {
    await recordAudit(db, {
      actor: loginName.slice(0, 64),
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user ? String(user.id) : '-',
      changes: { from },
    });
    return { ok: false };
  }
  const token = randomToken();
  const csrfToken = randomToken(18);
  await db.transaction().execute(async (trx) => {
    await q.insertSession(trx, {
      id: sha256(token),
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: new Date(Date.now() + SESSION_HOURS * 3600_000),
    });
    await auditBy(trx, { actor: user.login }, 'auth.login', 'user', user.id, { from });
  });
  const publicUser = await present(db, user);
  return { ok: true, token, session: { user: publicUser, abilities: abilitiesOf(publicUser.role), csrfToken } };
}

export async function logout(db: Db, token: string, viewer: Viewer): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await q.deleteSession(trx, sha256(token));
    await auditBy(trx, viewer, 'auth.logout', 'user', String(viewer.userId));
  });
}

export interface Authenticated {
  viewer: Viewer;
  /** Set for cookie sessions, whose writes must carry it; absent for API tokens. */
  csrfToken?: string;
}

const viewerFrom = (row: { id: number; login: string; role: string; scope_code: string; unit_name: string | null }): Viewer => ({
  userId: row.id,
  actor: row.login,
  role: row.role as Role,
  scopeCode: row.scope_code,
  unitName: row.unit_name,
});

export async function authenticateSession(db: Db, token: string): Promise<Authenticated | undefined> {
  const row = await q.findLiveSession(db, sha256(token));
  return row ? { viewer: viewerFrom(row), csrfToken: row.csrf_token } : undefined;
}

export async function authenticateApiToken(db: Db, token: string): Promise<Authenticated | undefined> {
  const row = await q.findLiveApiToken(db, sha256(token));
  if (!row) return undefined;
  // Noted at most once a minute (touchApiToken): the write is skipped without a round trip when it was just noted.
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) await q.touchApiToken(db, row.token_id);
  return { viewer: viewerFrom(row) };
}

export async function sessionView(db: Db, csrfToken: string, viewer: Viewer): Promise<SessionView> {
  const row = await q.findUser(db, viewer.userId!);
  if (!row) throw notFound('用户不存在', 'User not found');
  const user = await present(db, row);
  return { user, abilities: abilitiesOf(user.role), csrfToken };
}

/** Machine clients get a token shown once; only its hash is kept. */
export async function createApiToken(db: Db, userId: number, name: string, by: Viewer) {
  await managedUser(db, userId, by);
  const token = `ma_${randomToken()}`;
  return db.transaction().execute(async (trx) => {
    const row = await q.insertApiToken(trx, { user_id: userId, name, token_hash: sha256(token) });
    await auditBy(trx, by, 'api_token.create', 'user', userId, { tokenId: row.id, name });
    return { id: row.id, name: row.name, token };
  });
}

export async function listApiTokens(db: Db, userId: number, by: Viewer) {
  await managedUser(db, userId, by);
  const rows = await q.listApiTokens(db, userId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

/** An admin sets a new random password, shown once; the user's sessions end. */
export async function resetPassword(db: Db, userId: number, by: Viewer): Promise<{ password: string }> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await managedUser(trx, userId, by);
    await q.updateUser(trx, userId, { password_hash: passwordHash });
    await q.deleteSessionsOf(trx, userId);
    await auditBy(trx, by, 'user.reset_password', 'user', userId);
  });
  return { password };
}

export async function revokeApiToken(db: Db, userId: number, tokenId: number, by: Viewer) {
  return db.transaction().execute(async (trx) => {
    await managedUser(trx, userId, by);
    const revoked = await q.revokeApiToken(trx, tokenId, userId);
    if (!revoked) throw notFound(`没有有效的令牌 ${tokenId}`, `No live token ${tokenId}`);
    await auditBy(trx, by, 'api_token.revoke', 'user', userId, { tokenId });
  });
}

/**
 * The audit filter for a viewer: admins of a province or wider read the whole log (the system's
 * own entries too); narrower ones only entries by or about users inside their scope.
 */
export function auditScopeOf(by: Viewer): string | undefined {
  return by.scopeCode.length <= 2 ? undefined : by.scopeCode;
}

/** First start: one admin with a random password, returned once for the caller to print. */
export async function ensureFirstAdmin(db: Db): Promise<{ login: string; password: string } | undefined> {
  if ((await q.countUsers(db)) > 0) return undefined;
  const { user, password } = await createUser(
    db,
    { login: 'admin', displayName: '系统管理员', role: 'admin', scope: '11' },
    { userId: null, actor: 'system', role: 'admin', scopeCode: '' },
  );
  return { login: user.login, password };
}
