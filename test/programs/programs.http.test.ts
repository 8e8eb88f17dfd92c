import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { addDays, shanghaiToday } from '../../src/shared/dates.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';
import { GAOJINGLU, JINGTIE } from './world.ts';

describe.each(backends)('programs API on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let fengtai: Agent;
  let shijingshan: Agent;
  let admin: Agent;
  const ids = { program: 0, batch: 0, jia: 0, tian: 0, jiaPosting: 0, tianPosting: 0, housing: 0 };

  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    fengtai = await loginAs(app, t.db, 'org_department', '110106');
    shijingshan = await loginAs(app, t.db, 'org_department', '110107');
    admin = await loginAs(app, t.db, 'admin', '11');
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (agent: Agent, url: string, payload: object) => agent.inject({ method: 'POST', url, payload });

  it('records a program, a batch, its communities, cadres and a posting through the API', async () => {
    const unit = await post(fengtai, '/api/v1/units', {
      name: '丰台区住房和城乡建设委员会',
      type: 'party_government_agency',
      districtCode: '110106000000',
    });
    expect(unit.statusCode, unit.body).toBe(201);
    expect(unit.json()).toMatchObject({ districtCode: '110106', districtName: '丰台区' });
    ids.housing = unit.json().id;
    const program = await post(fengtai, '/api/v1/programs', {
      kind: 'governance_secretary',
      name: '丰台区治理书记',
      districtCode: '110106',
    });
    expect(program.statusCode, program.body).toBe(201);
    ids.program = program.json().id;
    const batch = await post(fengtai, `/api/v1/programs/${ids.program}/batches`, { startDate: '2021-11-30' });
    expect(batch.json()).toMatchObject({ number: 1, startDate: '2021-11-30', endDate: null });
    ids.batch = batch.json().id;
    const added = await post(fengtai, `/api/v1/batches/${ids.batch}/communities`, {
      communities: [{ communityCode: JINGTIE, selectionEvidence: { rankAppearances: 5 } }],
    });
    expect(added.json()).toEqual({ added: 1 });
    for (const [key, name] of [
      ['jia', '贾岚'],
      ['tian', '田慧林'],
    ] as const) {
      const cadre = await post(fengtai, '/api/v1/cadres', { name, unitId: ids.housing, expertise: ['parking'], phone: '13812345678' });
      expect(cadre.statusCode, cadre.body).toBe(201);
      ids[key] = cadre.json().id;
    }
    const posting = await post(fengtai, '/api/v1/postings', { batchId: ids.batch, cadreId: ids.jia, communityCode: JINGTIE });
    expect(posting.statusCode, posting.body).toBe(201);
    expect(posting.json()).toMatchObject({ cadre: { name: '贾岚' }, communityName: '京铁家园社区', status: 'active', kind: 'new' });
    ids.jiaPosting = posting.json().id;
    const succession = await post(fengtai, `/api/v1/postings/${ids.jiaPosting}/succession`, {
      cadreId: ids.tian,
      startDate: '2023-02-01',
      handover: { notes: '停车场已投用', openItems: [{ description: '电梯更新' }] },
    });
    expect(succession.statusCode, succession.body).toBe(201);
    ids.tianPosting = succession.json().successor.id;
    const history = await fengtai.inject(`/api/v1/communities/${JINGTIE}/secretaries`);
    expect(history.json().items.map((p: { cadre: { name: string } }) => p.cadre.name)).toEqual(['贾岚', '田慧林']);
  });

  it('answers an overlapping posting with 409 problem+json naming the field', async () => {
    const res = await post(fengtai, '/api/v1/postings', {
      batchId: ids.batch,
      cadreId: ids.jia,
      communityCode: JINGTIE,
      startDate: '2023-03-01',
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 409, detail: expect.stringContaining('田慧林'), errors: [{ field: 'startDate' }] });
  });

  it('answers malformed input with 400 naming the field', async () => {
    const url = `/api/v1/postings/${ids.tianPosting}/duty-days`;
    for (const [payload, field] of [
      [{ date: '2023-02-30', hours: 4, work: '走访' }, 'date'],
      [{ date: '2023-02-06', hours: 30, work: '走访' }, 'hours'],
      [{ date: '2023-02-06', hours: 4, work: '走访', where: 'x' }, 'where'],
    ] as const) {
      const res = await post(fengtai, url, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await fengtai.inject(`${url}`)).json().total).toBe(0);
  });

  it('keeps Fengtai’s postings from a Shijingshan user', async () => {
    expect((await shijingshan.inject(`/api/v1/postings/${ids.tianPosting}`)).statusCode).toBe(403);
    expect((await shijingshan.inject(`/api/v1/communities/${JINGTIE}/secretaries`)).statusCode).toBe(403);
    expect((await post(shijingshan, `/api/v1/postings/${ids.tianPosting}/end`, { endDate: '2024-01-01' })).statusCode).toBe(403);
    const list = await shijingshan.inject('/api/v1/postings');
    expect(list.json()).toMatchObject({ items: [], total: 0 });
    expect((await shijingshan.inject('/api/v1/programs')).json().total).toBe(0);
    expect((await fengtai.inject(`/api/v1/postings/${ids.tianPosting}`)).json()).toMatchObject({
      handoverIn: { openItems: [{ description: '电梯更新' }] },
    });
  });

  it('lets a secretary log duty days on their own posting only', async () => {
    const tian = await loginAs(app, t.db, 'secretary', JINGTIE);
    const other = await loginAs(app, t.db, 'secretary', JINGTIE);
    const linked = await fengtai.inject({ method: 'PUT', url: `/api/v1/cadres/${ids.tian}/user`, payload: { userId: tian.userId } });
    expect(linked.statusCode, linked.body).toBe(200);
    const day = { date: '2023-02-06', hours: 6, work: '停车管理议事会', withWhom: '物业、居民代表', communityCode: JINGTIE };
    const own = await post(tian, `/api/v1/postings/${ids.tianPosting}/duty-days`, day);
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ date: '2023-02-06', hours: 6, loggedBy: tian.login });
    expect((await post(tian, `/api/v1/postings/${ids.jiaPosting}/duty-days`, { ...day, date: '2022-01-05' })).statusCode).toBe(403);
    expect((await post(other, `/api/v1/postings/${ids.tianPosting}/duty-days`, { ...day, date: '2023-02-07' })).statusCode).toBe(403);
    const future = await post(tian, `/api/v1/postings/${ids.tianPosting}/duty-days`, { ...day, date: addDays(shanghaiToday(), 2) }); // two days ahead: no flake at Beijing midnight
    expect(future.statusCode).toBe(400);
    expect(future.json().detail).toMatch(/还没到/);
    const days = await tian.inject(`/api/v1/postings/${ids.tianPosting}/duty-days`);
    expect(days.json()).toMatchObject({ total: 1, items: [{ date: '2023-02-06' }] });
    const linkOther = await fengtai.inject({ method: 'PUT', url: `/api/v1/cadres/${ids.jia}/user`, payload: { userId: fengtai.userId } });
    expect(linkOther.statusCode).toBe(400);
  });

  it('masks a cadre’s phone for every role but admin and org_department', async () => {
    const street = await loginAs(app, t.db, 'street_office', '110106008');
    expect((await street.inject(`/api/v1/cadres/${ids.jia}`)).json().phone).toBe('138****5678');
    expect((await fengtai.inject(`/api/v1/cadres/${ids.jia}`)).json().phone).toBe('13812345678');
    expect((await admin.inject(`/api/v1/cadres/${ids.jia}`)).json().phone).toBe('13812345678');
  });

  it('matches cadres to the categories given for a community', async () => {
    const res = await fengtai.inject(`/api/v1/communities/${JINGTIE}/cadre-matches?categories=parking.shortage`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((m: { cadre: { name: string } }) => m.cadre.name)).toEqual(['贾岚', '田慧林']);
    expect((await shijingshan.inject(`/api/v1/communities/${JINGTIE}/cadre-matches?categories=parking`)).statusCode).toBe(403);
    expect((await shijingshan.inject(`/api/v1/communities/${GAOJINGLU}/cadre-matches?categories=gas`)).json().items).toEqual([]);
  });

  it('sends the roster as an xlsx attachment', async () => {
    const res = await fengtai.inject(`/api/v1/programs/${ids.program}/roster.xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('丰台区治理书记名册.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(workbook.getWorksheet('名册')!.rowCount).toBe(3);
    const roster = await fengtai.inject(`/api/v1/programs/${ids.program}/roster`);
    expect(roster.json().totals).toMatchObject({ cadres: 2, postings: 2, active: 1, ended: 1 });
  });

  it('documents every programs route in the OpenAPI description', async () => {
    const res = await app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/postings/{id}/succession', '/api/v1/programs/{id}/roster.xlsx', '/api/v1/units']),
    );
  });
});
