import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

/** A 400 problem+json whose errors name this field. */
function expectFieldError(res: LightMyRequestResponse, field: string, what: string): void {
  expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
  expect(res.headers['content-type'], what).toMatch(/application\/problem\+json/);
  expect(
    res.json().errors.map((e: { field: string }) => e.field),
    what,
  ).toContain(field);
}

/**
 * Issue 17, items 4, 5 and 12: bad input answered 500, or was stored. Each is now a 400 that
 * names the field, decided in one place (src/http/validation.ts) for every route.
 */
describe.each(backends)('bad input on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let admin: Agent;
  let viewer: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    admin = await loginAs(app, t.db, 'admin', '11');
    viewer = await loginAs(app, t.db, 'viewer', '11');
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses a NUL byte in q on every list route that searches', async () => {
    for (const url of ['/api/v1/appeals', '/api/v1/divisions', '/api/v1/cadres', '/api/v1/projects', '/api/v1/units']) {
      expectFieldError(await admin.inject(`${url}?q=%E5%81%9C%00%E8%BD%A6`), 'q', url);
    }
  });

  it('refuses a NUL byte or a lone surrogate in a JSON string before it reaches the database', async () => {
    const appeal = { channel: 'walk_in', kind: 'help', categoryCode: 'other', communityCode: '110106008028' };
    expectFieldError(
      await admin.inject({ method: 'POST', url: '/api/v1/appeals', payload: { ...appeal, description: '停车\u0000难' } }),
      'description',
      'NUL',
    );
    const lone = `{"channel":"walk_in","kind":"help","categoryCode":"other","communityCode":"110106008028","description":"停车\\ud800难"}`;
    expectFieldError(
      await admin.inject({ method: 'POST', url: '/api/v1/appeals', payload: lone, headers: { 'content-type': 'application/json' } }),
      'description',
      'lone surrogate',
    );
    const inKey = '{"notes":"x","\\u0000":1}';
    const res = await admin.inject({
      method: 'PUT',
      url: '/api/v1/communities/110106008028/profile',
      payload: inKey,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    const stored = await t.db.kysely.selectFrom('appeal').select('id').where('description', 'like', '停车%难').execute();
    expect(stored).toEqual([]);
  });

  it('refuses blank and zero-width descriptions', async () => {
    const appeal = { channel: 'walk_in', kind: 'help', categoryCode: 'other', communityCode: '110106008028' };
    for (const description of ['   ', '\u200B\u200B', '\u3000']) {
      expectFieldError(
        await admin.inject({ method: 'POST', url: '/api/v1/appeals', payload: { ...appeal, description } }),
        'description',
        JSON.stringify(description),
      );
    }
  });

  it('takes a JSON body’s types as they are: true is no number, "12" is no integer (query strings are still read as text)', async () => {
    const url = '/api/v1/communities/110106008028/profile';
    expectFieldError(await admin.inject({ method: 'PUT', url, payload: { residents: true } }), 'residents', 'true as a number');
    expectFieldError(await admin.inject({ method: 'PUT', url, payload: { residents: '12' } }), 'residents', 'a string as a number');
    const profile = await admin.inject(url);
    expect(profile.json().residents ?? null).not.toBe(1);
    expect((await admin.inject({ method: 'PUT', url, payload: { residents: 3700 } })).statusCode).toBe(200);
    expect((await admin.inject('/api/v1/appeals?limit=2')).statusCode).toBe(200);
  });

  it('refuses the year 0000 and days that do not exist', async () => {
    expectFieldError(await admin.inject('/api/v1/appeals?receivedFrom=0000-01-01'), 'receivedFrom', 'year 0000');
    expectFieldError(await admin.inject('/api/v1/appeals?receivedFrom=2023-02-30'), 'receivedFrom', '2023-02-30');
    expectFieldError(await admin.inject('/api/v1/evaluation/reports/daily?date=2023-02-30'), 'date', 'daily report');
    expectFieldError(await admin.inject('/api/v1/evaluation/figures?level=street&month=0000-01'), 'month', 'month 0000-01');
    expectFieldError(await admin.inject('/api/v1/evaluation/figures?level=street&month=2023-13'), 'month', 'month 13');
    expectFieldError(await admin.inject('/api/v1/programs/1/compliance?from=2023-02-29&to=2023-03-31'), 'from', 'not a leap year');
    expectFieldError(await admin.inject('/api/v1/audit?from=0000-01-01T00:00:00Z'), 'from', 'date-time year 0000');
  });

  it('refuses ids at or above 2^63 (and above PostgreSQL’s integer) instead of failing in the database', async () => {
    expectFieldError(await admin.inject('/api/v1/appeals/9223372036854775808'), 'id', 'appeal id 2^63');
    expectFieldError(await admin.inject('/api/v1/projects/99999999999999999999'), 'id', 'project id');
    expectFieldError(
      await admin.inject({ method: 'PATCH', url: '/api/v1/users/9223372036854775807', payload: { displayName: 'x' } }),
      'id',
      'user id',
    );
    expectFieldError(
      await admin.inject({ method: 'PUT', url: '/api/v1/communities/110106008028/profile', payload: { residents: 2 ** 63 } }),
      'residents',
      'residents',
    );
  });

  it('bounds a trend to 120 months, naming the limit; any logged-in user got 304 MB before', async () => {
    const res = await viewer.inject('/api/v1/evaluation/trend?code=11&from=1000-01&to=9999-12');
    expectFieldError(res, 'to', 'trend');
    expect(res.json().errors[0].message).toContain('120');
    expectFieldError(await viewer.inject('/api/v1/evaluation/categories?from=1000-01&to=9999-12'), 'to', 'categories');
    expectFieldError(await viewer.inject('/api/v1/evaluation/trend?code=11&from=2023-01&to=2022-01'), 'to', 'reversed');
    const fine = await viewer.inject('/api/v1/evaluation/trend?code=11&from=2014-01&to=2023-12');
    expect(fine.statusCode).toBe(200);
    expect(fine.json()).toHaveLength(120);
    expectFieldError(await viewer.inject('/api/v1/appeals?limit=100000'), 'limit', 'page size');
  });
});
