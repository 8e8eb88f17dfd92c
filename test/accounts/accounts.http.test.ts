import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createUser, ensureFirstAdmin } from '../../src/domains/accounts/service.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { backends, openTestDatabase, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

describe.each(backends)('accounts on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let admin: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 3 });
    admin = await loginAs(app, t.db, 'admin', '11');
  });
  afterAll(async () => {
    await app.close();
  });

  const login = (name: string, password: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: name, password } });

  it('logs in with an HttpOnly, SameSite session cookie and tells the user who they are', async () => {
    await createUser(
      t.db.kysely,
      { login: 'tian', displayName: '田慧林', role: 'street_office', scope: '110106008', password: 'a long enough password' },
      systemViewer,
    );
    const res = await login('tian', 'a long enough password');
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'ma_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const body = res.json();
    expect(body.user).toMatchObject({
      login: 'tian',
      displayName: '田慧林',
      role: 'street_office',
      scopeCode: '110106008',
      scopeName: '六里桥街道',
    });
    expect(body.abilities).toContain('geo.profile.edit');
    expect(body.abilities).not.toContain('users.manage');
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie: `ma_session=${cookie.value}` } });
    expect(me.json().user.login).toBe('tian');
  });

  it('stores passwords as argon2id hashes', async () => {
    const row = await t.db.kysely.selectFrom('app_user').select('password_hash').where('login', '=', 'tian').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain('a long enough password');
  });

  it('refuses a wrong password, logs the failure, and rate-limits repeated attempts', async () => {
    await createUser(t.db.kysely, { login: 'guesser-target', role: 'viewer', scope: '11', password: 'the right password' }, systemViewer);
    const first = await login('guesser-target', 'wrong');
    expect(first.statusCode).toBe(401);
    expect(first.json().detail).toMatch(/登录名或密码错误/);
    await login('guesser-target', 'wrong');
    await login('guesser-target', 'wrong');
    const limited = await login('guesser-target', 'the right password');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(limited.json().detail).toMatch(/登录尝试过于频繁.*Too many login attempts/);
    const failures = await t.db.kysely
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'auth.login_failed')
      .where('actor', '=', 'guesser-target')
      .execute();
    expect(failures).toHaveLength(3);
    // Another login name from the same address is not locked out by it.
    await createUser(t.db.kysely, { login: 'bystander', role: 'viewer', scope: '11', password: 'the right password' }, systemViewer);
    expect((await login('bystander', 'the right password')).statusCode).toBe(200);
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const street = await loginAs(app, t.db, 'street_office', '110106008');
    const url = '/api/v1/communities/110106008028/profile';
    const without = await app.inject({ method: 'PUT', url, headers: { cookie: street.cookie }, payload: { residents: 1 } });
    expect(without.statusCode).toBe(403);
    const wrong = await app.inject({
      method: 'PUT',
      url,
      headers: { cookie: street.cookie, 'x-csrf-token': 'nope' },
      payload: { residents: 1 },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await street.inject({ method: 'PUT', url, payload: { residents: 1 } });
    expect(right.statusCode).toBe(200);
  });

  it('issues API tokens for machine clients, shown once, usable until revoked', async () => {
    const created = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { login: 'push-client', role: 'street_office', scope: '110106008' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().password).toHaveLength(16);
    const userId = created.json().user.id;
    const issued = await admin.inject({ method: 'POST', url: `/api/v1/users/${userId}/tokens`, payload: { name: '12345 push' } });
    expect(issued.statusCode).toBe(201);
    const { token, id } = issued.json();
    expect(token).toMatch(/^ma_/);
    const stored = await t.db.kysely.selectFrom('api_token').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toBe(token);

    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/v1/auth/me', headers: bearer })).json().user.login).toBe('push-client');
    // A bearer token is not a cookie: no CSRF token needed for its writes.
    expect(
      (await app.inject({ method: 'PUT', url: '/api/v1/communities/110106008028/profile', headers: bearer, payload: { buildings: 12 } }))
        .statusCode,
    ).toBe(200);
    expect((await admin.inject({ method: 'DELETE', url: `/api/v1/users/${userId}/tokens/${id}` })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(401);
  });

  it('resets a password: the new one works once shown, the old one and its sessions do not', async () => {
    const street = await loginAs(app, t.db, 'street_office', '110106008');
    const reset = await admin.inject({ method: 'POST', url: `/api/v1/users/${street.userId}/password` });
    expect(reset.statusCode).toBe(200);
    const { password } = reset.json();
    expect((await street.inject('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(street.login, 'correct horse battery staple')).statusCode).toBe(401);
    expect((await login(street.login, password)).statusCode).toBe(200);
    expect((await admin.inject({ method: 'POST', url: '/api/v1/users/999999/password' })).statusCode).toBe(404);
  });

  it('lists a user’s tokens without the tokens themselves', async () => {
    const created = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { login: 'token-owner', role: 'hotline_office', scope: '110106' },
    });
    const userId = created.json().user.id;
    const issued = (await admin.inject({ method: 'POST', url: `/api/v1/users/${userId}/tokens`, payload: { name: 'push' } })).json();
    const list = await admin.inject(`/api/v1/users/${userId}/tokens`);
    expect(list.json()).toEqual([expect.objectContaining({ id: issued.id, name: 'push', revokedAt: null })]);
    expect(list.body).not.toContain(issued.token);
  });

  it('lists users newest first with their scope names', async () => {
    const page = await admin.inject('/api/v1/users?limit=2');
    const [first, second] = page.json().items;
    expect(first.id).toBeGreaterThan(second.id);
    expect(first.scopeName).toBeTruthy();
    const next = await admin.inject(`/api/v1/users?limit=2&cursor=${page.json().nextCursor}`);
    expect(next.json().items[0].id).toBeLessThan(second.id);
  });

  it('ends a disabled user’s session at once', async () => {
    const street = await loginAs(app, t.db, 'street_office', '110106008');
    expect((await street.inject('/api/v1/auth/me')).statusCode).toBe(200);
    const disabled = await admin.inject({ method: 'PATCH', url: `/api/v1/users/${street.userId}`, payload: { disabled: true } });
    expect(disabled.json().disabled).toBe(true);
    expect((await street.inject('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(street.login, 'correct horse battery staple')).statusCode).toBe(401);
  });

  it('answers an unknown role or scope with a clear error naming the field', async () => {
    const role = await admin.inject({ method: 'POST', url: '/api/v1/users', payload: { login: 'x1', role: 'mayor', scope: '110106' } });
    expect(role.statusCode).toBe(400);
    expect(role.json().errors[0].field).toBe('role');
    const scope = await admin.inject({ method: 'POST', url: '/api/v1/users', payload: { login: 'x2', role: 'viewer', scope: '110199' } });
    expect(scope.statusCode).toBe(400);
    expect(scope.json().errors[0].field).toBe('scope');
    const taken = await admin.inject({ method: 'POST', url: '/api/v1/users', payload: { login: 'tian', role: 'viewer', scope: '11' } });
    expect(taken.statusCode).toBe(409);
    const count = await t.db.kysely.selectFrom('app_user').select('login').where('login', 'in', ['x1', 'x2']).execute();
    expect(count).toHaveLength(0);
  });

  it('logs out: the cookie no longer works', async () => {
    const viewer = await loginAs(app, t.db, 'viewer', '11');
    expect((await viewer.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    expect((await viewer.inject('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('keeps an append-only audit log that admins can page and export', async () => {
    const page = await admin.inject('/api/v1/audit?entityType=user&limit=2');
    expect(page.statusCode).toBe(200);
    expect(page.json().items).toHaveLength(2);
    const next = await admin.inject(`/api/v1/audit?entityType=user&limit=2&cursor=${page.json().nextCursor}`);
    expect(next.json().items[0].id).toBeLessThan(page.json().items[1].id);
    const disabled = await admin.inject('/api/v1/audit?action=user.disable');
    expect(disabled.json().items[0]).toMatchObject({ actor: admin.login, entityType: 'user', changes: { disabled: true } });

    const csv = await admin.inject('/api/v1/audit/export?action=auth.login_failed');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toContain('操作人 actor');
    expect(lines.slice(1).every((l) => l.includes('auth.login_failed'))).toBe(true);
    expect(lines.length).toBeGreaterThan(3);

    await expect(t.db.kysely.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(t.db.kysely.updateTable('audit_log').set({ actor: 'someone else' }).execute()).rejects.toThrow(/append-only/);
  });

  it('sends security headers, on a refusal too', async () => {
    for (const res of [await app.inject('/api/v1/health'), await app.inject('/api/v1/appeals')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      const policy = String(res.headers['content-security-policy']);
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("style-src 'self' 'unsafe-inline'");
      expect(policy).not.toContain('upgrade-insecure-requests');
    }
    expect((await app.inject('/api/v1/appeals')).statusCode).toBe(401);
  });

  it('creates the first admin once, with a random password', async () => {
    const fresh = await openTestDatabase(backend);
    try {
      const first = await ensureFirstAdmin(fresh.kysely);
      expect(first?.login).toBe('admin');
      expect(first?.password).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(await ensureFirstAdmin(fresh.kysely)).toBeUndefined();
      const other = await openTestDatabase(backend);
      try {
        expect((await ensureFirstAdmin(other.kysely))?.password).not.toBe(first?.password);
      } finally {
        await other.close();
      }
    } finally {
      await fresh.close();
    }
    // This database already has users: nothing happens.
    expect(await ensureFirstAdmin(t.db.kysely)).toBeUndefined();
  });
});
