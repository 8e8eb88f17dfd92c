import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';
import { recordDashboardWorld } from './dashboard-world.ts';

interface Problem {
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

describe.each(backends)('GET /district-dashboard on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let leader: Agent;
  let fengtaiOrg: Agent;
  let fengtaiStreetOffice: Agent;
  let liuliqiaoViewer: Agent;
  let shijingshanHotline: Agent;

  beforeAll(async () => {
    await recordDashboardWorld(t.db.kysely);
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    leader = await loginAs(app, t.db, 'viewer', '11');
    fengtaiOrg = await loginAs(app, t.db, 'org_department', '110106');
    fengtaiStreetOffice = await loginAs(app, t.db, 'street_office', '110106');
    liuliqiaoViewer = await loginAs(app, t.db, 'viewer', '110106008');
    shijingshanHotline = await loginAs(app, t.db, 'hotline_office', '110107');
  });
  afterAll(async () => {
    await app.close();
  });

  const get = async (as: Agent | null, query = '') => {
    const url = `/api/v1/district-dashboard${query}`;
    const res = as ? await as.inject(url) : await app.inject(url);
    return { status: res.statusCode, body: res.json() as Record<string, unknown> & Problem };
  };

  it('opens the city viewer on Fengtai at the data’s last complete period, and lets them pick any district', async () => {
    const { status, body } = await get(leader);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      district: { code: '110106', name: '丰台区' },
      asOf: { month: '2023-12', date: '2023-12-31' },
      postingsActive: 3,
      communitiesCovered: 2,
    });
    expect((body.districts as unknown[]).length).toBe(16);
    expect((body.marks as Array<{ kind: string }>).map((m) => m.kind)).toEqual(['batch_start', 'batch_start', 'succession', 'batch_start']);
    const sjs = await get(leader, '?district=110107&month=2022-06');
    expect(sjs.status).toBe(200);
    expect(sjs.body).toMatchObject({ district: { code: '110107' }, postingsActive: 1, communitiesCovered: 1 });
  });

  it('keeps a district’s user to that district (wrong division)', async () => {
    expect((await get(fengtaiOrg)).body).toMatchObject({ district: { code: '110106' }, districts: [{ code: '110106', programs: 2 }] });
    const other = await get(fengtaiOrg, '?district=110107');
    expect(other.status).toBe(403);
    expect(other.body.detail).toContain('110107');
    const otherWay = await get(shijingshanHotline, '?district=110106');
    expect(otherWay.status).toBe(403);
    expect((await get(shijingshanHotline)).body).toMatchObject({ district: { code: '110107' } });
    // A viewer of one street reads no whole district, not even its own.
    expect((await get(liuliqiaoViewer)).status).toBe(403);
    expect((await get(liuliqiaoViewer, '?district=110106')).status).toBe(403);
  });

  it('refuses roles that do not read a whole district (wrong role), and anonymous callers', async () => {
    expect((await get(fengtaiStreetOffice, '?district=110106')).status).toBe(403);
    expect((await get(null, '?district=110106')).status).toBe(401);
  });

  it('answers bad input with 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['?district=1101', 'district'],
      ['?district=110106008', 'district'],
      ['?district=110106008028', 'district'],
      ['?month=2023-13', 'month'],
      ['?month=december', 'month'],
      ['?month=2099-01', 'month'],
      ['?month=2023-12&from=2013-12', 'from'],
      ['?month=2023-12&from=2024-01', 'from'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await get(leader, query);
      expect(status, query).toBe(400);
      expect(JSON.stringify(body.errors ?? []), query).toContain(field);
    }
    const tooLong = await get(leader, '?month=2023-12&from=2013-12');
    expect(tooLong.body.detail).toContain('120');
    // A division that is no district: the 6-digit code of nothing.
    expect((await get(leader, '?district=119999')).status).toBe(404);
  });
});
