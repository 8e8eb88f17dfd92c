import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { readConfig } from '../../src/config.ts';
import { createUser } from '../../src/domains/accounts/service.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

/** Issue 17, items 8, 9 and 10. */
describe.each(backends)('passwords, login throttling and cookies on %s', (backend) => {
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

  it('refuses common and trivial passwords and the login name, over HTTP and in the service', async () => {
    for (const password of ['          ', '1234567890', 'qwertyuiop', 'password123', 'zhangwei-fengtai', 'Zhangwei-fengtai2023']) {
      const res = await admin.inject({
        method: 'POST',
        url: '/api/v1/users',
        payload: { login: 'zhangwei-fengtai', role: 'viewer', scope: '110106', password },
      });
      expect(res.statusCode, password).toBe(400);
      expect(res.json().errors[0].field, password).toBe('password');
    }
    await expect(
      createUser(t.db.kysely, { login: 'cli-made', role: 'viewer', scope: '11', password: '1111111111' }, systemViewer),
    ).rejects.toMatchObject({ kind: 'invalid' });
    expect(await t.db.kysely.selectFrom('app_user').select('id').where('login', 'in', ['zhangwei-fengtai', 'cli-made']).execute()).toEqual(
      [],
    );
    const fine = await admin.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { login: 'zhangwei-fengtai', role: 'viewer', scope: '110106', password: '六里桥 parking lot 791 spaces' },
    });
    expect(fine.statusCode).toBe(201);
  });

  it('limits failed logins per address too, whatever names are tried, and stops writing failures to the audit log', async () => {
    const from = '203.0.113.7';
    const before = await t.db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'auth.login_failed').execute();
    const answers: number[] = [];
    for (let i = 0; i < 15; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: from,
        payload: { login: `name-${i}`, password: 'not the password' },
      });
      answers.push(res.statusCode);
    }
    // 3 a minute per address and name, 9 failures per address: the 10th name is refused unread.
    expect(answers.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(answers.slice(9)).toEqual(Array(6).fill(429));
    const limited = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: from,
      payload: { login: 'another', password: 'x' },
    });
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(limited.json().detail).toMatch(/此地址登录失败次数过多.*Too many failed logins/);
    const after = await t.db.kysely.selectFrom('audit_log').select('id').where('action', '=', 'auth.login_failed').execute();
    expect(after.length - before.length).toBe(9);
    // Another address is not held back by it.
    await createUser(t.db.kysely, { login: 'elsewhere', role: 'viewer', scope: '11', password: 'a fine long passphrase' }, systemViewer);
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '198.51.100.2',
      payload: { login: 'elsewhere', password: 'a fine long passphrase' },
    });
    expect(other.statusCode).toBe(200);
  });

  it('marks the session cookie Secure when configured, and reads the client address from a trusted proxy', async () => {
    expect(readConfig({}).secureCookies).toBe(false);
    const config = readConfig({ SECURE_COOKIES: '1', TRUST_PROXY: '10.0.0.1' });
    expect(config).toMatchObject({ secureCookies: true, trustProxy: '10.0.0.1' });
    const behindTls = await buildApp({
      db: t.db,
      webDist: '/nonexistent',
      secureCookies: config.secureCookies,
      trustProxy: config.trustProxy,
      loginAttemptsPerMinute: 1,
    });
    try {
      await createUser(t.db.kysely, { login: 'tls-user', role: 'viewer', scope: '11', password: 'a fine long passphrase' }, systemViewer);
      const res = await behindTls.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': '198.51.100.9' },
        payload: { login: 'tls-user', password: 'a fine long passphrase' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'ma_session')?.secure).toBe(true);
      const audit = await t.db.kysely
        .selectFrom('audit_log')
        .select('changes')
        .where('action', '=', 'auth.login')
        .where('actor', '=', 'tls-user')
        .executeTakeFirstOrThrow();
      expect(audit.changes).toMatchObject({ from: '198.51.100.9' });
    } finally {
      await behindTls.close();
    }
  });
});
