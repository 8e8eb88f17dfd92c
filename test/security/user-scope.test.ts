import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createUser } from '../../src/domains/accounts/service.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

/**
 * Issue 17, item 1: an admin scoped to Fengtai (110106) could create a city admin, reset the city
 * admin's password, issue tokens for other districts' users and read the city's audit log.
 */
describe.each(backends)('user management stays inside the manager’s scope on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let city: Agent;
  let fengtai: Agent;
  let cityAdminId: number;
  let shijingshanUserId: number;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    city = await loginAs(app, t.db, 'admin', '11');
    fengtai = await loginAs(app, t.db, 'admin', '110106');
    cityAdminId = city.userId;
    shijingshanUserId = (
      await createUser(
        t.db.kysely,
        { login: 'sjs-street', role: 'street_office', scope: '110107009', password: 'a fine long passphrase' },
        systemViewer,
      )
    ).user.id;
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses to create a user with a scope wider than or beside the manager’s own, naming the field', async () => {
    for (const scope of ['11', '110107', '110107009']) {
      const res = await fengtai.inject({ method: 'POST', url: '/api/v1/users', payload: { login: `wide-${scope}`, role: 'admin', scope } });
      expect(res.statusCode, scope).toBe(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors[0].field).toBe('scope');
    }
    const rows = await t.db.kysely.selectFrom('app_user').select('login').where('login', 'like', 'wide-%').execute();
    expect(rows).toEqual([]);
    const inside = await fengtai.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { login: 'llq-new', role: 'street_office', scope: '110106008' },
    });
    expect(inside.statusCode).toBe(201);
  });

  it('treats users outside the scope as absent: no change, no password reset, no tokens', async () => {
    const attempts = [
      { method: 'PATCH' as const, url: `/api/v1/users/${cityAdminId}`, payload: { displayName: 'taken over' } },
      { method: 'PATCH' as const, url: `/api/v1/users/${shijingshanUserId}`, payload: { disabled: true } },
      { method: 'POST' as const, url: `/api/v1/users/${cityAdminId}/password` },
      { method: 'POST' as const, url: `/api/v1/users/${shijingshanUserId}/tokens`, payload: { name: 'steal' } },
      { method: 'GET' as const, url: `/api/v1/users/${shijingshanUserId}/tokens` },
      { method: 'DELETE' as const, url: `/api/v1/users/${shijingshanUserId}/tokens/1` },
    ];
    for (const attempt of attempts) {
      const res = await fengtai.inject(attempt);
      expect(res.statusCode, `${attempt.method} ${attempt.url}`).toBe(404);
      expect(res.body).not.toContain('sjs-street');
    }
    const tokens = await t.db.kysely.selectFrom('api_token').select('id').where('user_id', '=', shijingshanUserId).execute();
    expect(tokens).toEqual([]);
    expect((await city.inject('/api/v1/auth/me')).json().user.displayName).not.toBe('taken over');
    // The city admin still manages everyone.
    expect(
      (await city.inject({ method: 'POST', url: `/api/v1/users/${shijingshanUserId}/tokens`, payload: { name: 'fine' } })).statusCode,
    ).toBe(201);
  });

  it('refuses to move a user of its own scope to a wider scope', async () => {
    const own = (
      await createUser(
        t.db.kysely,
        { login: 'ft-street', role: 'street_office', scope: '110106008', password: 'a fine long passphrase' },
        systemViewer,
      )
    ).user.id;
    const res = await fengtai.inject({ method: 'PATCH', url: `/api/v1/users/${own}`, payload: { scope: '11' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().errors[0].field).toBe('scope');
    expect((await fengtai.inject({ method: 'PATCH', url: `/api/v1/users/${own}`, payload: { scope: '110106008028' } })).statusCode).toBe(
      200,
    );
  });

  it('never grants a role that may do more than the granting role', async () => {
    const street = { userId: 1, actor: 'street', role: 'street_office' as const, scopeCode: '110106008' };
    await expect(createUser(t.db.kysely, { login: 'made-admin', role: 'admin', scope: '110106008' }, street)).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });

  it('shows a district admin only audit entries by or about users inside its scope, in the list and the export', async () => {
    // The city admin acts on a Shijingshan user: that entry is not Fengtai's to read.
    await city.inject({ method: 'PATCH', url: `/api/v1/users/${shijingshanUserId}`, payload: { displayName: '石景山街道' } });
    const list = await fengtai.inject('/api/v1/audit?limit=500');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ actor: string; entityId: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.some((i) => i.actor === fengtai.login)).toBe(true);
    expect(items.some((i) => i.actor === city.login)).toBe(false);
    expect(items.some((i) => i.entityId === String(shijingshanUserId))).toBe(false);
    const csv = await fengtai.inject('/api/v1/audit/export');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(fengtai.login);
    expect(csv.body).not.toContain(city.login);
    const all = (await city.inject('/api/v1/audit?limit=500')).json().items as Array<{ actor: string; entityId: string }>;
    expect(all.some((i) => i.actor === city.login)).toBe(true);
    // The system's own entry creating the Shijingshan user: the city reads it, Fengtai does not.
    expect(all.some((i) => i.actor === 'system' && i.entityId === String(shijingshanUserId))).toBe(true);
  });

  it('does not bring a disabled user’s API tokens back when the user is enabled again', async () => {
    const user = (
      await createUser(
        t.db.kysely,
        { login: 'push-ft', role: 'street_office', scope: '110106008', password: 'a fine long passphrase' },
        systemViewer,
      )
    ).user.id;
    const { token } = (await fengtai.inject({ method: 'POST', url: `/api/v1/users/${user}/tokens`, payload: { name: 'push' } })).json();
    const bearer = { authorization: `Bearer ${token}` };
    expect((await app.inject({ url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(200);
    await fengtai.inject({ method: 'PATCH', url: `/api/v1/users/${user}`, payload: { disabled: true } });
    await fengtai.inject({ method: 'PATCH', url: `/api/v1/users/${user}`, payload: { disabled: false } });
    expect((await app.inject({ url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(401);
  });
});
