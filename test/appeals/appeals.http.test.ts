import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

const JINGTIE = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区
const YUQUANLU = '110107001003'; // 玉泉路西社区, 石景山区

describe.each(backends)('appeals API on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  /** The city hotline dispatches and calls back; Liuliqiao's street office responds and handles. */
  let hotline: Agent;
  let street: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    hotline = await loginAs(app, t.db, 'hotline_office', '11');
    street = await loginAs(app, t.db, 'street_office', '110106008');
  });
  afterAll(async () => {
    await app.close();
  });

  const api = (options: InjectOptions, as: Agent = hotline) => as.inject(options);
  const post = (url: string, payload: object, as?: Agent) => api({ method: 'POST', url, payload }, as);
  const get = (url: string, as?: Agent) => api({ method: 'GET', url }, as);
  const appeal = (extra: object = {}) => ({
    channel: 'web',
    kind: 'complaint',
    categoryCode: 'parking',
    description: '小区停车难',
    communityCode: JINGTIE,
    reporterName: '李四',
    reporterPhone: '13900001111',
    ...extra,
  });
  const expectProblem = (res: Awaited<ReturnType<typeof api>>, status: number) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    return res.json() as { detail: string; errors?: Array<{ field: string; message: string }> };
  };

  it('files an appeal, takes it through its steps and reads back its timeline', async () => {
    const created = await post('/api/v1/appeals', appeal({ receivedAt: '2023-03-01T01:00:00Z' }));
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(created.headers.location).toBe(`/api/v1/appeals/${body.id}`);
    expect(body).toMatchObject({ ticketNo: expect.stringMatching(/^MA-/), status: 'received', version: 1, communityName: '京铁家园社区' });

    const url = `/api/v1/appeals/${body.id}/events`;
    const dispatched = await post(url, {
      type: 'dispatch',
      expectedVersion: 1,
      unit: { name: '六里桥街道办事处', type: 'street_office' },
      at: '2023-03-01T02:00:00Z',
    });
    expect(dispatched.statusCode).toBe(201);
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', version: 2, responseDueAt: '2023-03-01T04:00:00.000Z' });
    expect((await post(url, { type: 'respond', expectedVersion: 2 })).statusCode).toBe(403);
    expect((await post(url, { type: 'respond', expectedVersion: 2, at: '2023-03-01T02:30:00Z' }, street)).statusCode).toBe(201);
    expect((await post(url, { type: 'handle', expectedVersion: 3, result: '已协调物业规范停车' }, street)).statusCode).toBe(201);
    const called = await post(url, { type: 'callback', expectedVersion: 4, contacted: true, solved: true, satisfaction: 'basically' });
    expect(called.json()).toMatchObject({
      status: 'called_back',
      solved: true,
      satisfaction: 'basically',
      nextSteps: ['callback', 'close', 'reopen'],
    });

    const detail = await get(`/api/v1/appeals/${body.id}`);
    expect(detail.statusCode).toBe(200);
    expect(
      detail.json().events.map((e: { type: string; actor: string }) => `${e.type} ${e.actor === street.login ? 'street' : 'hotline'}`),
    ).toEqual(['received hotline', 'dispatch hotline', 'respond street', 'handle street', 'callback hotline']);
  });

  it('takes JSON nulls as nulls: an unreached callback, no address, no duplicate', async () => {
    const created = await post('/api/v1/appeals', appeal({ address: null, duplicateOf: null, reporterName: null }));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ address: null, duplicateOf: null, reporterName: null });
    const url = `/api/v1/appeals/${created.json().id}/events`;
    await post(url, { type: 'dispatch', expectedVersion: 1, unit: { name: '六里桥街道办事处', type: 'street_office' } });
    await post(url, { type: 'respond', expectedVersion: 2 }, street);
    await post(url, { type: 'handle', expectedVersion: 3, result: '已处理' }, street);
    const unreached = await post(url, { type: 'callback', expectedVersion: 4, contacted: false, solved: null, satisfaction: null });
    expect(unreached.statusCode).toBe(201);
    expect(unreached.json()).toMatchObject({ contacted: false, solved: null, satisfaction: null });
  });

  it('keeps each viewer inside its scope and masks reporters for roles that may not see them', async () => {
    const fengtai = await loginAs(app, t.db, 'hotline_office', '110106');
    const reader = await loginAs(app, t.db, 'viewer', '110106');
    const there = (await post('/api/v1/appeals', appeal({ communityCode: YUQUANLU, receivedAt: '2022-08-02T02:00:00Z' }))).json();
    const here = (await post('/api/v1/appeals', appeal({ receivedAt: '2022-08-03T02:00:00Z' }))).json();
    const window = 'receivedFrom=2022-08-01&receivedTo=2022-08-31';
    expect((await get(`/api/v1/appeals?${window}`, fengtai)).json().items.map((a: { id: number }) => a.id)).toEqual([here.id]);
    expectProblem(await get(`/api/v1/appeals/${there.id}`, fengtai), 404);
    expectProblem(await post(`/api/v1/appeals/${there.id}/events`, { type: 'close', expectedVersion: 1 }, fengtai), 404);
    expectProblem(await post('/api/v1/appeals', appeal({ communityCode: YUQUANLU }), fengtai), 403);

    // Masked on the page even for the hotline; unmasking is a request of its own, and logged.
    expect((await get(`/api/v1/appeals/${here.id}`, fengtai)).json()).toMatchObject({ reporterName: '李**', personalDataMasked: true });
    expect((await get(`/api/v1/appeals/${here.id}/reporter`, fengtai)).json()).toEqual({
      reporterName: '李四',
      reporterPhone: '13900001111',
    });
    const logged = await t.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'appeal.reveal_reporter')
      .where('entity_id', '=', String(here.id))
      .execute();
    expect(logged).toHaveLength(1);
    expectProblem(await get(`/api/v1/appeals/${here.id}/reporter`, reader), 403);
    expectProblem(await get(`/api/v1/appeals/${there.id}/reporter`, fengtai), 404);
    const masked = (await get(`/api/v1/appeals/${here.id}`, reader)).json();
    expect(masked).toMatchObject({ reporterName: '李**', reporterPhone: '139****1111', personalDataMasked: true, nextSteps: [] });
    expect((await get(`/api/v1/appeals?${window}`, reader)).json().items[0]).toMatchObject({ reporterName: '李**' });
    expectProblem(await post('/api/v1/appeals', appeal(), reader), 403);
  });

  it('refuses anonymous callers but shows them the categories', async () => {
    expectProblem(await app.inject('/api/v1/appeals'), 401);
    expect((await app.inject('/api/v1/appeal-categories')).statusCode).toBe(200);
  });

  it('answers a stale version and an illegal step with 409 and the reason', async () => {
    const { id } = (await post('/api/v1/appeals', appeal())).json();
    const url = `/api/v1/appeals/${id}/events`;
    const illegal = expectProblem(await post(url, { type: 'handle', expectedVersion: 1, result: 'x' }, street), 409);
    expect(illegal.detail).toContain('不能办理');
    expect(illegal.detail).toContain('cannot handle');
    await post(url, { type: 'close', expectedVersion: 1, note: '咨询已答复' });
    const stale = expectProblem(await post(url, { type: 'close', expectedVersion: 1 }), 409);
    expect(stale.detail).toContain('version 2');
  });

  it('refuses a ticket number already on file with 409', async () => {
    expect((await post('/api/v1/appeals', appeal({ ticketNo: 'FT20230301-0001' }))).statusCode).toBe(201);
    const again = expectProblem(await post('/api/v1/appeals', appeal({ ticketNo: 'FT20230301-0001' })), 409);
    expect(again.detail).toContain('FT20230301-0001');
  });

  it('answers bad input with 400 naming the field', async () => {
    const missing = expectProblem(
      await post('/api/v1/appeals', { channel: 'web', kind: 'complaint', categoryCode: 'parking', communityCode: JINGTIE }),
      400,
    );
    expect(missing.errors?.[0]?.field).toBe('description');
    const unknownCommunity = expectProblem(await post('/api/v1/appeals', appeal({ communityCode: '110106008999' })), 400);
    expect(unknownCommunity.errors).toEqual([{ field: 'communityCode', message: expect.stringContaining('110106008999') }]);
    const unknownCategory = expectProblem(await post('/api/v1/appeals', appeal({ categoryCode: 'parking.flying_cars' })), 400);
    expect(unknownCategory.errors?.[0]?.field).toBe('categoryCode');
    expect(expectProblem(await post('/api/v1/appeals', appeal({ channel: 'pigeon' })), 400).errors?.[0]?.field).toBe('channel');
    expect(expectProblem(await post('/api/v1/appeals', appeal({ secret: 1 })), 400).errors?.[0]?.field).toBe('secret');

    const { id } = (await post('/api/v1/appeals', appeal())).json();
    const noUnit = expectProblem(await post(`/api/v1/appeals/${id}/events`, { type: 'dispatch', expectedVersion: 1 }), 400);
    expect(noUnit.errors?.[0]?.field).toBe('unit');
    expect(expectProblem(await post(`/api/v1/appeals/${id}/events`, { type: 'respond' }), 400).errors?.[0]?.field).toBe('expectedVersion');
    expect(
      expectProblem(await post(`/api/v1/appeals/${id}/events`, { type: 'teleport', expectedVersion: 1 }), 400).errors?.[0]?.field,
    ).toBe('type');
    expect(expectProblem(await get('/api/v1/appeals?limit=0'), 400).errors?.[0]?.field).toBe('limit');
    expect(expectProblem(await get('/api/v1/appeals?cursor=zzz'), 400).errors?.[0]?.field).toBe('cursor');
    expect(expectProblem(await get('/api/v1/appeals?status=lost'), 400).errors?.[0]?.field).toMatch(/^status/);
    expect(expectProblem(await get('/api/v1/appeals/abc'), 400).errors?.[0]?.field).toBe('id');
  });

  it('answers an unknown appeal with 404', async () => {
    expectProblem(await get('/api/v1/appeals/987654321'), 404);
    expectProblem(await post('/api/v1/appeals/987654321/events', { type: 'respond', expectedVersion: 1 }), 404);
  });

  it('filters by query parameters, repeated ones included, and pages with a cursor', async () => {
    for (const day of ['05', '06', '07']) {
      await post('/api/v1/appeals', appeal({ receivedAt: `2022-04-${day}T02:00:00Z`, kind: day === '06' ? 'help' : 'complaint' }));
    }
    const window = 'receivedFrom=2022-04-01&receivedTo=2022-04-30';
    const both = await get(`/api/v1/appeals?${window}&kind=help&kind=complaint&division=110106008&overdue=false&limit=2`);
    expect(both.statusCode).toBe(200);
    expect(both.json()).toMatchObject({ total: 3, nextCursor: expect.any(String) });
    const rest = await get(
      `/api/v1/appeals?${window}&kind=help&kind=complaint&division=110106008&overdue=false&limit=2&cursor=${both.json().nextCursor}`,
    );
    expect(rest.json().items).toHaveLength(1);
    expect(rest.json().nextCursor).toBeNull();
    const help = await get(`/api/v1/appeals?${window}&kind=help&q=${encodeURIComponent('停车')}`);
    expect(help.json().items.map((a: { receivedAt: string }) => a.receivedAt)).toEqual(['2022-04-06T02:00:00.000Z']);
  });

  it('serves the category tree', async () => {
    const res = await get('/api/v1/appeal-categories');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual(
      expect.arrayContaining([
        { code: 'parking', parentCode: null, nameZh: '停车管理', nameEn: 'Parking', sort: 20 },
        expect.objectContaining({ code: 'parking.shortage', parentCode: 'parking' }),
      ]),
    );
  });

  it('declares a policy on every appeal route and documents them in OpenAPI', async () => {
    // The appeals' own routes: imports (test/appeals/import) and projects' links have their tests.
    const routes = app.declaredRoutes.filter((r) => /^\/api\/v1\/appeal(s|-categories)\b/.test(r.url));
    expect(routes.map((r) => `${r.method} ${r.url} ${r.policy.kind === 'action' ? r.policy.action : r.policy.kind}`).sort()).toEqual([
      'GET /api/v1/appeal-categories public',
      'GET /api/v1/appeals appeal.read',
      'GET /api/v1/appeals/:id appeal.read',
      'GET /api/v1/appeals/:id/reporter appeal.reveal_reporter',
      'POST /api/v1/appeals appeal.create',
      'POST /api/v1/appeals/:id/events appeal.event',
    ]);
    const docs = (await get('/api/docs/json')).json();
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/v1/appeals', '/api/v1/appeals/{id}/events']));
  });
});
