import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';
import { JINGTIE, recordFengtai } from '../programs/world.ts';

/** A project from proposal through consultation to completion, through the API only. */
describe.each(backends)('projects API on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let org: Agent;
  let street: Agent;
  let viewer: Agent;
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  const ids = { project: 0, milestone: 0, output: 0, stakeholder: 0, unit: 0 };

  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    fengtai = await recordFengtai(t.db.kysely);
    org = await loginAs(app, t.db, 'org_department', '110106');
    street = await loginAs(app, t.db, 'street_office', '110106008');
    viewer = await loginAs(app, t.db, 'viewer', '110106');
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (agent: Agent, url: string, payload: object) => agent.inject({ method: 'POST', url, payload });

  it('proposes, consults, approves, works and completes a project', async () => {
    const created = await post(street, '/api/v1/projects', {
      communityCode: JINGTIE,
      title: '北侧拆违建设停车场',
      categoryCode: 'parking.shortage',
      origin: 'historical_problem',
      leadPostingId: fengtai.jiaPosting.id,
      proposedOn: '2021-12-06',
      plannedStartDate: '2022-03-01',
      plannedEndDate: '2022-10-31',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'proposed', historical: true, progress: null, leadPosting: { cadreName: '贾岚' } });
    ids.project = created.json().id;
    const url = `/api/v1/projects/${ids.project}`;

    const unit = await post(org, '/api/v1/units', { name: '京铁家园物业服务中心', type: 'property_management', districtCode: '110106' });
    ids.unit = unit.json().id;
    const stakeholder = await post(street, `${url}/stakeholders`, { unitId: ids.unit, role: 'executing' });
    expect(stakeholder.statusCode, stakeholder.body).toBe(201);
    ids.stakeholder = stakeholder.json().id;

    const early = await post(street, `${url}/transitions`, { to: 'approved', date: '2022-01-10' });
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(early.json()).toMatchObject({ status: 409, errors: [{ field: 'to' }] });
    expect(early.json().detail).toMatch(/须征求居民意见/);

    expect((await post(street, `${url}/transitions`, { to: 'consulting', date: '2021-12-10' })).statusCode).toBe(200);
    const consultation = await post(street, `${url}/consultations`, {
      heldOn: '2022-01-15',
      form: 'meeting',
      participants: 120,
      support: 112,
      oppose: 3,
      abstain: 5,
    });
    expect(consultation.statusCode, consultation.body).toBe(201);
    expect((await post(street, `${url}/transitions`, { to: 'approved', date: '2022-01-20' })).json()).toMatchObject({ status: 'approved' });

    const milestone = await post(street, `${url}/milestones`, { title: '拆除违法建设', weight: 3, plannedOn: '2022-04-30' });
    ids.milestone = milestone.json().id;
    const second = await post(street, `${url}/milestones`, { title: '停车场建成投用', weight: 1 });
    const renamed = await street.inject({
      method: 'PATCH',
      url: `${url}/milestones/${second.json().id}`,
      payload: { title: '停车场建成并投用' },
    });
    expect(renamed.json()).toMatchObject({ title: '停车场建成并投用', weight: 1 });
    expect((await post(street, `${url}/transitions`, { to: 'in_progress', date: '2022-03-01' })).json()).toMatchObject({
      actualStartDate: '2022-03-01',
    });

    const tooEarly = await post(street, `${url}/milestones/${ids.milestone}/done`, { date: '2022-02-15' });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().errors).toEqual([expect.objectContaining({ field: 'date' })]);
    expect((await post(street, `${url}/milestones/${ids.milestone}/done`, { date: '2022-04-28' })).json()).toMatchObject({
      doneOn: '2022-04-28',
    });
    expect((await street.inject(url)).json().progress).toBe(0.75);

    const negative = await post(street, `${url}/funds`, { amount: -100, sourceUnitId: ids.unit, receivedOn: '2022-03-15' });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].field).toBe('amount');
    expect((await post(street, `${url}/funds`, { amount: 1_200_000, sourceUnitId: ids.unit, receivedOn: '2022-03-15' })).statusCode).toBe(
      201,
    );
    const output = await post(street, `${url}/outputs`, { kind: 'parking_spaces', target: 791 });
    ids.output = output.json().id;
    const absurd = await street.inject({ method: 'PATCH', url: `${url}/outputs/${ids.output}`, payload: { achieved: 79_100 } });
    expect(absurd.statusCode).toBe(400);
    expect(absurd.json().detail).toMatch(/10 倍/);
    expect(
      (
        await street.inject({ method: 'PATCH', url: `${url}/outputs/${ids.output}`, payload: { achieved: 791, asOf: '2022-10-30' } })
      ).json(),
    ).toMatchObject({ done: true, completedOn: '2022-10-30' });

    const open = await post(street, `${url}/transitions`, { to: 'completed', date: '2022-11-01' });
    expect(open.statusCode).toBe(409);
    await post(street, `${url}/milestones/${second.json().id}/done`, { date: '2022-10-30' });
    const done = await post(street, `${url}/transitions`, { to: 'completed', date: '2022-11-01' });
    expect(done.json()).toMatchObject({ status: 'completed', progress: 1, actualEndDate: '2022-11-01' });
    const illegal = await post(street, `${url}/transitions`, { to: 'in_progress' });
    expect(illegal.statusCode).toBe(409);

    const detail = (await viewer.inject(url)).json();
    expect(detail).toMatchObject({ fundsTotal: 1_200_000, abilities: { manage: false }, allowedTransitions: [] });
    expect(detail.history.map((h: { to: string }) => h.to)).toEqual(['proposed', 'consulting', 'approved', 'in_progress', 'completed']);
    expect((await viewer.inject({ method: 'PATCH', url, payload: { title: 'x' } })).statusCode).toBe(403);
  });

  it('links and unlinks the community’s appeals, and refuses another community’s', async () => {
    const hotline = await loginAs(app, t.db, 'hotline_office', '11');
    const mine = await hotline.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: {
        channel: 'phone',
        kind: 'complaint',
        categoryCode: 'parking.shortage',
        description: '停车难',
        communityCode: JINGTIE,
        receivedAt: '2022-01-05T02:00:00Z',
      },
    });
    const theirs = await hotline.inject({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: {
        channel: 'phone',
        kind: 'complaint',
        categoryCode: 'gas',
        description: '燃气',
        communityCode: '110107009011',
        receivedAt: '2022-01-05T02:00:00Z',
      },
    });
    expect(mine.statusCode, mine.body).toBe(201);
    const url = `/api/v1/projects/${ids.project}/appeals`;
    const refused = await post(street, url, { appealIds: [mine.json().id, theirs.json().id] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'appealIds.1' })]);
    expect((await street.inject(url)).json().total).toBe(0);
    expect((await post(street, url, { appealIds: [mine.json().id], linkedOn: '2022-02-01' })).json()).toEqual({
      added: 1,
      alreadyLinked: 0,
    });
    const page = (await street.inject(url)).json();
    expect(page.items).toEqual([
      expect.objectContaining({ ticketNo: mine.json().ticketNo, categoryName: '停车难', linkedOn: '2022-02-01' }),
    ]);
    expect(JSON.stringify(page)).not.toMatch(/reporter/);
    expect((await street.inject({ method: 'DELETE', url: `${url}/${mine.json().id}` })).statusCode).toBe(204);
    expect((await street.inject({ method: 'DELETE', url: `${url}/${mine.json().id}` })).statusCode).toBe(404);
    expect(
      (await street.inject({ method: 'DELETE', url: `/api/v1/projects/${ids.project}/stakeholders/${ids.stakeholder}` })).statusCode,
    ).toBe(204);
  });

  it('lists with repeated status filters, boards by status, compares before and after', async () => {
    const second = await post(org, '/api/v1/projects', {
      communityCode: JINGTIE,
      title: '50 余部电梯更新',
      categoryCode: 'elevator.renewal',
      origin: 'hotspot',
      leadPostingId: fengtai.jiaPosting.id,
    });
    expect(second.statusCode, second.body).toBe(201);
    const list = await viewer.inject('/api/v1/projects?status=proposed&status=completed&limit=10');
    expect(list.json()).toMatchObject({ total: 2 });
    expect((await viewer.inject('/api/v1/projects?status=proposed')).json().items.map((p: { title: string }) => p.title)).toEqual([
      '50 余部电梯更新',
    ]);
    expect(
      (await viewer.inject(`/api/v1/projects?programId=${fengtai.program.id}&batchId=${fengtai.batch1.id}&communityCode=${JINGTIE}`)).json()
        .total,
    ).toBe(2);
    const board = (await viewer.inject('/api/v1/projects/board?perStatus=5')).json();
    expect(
      board.columns.map((c: { label: string; count: number }) => [c.label, c.count]).filter(([, n]: [string, number]) => n > 0),
    ).toEqual([
      ['已提出', 1],
      ['已完成', 1],
    ]);
    const beforeAfter = await viewer.inject(`/api/v1/projects/${ids.project}/before-after?months=6`);
    expect(beforeAfter.statusCode, beforeAfter.body).toBe(200);
    expect(beforeAfter.json()).toMatchObject({
      months: 6,
      before: { from: '2021-09', to: '2022-02' },
      after: { from: '2022-11', to: '2023-04' },
    });
    expect((await viewer.inject(`/api/v1/projects/${second.json().id}/before-after`)).statusCode).toBe(409);
  });

  it('carries the open project to 田慧林 when she succeeds 贾岚, and names it in the handover', async () => {
    const succession = await post(org, `/api/v1/postings/${fengtai.jiaPosting.id}/succession`, {
      cadreId: fengtai.tianHuilin.id,
      startDate: '2023-02-01',
    });
    expect(succession.statusCode, succession.body).toBe(201);
    const items = succession.json().handover.openItems;
    expect(items).toEqual([expect.objectContaining({ description: '攻坚项目：50 余部电梯更新（已提出）' })]);
    const project = (await viewer.inject(`/api/v1/projects/${items[0].projectId}`)).json();
    expect(project.leadPosting).toMatchObject({ cadreName: '田慧林', postingId: succession.json().successor.id });
  });

  it('answers the achievement report as JSON and as Excel, and rules for admins only', async () => {
    const report = await viewer.inject(
      `/api/v1/programs/${fengtai.program.id}/report?batch=${fengtai.batch1.id}&from=2021-11-30&to=2023-12-31`,
    );
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({
      batchNumber: 1,
      from: '2021-11-30',
      to: '2023-12-31',
      totals: { fundsSecured: 1_200_000, problemsSolved: 1, historicalProblemsSolved: 1 },
    });
    const bad = await viewer.inject(`/api/v1/programs/${fengtai.program.id}/report?from=2023-12-31&to=2021-01-01`);
    expect(bad.statusCode).toBe(400);
    const xlsx = await viewer.inject(`/api/v1/programs/${fengtai.program.id}/report.xlsx?batch=${fengtai.batch1.id}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain('丰台区治理书记第1批工作成效报告');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(book.getWorksheet('成效汇总')!.getCell('A1').value).toMatch(/^丰台区治理书记第1批工作成效报告/);
    // ?lang=en writes it in English, the file name too; anything else is refused.
    const english = await viewer.inject(`/api/v1/programs/${fengtai.program.id}/report.xlsx?batch=${fengtai.batch1.id}&lang=en`);
    expect(english.statusCode).toBe(200);
    expect(decodeURIComponent(String(english.headers['content-disposition']))).toContain('Achievement report: 丰台区治理书记, batch 1');
    const englishBook = new ExcelJS.Workbook();
    await englishBook.xlsx.load(english.rawPayload as unknown as ArrayBuffer);
    expect(englishBook.getWorksheet('Summary')!.getCell('A4').value).toBe('Figure');
    expect((await viewer.inject(`/api/v1/programs/${fengtai.program.id}/report?lang=en`)).json()).toMatchObject({
      lang: 'en',
      title: expect.stringMatching(/^Achievement report: 丰台区治理书记 \(/),
    });
    expect((await viewer.inject(`/api/v1/programs/${fengtai.program.id}/report.xlsx?lang=fr`)).statusCode).toBe(400);

    expect((await viewer.inject('/api/v1/projects/config')).json()).toMatchObject({
      requireConsultationForApproval: true,
      beforeAfterMonths: 12,
    });
    expect((await org.inject({ method: 'PUT', url: '/api/v1/projects/config', payload: {} })).statusCode).toBe(403);
  });
});
