import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';
import { asXml, expectValid, parseXml, publishedSchemas, W3C } from './support.ts';

const JINGTIE = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区
const LIULIQIAO = '110106008';
const FENGTAI = '110106';
const YUQUANLU = '110107001003'; // 玉泉路西社区, 石景山区

type Row = Record<string, unknown>;

describe.each(backends)('Open311 GeoReport v2 on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let admin: Agent;
  let hotline: Agent;
  /** Keys: the city hotline's app files and closes; Liuliqiao's street system responds and handles. */
  let cityKey: string;
  let streetKey: string;
  let streetClientId: number;

  const issue = async (payload: object) => {
    const res = await admin.inject({ method: 'POST', url: '/api/v1/open311/clients', payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { client: { id: number; keyPrefix: string }; apiKey: string };
  };

  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    admin = await loginAs(app, t.db, 'admin', '11');
    hotline = await loginAs(app, t.db, 'hotline_office', '11');
    cityKey = (await issue({ name: 'city-app', role: 'hotline_office', scope: '11', contact: 'dev@example.org' })).apiKey;
    const street = await issue({ name: 'liuliqiao-system', role: 'street_office', scope: LIULIQIAO });
    streetKey = street.apiKey;
    streetClientId = street.client.id;
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string) => app.inject({ method: 'GET', url });
  const post = (url: string, form: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  const json = (res: LightMyRequestResponse, status = 200) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return JSON.parse(res.body) as unknown;
  };
  const xml = (res: LightMyRequestResponse, status = 200) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    return parseXml(res.body);
  };
  /** The spec's error, the same in both formats. */
  const expectError = async (url: string, status: number, form?: Record<string, string>) => {
    const errors: string[] = [];
    for (const ext of ['json', 'xml'] as const) {
      const full = url.replace('{ext}', ext);
      const res = form ? await post(full, form) : await get(full);
      if (ext === 'json') {
        const body = json(res, status) as Array<{ code: number; description: string }>;
        expect(body).toEqual([{ code: status, description: expect.any(String) }]);
        errors.push(body[0]!.description);
      } else {
        const body = xml(res, status) as { errors: { error: Array<{ code: string; description: string }> } };
        expect(body.errors.error).toHaveLength(1);
        expect(body.errors.error[0]!.code).toBe(String(status));
        errors.push(body.errors.error[0]!.description);
      }
    }
    return errors[0]!;
  };
  const file = (form: Record<string, string>, format: 'json' | 'xml' = 'json') =>
    post(`/open311/v2/requests.${format}`, { api_key: cityKey, service_code: 'parking.illegal', ...form });
  const appealOf = (ticketNo: string) =>
    t.db.kysely.selectFrom('appeal').selectAll().where('ticket_no', '=', ticketNo).executeTakeFirstOrThrow();

  it('loads every published schema', () => {
    expect(publishedSchemas).toEqual([
      'request.json',
      'requests.json',
      'service-definition.json',
      'service.json',
      'services.json',
      'swagger.json',
    ]);
  });

  it('lists both formats in discovery, with an endpoint URL ending in a slash', async () => {
    const body = json(await get('/open311/v2/discovery.json')) as Row & { endpoints: Row[] };
    expect(body.changeset).toMatch(W3C);
    expect(body.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: expect.stringMatching(/^https?:\/\/[^/]+\/open311\/v2\/$/),
        changeset: body.changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ]);
    const doc = xml(await get('/open311/v2/discovery.xml')) as { discovery: Row & { endpoints: { endpoint: Row[] } } };
    expect(doc.discovery.endpoints.endpoint[0]).toEqual(
      asXml({ ...body.endpoints[0], formats: { format: ['text/xml', 'application/json'] } }),
    );
    // Without an extension the answer is the spec's default, XML.
    expect(xml(await get('/open311/v2/discovery'))).toEqual(doc);
  });

  it('serves the appeal categories as services, Chinese names with English descriptions', async () => {
    const services = json(await get('/open311/v2/services.json?jurisdiction_id=11')) as Row[];
    expectValid('services.json', services);
    expect(services.find((s) => s.service_code === 'parking.illegal')).toEqual({
      service_code: 'parking.illegal',
      service_name: '违章停车',
      description: 'Illegal parking (Parking)',
      metadata: true,
      type: 'realtime',
      keywords: '违章停车, Illegal parking, 停车管理, Parking',
      group: '停车管理',
    });
    const doc = xml(await get('/open311/v2/services.xml?jurisdiction_id=110106000000')) as { services: { service: Row[] } };
    expect(doc.services.service).toEqual(asXml(services));

    const definition = json(await get('/open311/v2/services/parking.illegal.json')) as { service_code: string; attributes: Row[] };
    expectValid('service-definition.json', definition);
    expectValid('swagger.json#/definitions/ServiceDefinition', definition);
    expect(definition.attributes.map((a) => a.code)).toEqual(['kind', 'urgency']);
    expect(definition.attributes[1]).toMatchObject({
      datatype: 'singlevaluelist',
      values: [
        { key: 'normal', name: '一般 / normal' },
        { key: 'urgent', name: '紧急 / urgent' },
      ],
    });
    const defXml = xml(await get('/open311/v2/services/parking.illegal.xml')) as {
      service_definition: { service_code: string; attributes: { attribute: Array<Row & { values: { value: Row[] } }> } };
    };
    expect(defXml.service_definition.service_code).toBe('parking.illegal');
    expect(defXml.service_definition.attributes.attribute.map((a) => ({ ...a, values: a.values.value }))).toEqual(
      asXml(definition.attributes),
    );

    expect(await expectError('/open311/v2/services/parking.nope.{ext}', 404)).toMatch(/parking\.nope/);
  });

  it('refuses a jurisdiction that is no division, and a resource that is not there, in the spec’s form', async () => {
    expect(await expectError('/open311/v2/services.{ext}?jurisdiction_id=99', 404)).toMatch(/jurisdiction_id/);
    expect(await expectError('/open311/v2/requests.{ext}?jurisdiction_id=abc', 404)).toMatch(/jurisdiction_id/);
    await expectError('/open311/v2/nothing.{ext}', 404);
  });

  it('files an appeal from a POST, follows it through its lifecycle and shows each step', async () => {
    const filed = json(
      await file({
        jurisdiction_id: '11',
        lat: '39.88123',
        long: '116.31789',
        address_string: '北京市丰台区六里桥街道京铁家园社区3号楼2单元501',
        description: '3号楼楼下长期违章停车，堵住消防通道。联系电话 138 1234 5678',
        first_name: '三',
        last_name: '张',
        phone: '13812345678',
        email: 'zhang@example.org',
        'attribute[kind]': 'complaint',
        'attribute[urgency]': 'urgent',
      }),
    ) as Array<Row & { service_request_id: string; token: string }>;
    expectValid('requests.json', filed);
    expectValid('swagger.json#/definitions/RequestResponse', {
      service_request_id: filed[0]!.service_request_id,
      token: filed[0]!.token,
      service_notice: filed[0]!.service_notice,
    });
    const ticket = filed[0]!.service_request_id;
    expect(ticket).toMatch(/^MA-\d{4}-\d{6}$/);
    expect(filed[0]).toMatchObject({
      status: 'open',
      service_code: 'parking.illegal',
      service_name: '违章停车',
      address: '京铁家园社区, 六里桥街道, 丰台区',
      address_id: JINGTIE,
      lat: 39.881,
      long: 116.318,
      token: expect.any(String),
      account_id: null,
    });
    // Public: no name, no phone, no house number, in any field.
    const body = JSON.stringify(filed);
    for (const secret of ['张三', '13812345678', '138 1234 5678', '5678', '501', 'zhang@example.org']) expect(body).not.toContain(secret);
    expect(filed[0]!.description).toBe('*号楼楼下长期违章停车，堵住消防通道。联系电话 *** **** ****');

    // The appeal went in through the appeals' own service: ticket, channel, place, reporter, event, audit.
    const appeal = await appealOf(ticket);
    expect(appeal).toMatchObject({
      channel: 'open311',
      community_code: JINGTIE,
      urgency: 'urgent',
      kind: 'complaint',
      reporter_name: '张三',
      reporter_phone: '13812345678',
      status: 'received',
      created_by: 'open311:city-app',
    });
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'appeal')
      .where('entity_id', '=', String(appeal.id))
      .execute();
    expect(audit.map((a) => `${a.action} ${a.actor}`)).toEqual(['appeal.create open311:city-app']);

    // The token leads to it; it is in the list and by itself, the same in XML.
    const token = json(await get(`/open311/v2/tokens/${filed[0]!.token}.json`)) as Row[];
    expect(token).toEqual([{ service_request_id: ticket, token: filed[0]!.token }]);
    expectValid('swagger.json#/definitions/TokenResponse', token[0]);
    expect(
      (xml(await get(`/open311/v2/tokens/${filed[0]!.token}.xml`)) as { service_requests: { request: Row[] } }).service_requests.request,
    ).toEqual(asXml(token));
    const listed = json(await get('/open311/v2/requests.json?jurisdiction_id=110106')) as Row[];
    expectValid('requests.json', listed);
    expect(listed.map((r) => r.service_request_id)).toContain(ticket);

    const read = async () => {
      const one = json(await get(`/open311/v2/requests/${ticket}.json?jurisdiction_id=${FENGTAI}`)) as Row[];
      expectValid('requests.json', one);
      expect(one).toHaveLength(1);
      const doc = xml(await get(`/open311/v2/requests/${ticket}.xml?jurisdiction_id=${FENGTAI}`)) as {
        service_requests: { request: Row[] };
      };
      expect(doc.service_requests.request).toEqual(asXml(one));
      for (const field of ['requested_datetime', 'updated_datetime']) expect(one[0]![field]).toMatch(W3C);
      // The published swagger.json names the resource request/{id}: the same answer.
      expect(JSON.parse((await get(`/open311/v2/request/${ticket}.json?jurisdiction_id=${FENGTAI}`)).body)).toEqual(one);
      return one[0]!;
    };
    const updates = async () => {
      const list = json(await get(`/open311/v2/servicerequestupdates.json?service_request_id=${ticket}`)) as Row[];
      const doc = xml(await get(`/open311/v2/servicerequestupdates.xml?service_request_id=${ticket}`)) as {
        service_request_updates: '' | { request_update: Row[] };
      };
      expect(doc.service_request_updates === '' ? [] : doc.service_request_updates.request_update).toEqual(asXml(list));
      for (const u of list) expect(u.updated_datetime).toMatch(W3C);
      return list;
    };
    const first = await read();
    expect(first).toMatchObject({ status: 'open', status_notes: null, agency_responsible: null, expected_datetime: null });
    expect(await updates()).toEqual([
      {
        update_id: `${ticket}.1`,
        service_request_id: ticket,
        status: 'open',
        updated_datetime: first.requested_datetime,
        description: '已受理 / received',
        media_url: null,
      },
    ]);

    // The hotline dispatches in mustanswer; the street's system reports progress through Open311.
    const dispatched = await hotline.inject({
      method: 'POST',
      url: `/api/v1/appeals/${appeal.id}/events`,
      payload: { type: 'dispatch', expectedVersion: 1, unit: { name: '六里桥街道办事处', type: 'street_office' } },
    });
    expect(dispatched.statusCode, dispatched.body).toBe(201);
    const afterDispatch = await read();
    expect(afterDispatch).toMatchObject({
      status: 'open',
      agency_responsible: '六里桥街道办事处',
      status_notes: '已派单至六里桥街道办事处 / dispatched to 六里桥街道办事处',
    });
    expect(afterDispatch.expected_datetime).toMatch(W3C);
    // The handling deadline, to the second.
    expect(Date.parse(afterDispatch.expected_datetime as string)).toBe(
      Math.floor(Date.parse(dispatched.json().handlingDueAt as string) / 1000) * 1000,
    );

    const responded = json(
      await post('/open311/v2/servicerequestupdates.json', {
        api_key: streetKey,
        service_request_id: ticket,
        status: 'open',
        description: '已联系物业到场查看',
      }),
    ) as Row[];
    expect(responded).toEqual([expect.objectContaining({ update_id: `${ticket}.3`, status: 'open', description: '已联系物业到场查看' })]);
    // The city's app may not take a handler's step: its role is the hotline's.
    expect(
      await expectError('/open311/v2/servicerequestupdates.{ext}', 403, {
        api_key: cityKey,
        service_request_id: ticket,
        status: 'open',
        description: '已清理',
      }),
    ).toMatch(/appeal\.handle/);
    const handled = xml(
      await post('/open311/v2/servicerequestupdates.xml', {
        api_key: streetKey,
        service_request_id: ticket,
        status: 'open',
        description: '已清理违停车辆并设置隔离桩，3号楼',
      }),
    ) as { service_request_updates: { request_update: Row[] } };
    expect(handled.service_request_updates.request_update[0]).toMatchObject({
      update_id: `${ticket}.4`,
      status: 'open',
      description: '已清理违停车辆并设置隔离桩，*号楼',
    });
    expect(await read()).toMatchObject({ status: 'open', status_notes: '已清理违停车辆并设置隔离桩，*号楼' });

    const called = await hotline.inject({
      method: 'POST',
      url: `/api/v1/appeals/${appeal.id}/events`,
      payload: { type: 'callback', expectedVersion: 4, contacted: true, solved: true, satisfaction: 'satisfied' },
    });
    expect(called.statusCode, called.body).toBe(201);
    expect((await read()).status_notes).toBe('回访：已解决，满意 / callback: solved, satisfied');

    // The street may not close; the hotline's app may, and the request is closed.
    await expectError('/open311/v2/servicerequestupdates.{ext}', 403, {
      api_key: streetKey,
      service_request_id: ticket,
      status: 'closed',
      description: '办结',
    });
    json(
      await post('/open311/v2/servicerequestupdates.json', {
        api_key: cityKey,
        service_request_id: ticket,
        status: 'CLOSED',
        description: '回访满意，办结',
      }),
    );
    const closed = await read();
    expect(closed).toMatchObject({ status: 'closed', status_notes: '回访满意，办结' });
    expect(String(closed.updated_datetime) >= String(afterDispatch.updated_datetime)).toBe(true);
    expect((await appealOf(ticket)).status).toBe('closed');

    const steps = await updates();
    expect(steps.map((u) => `${u.update_id} ${u.status}`)).toEqual(
      [1, 2, 3, 4, 5, 6].map((seq) => `${ticket}.${seq} ${seq === 6 ? 'closed' : 'open'}`),
    );
    expect(steps.map((u) => u.description)).toEqual([
      '已受理 / received',
      '已派单至六里桥街道办事处 / dispatched to 六里桥街道办事处',
      '已联系物业到场查看',
      '已清理违停车辆并设置隔离桩，*号楼',
      '回访：已解决，满意 / callback: solved, satisfied',
      '回访满意，办结',
    ]);
    const closedList = json(await get(`/open311/v2/requests.json?jurisdiction_id=${FENGTAI}&status=closed`)) as Row[];
    expect(closedList.map((r) => r.service_request_id)).toEqual([ticket]);
    // status may repeat, as the spec allows: open and closed together is every request.
    const both = json(await get(`/open311/v2/requests.json?jurisdiction_id=${FENGTAI}&status=open&status=closed`)) as Row[];
    expect(both.map((r) => r.service_request_id)).toContain(ticket);
    expect(both.length).toBe((json(await get(`/open311/v2/requests.json?jurisdiction_id=${FENGTAI}`)) as Row[]).length);
    expect(
      (json(await get(`/open311/v2/requests.json?jurisdiction_id=${FENGTAI}&status=open`)) as Row[]).map((r) => r.service_request_id),
    ).not.toContain(ticket);

    // Reopened by an update: open again, with the reason.
    json(
      await post('/open311/v2/servicerequestupdates.json', {
        api_key: cityKey,
        service_request_id: ticket,
        status: 'open',
        description: '居民反映又有车辆违停',
      }),
    );
    expect(await read()).toMatchObject({ status: 'open', status_notes: '已重启 / reopened: 居民反映又有车辆违停' });
    // Every step the keys took is in the audit log under their client's name.
    const actions = await t.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity_type', '=', 'appeal')
      .where('entity_id', '=', String(appeal.id))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => `${a.action} ${a.actor.startsWith('open311:') ? a.actor : 'user'}`)).toEqual([
      'appeal.create open311:city-app',
      'appeal.dispatch user',
      'appeal.respond open311:liuliqiao-system',
      'appeal.handle open311:liuliqiao-system',
      'appeal.callback user',
      'appeal.close open311:city-app',
      'appeal.reopen open311:city-app',
    ]);
  });

  it('places a request by address_id, by names in the address, or at its district when the community cannot be told', async () => {
    const byId = json(await file({ address_id: '110106008028000'.slice(0, 12), description: '按代码' })) as Row[];
    expect(byId[0]).toMatchObject({ address_id: JINGTIE });
    // The street and community named without the district, in a Fengtai jurisdiction.
    const byNames = json(await file({ jurisdiction_id: FENGTAI, address_string: '六里桥 京铁家园', description: '按名称' })) as Row[];
    expect(byNames[0]).toMatchObject({ address_id: JINGTIE });
    // Only lat/long in a district: it waits at the district, and says so.
    const byPoint = json(await file({ jurisdiction_id: FENGTAI, lat: '39.86', long: '116.29', description: '只有坐标' })) as Row[];
    expectValid('requests.json', byPoint);
    expect(byPoint[0]).toMatchObject({ address_id: FENGTAI, address: '丰台区' });
    expect(byPoint[0]!.service_notice).toMatch(/未能确定所在社区/);
    const waiting = await appealOf(byPoint[0]!.service_request_id as string);
    expect(waiting).toMatchObject({ district_code: FENGTAI, street_code: null, community_code: null });
    const stored = await t.db.kysely
      .withTables<{ open311_request: { appeal_id: number; placed_by: string; lat: number; long: number } }>()
      .selectFrom('open311_request')
      .select(['placed_by', 'lat', 'long'])
      .where('appeal_id', '=', waiting.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ placed_by: 'none', lat: 39.86, long: 116.29 });
    // A street named, its community not: at the street.
    const atStreet = json(await file({ address_string: '丰台区六里桥街道某某小区', description: '只有街道' })) as Row[];
    expect(atStreet[0]).toMatchObject({ address_id: LIULIQIAO, address: '六里桥街道, 丰台区' });

    // Refusals name their field.
    expect(
      await expectError('/open311/v2/requests.{ext}', 400, {
        api_key: cityKey,
        service_code: 'parking.illegal',
        lat: '39.9',
        long: '116.4',
      }),
    ).toMatch(/^lat：/);
    expect(
      await expectError('/open311/v2/requests.{ext}', 400, {
        api_key: cityKey,
        service_code: 'parking.illegal',
        jurisdiction_id: FENGTAI,
        address_id: YUQUANLU,
      }),
    ).toMatch(/^address_id：/);
    expect(
      await expectError('/open311/v2/requests.{ext}', 400, { api_key: cityKey, service_code: 'parking.illegal', address_string: '火星' }),
    ).toMatch(/^address_string：/);
    expect(
      await expectError('/open311/v2/requests.{ext}', 400, {
        api_key: cityKey,
        service_code: 'parking.illegal',
        lat: '91',
        long: '116',
        jurisdiction_id: FENGTAI,
      }),
    ).toMatch(/^lat：/);
    expect(
      await expectError('/open311/v2/requests.{ext}', 400, {
        api_key: cityKey,
        service_code: 'parking.illegal',
        lat: '39.9',
        jurisdiction_id: FENGTAI,
      }),
    ).toMatch(/^long：/);
    expect(await expectError('/open311/v2/requests.{ext}', 400, { api_key: cityKey, address_id: JINGTIE })).toMatch(/^service_code：/);
    expect(await expectError('/open311/v2/requests.{ext}', 400, { api_key: cityKey, service_code: 'nope', address_id: JINGTIE })).toMatch(
      /^service_code：/,
    );
    expect(
      await expectError('/open311/v2/requests.{ext}', 400, {
        api_key: cityKey,
        service_code: 'parking',
        address_id: JINGTIE,
        'attribute[kind]': 'rant',
      }),
    ).toMatch(/^attribute\[kind\]：/);
    expect(
      await expectError('/open311/v2/requests.{ext}', 400, {
        api_key: cityKey,
        service_code: 'parking',
        address_id: JINGTIE,
        media_url: 'javascript:alert(1)',
      }),
    ).toMatch(/^media_url：/);
  });

  it('lets a key act only as the role and inside the scope it was issued for, and only while it lives', async () => {
    expect(await expectError('/open311/v2/requests.{ext}', 401, { service_code: 'parking', address_id: JINGTIE })).toMatch(/api_key/);
    expect(
      await expectError('/open311/v2/requests.{ext}', 403, { api_key: 'o311_not-a-key', service_code: 'parking', address_id: JINGTIE }),
    ).toMatch(/api_key/);
    // Liuliqiao's key files in Liuliqiao, not in Shijingshan.
    json(await post('/open311/v2/requests.json', { api_key: streetKey, service_code: 'parking', address_id: JINGTIE }));
    expect(
      await expectError('/open311/v2/requests.{ext}', 403, { api_key: streetKey, service_code: 'parking', address_id: YUQUANLU }),
    ).toMatch(/管辖范围|scope/);
    // A department handler's key may report progress but not file.
    const handler = await issue({ name: 'water-company', role: 'department_handler', scope: FENGTAI });
    expect(
      await expectError('/open311/v2/requests.{ext}', 403, { api_key: handler.apiKey, service_code: 'water', address_id: JINGTIE }),
    ).toMatch(/appeal\.create/);

    // Revoked by an administrator: refused from then on, and both acts audited.
    const revoked = await admin.inject({ method: 'POST', url: `/api/v1/open311/clients/${streetClientId}/revoke` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ id: streetClientId, revokedAt: expect.any(String), revokedBy: admin.login });
    expect(
      await expectError('/open311/v2/requests.{ext}', 403, { api_key: streetKey, service_code: 'parking', address_id: JINGTIE }),
    ).toMatch(/吊销|revoked/);
    expect((await admin.inject({ method: 'POST', url: `/api/v1/open311/clients/${streetClientId}/revoke` })).statusCode).toBe(400);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select(['action', 'actor', 'changes'])
      .where('entity_type', '=', 'open311_client')
      .where('entity_id', '=', String(streetClientId))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => `${a.action} ${a.actor}`)).toEqual([
      `open311.client.issue ${admin.login}`,
      `open311.client.revoke ${admin.login}`,
    ]);
    expect(JSON.stringify(audit)).not.toContain(streetKey);

    // The list shows the key's prefix, never the key.
    const clients = await admin.inject({ url: '/api/v1/open311/clients' });
    expect(clients.statusCode).toBe(200);
    expect(clients.body).not.toContain(cityKey);
    expect(clients.json().items.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['city-app', 'liuliqiao-system', 'water-company']),
    );
    // Only administrators manage keys; bad input names its field.
    expect((await hotline.inject({ url: '/api/v1/open311/clients' })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/open311/clients' })).statusCode).toBe(401);
    const badRole = await admin.inject({
      method: 'POST',
      url: '/api/v1/open311/clients',
      payload: { name: 'x-app', role: 'admin', scope: '11' },
    });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().errors.map((e: { field: string }) => e.field)).toContain('role');
    const badScope = await admin.inject({
      method: 'POST',
      url: '/api/v1/open311/clients',
      payload: { name: 'y-app', role: 'street_office', scope: '999999' },
    });
    expect(badScope.json().errors).toEqual([expect.objectContaining({ field: 'scope' })]);
    const taken = await admin.inject({
      method: 'POST',
      url: '/api/v1/open311/clients',
      payload: { name: 'city-app', role: 'street_office', scope: '11' },
    });
    expect(taken.statusCode).toBe(409);
  });

  it('limits each key to its requests a minute', async () => {
    const slow = await issue({ name: 'slow-app', role: 'hotline_office', scope: FENGTAI, perMinute: 2 });
    const form = { api_key: slow.apiKey, service_code: 'noise', address_id: JINGTIE, description: '夜间噪声' };
    json(await post('/open311/v2/requests.json', form));
    json(await post('/open311/v2/requests.json', form));
    const third = await post('/open311/v2/requests.json', form);
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(third.body)).toEqual([{ code: 429, description: expect.stringMatching(/每分钟最多 2 次/) }]);
    // Another key is not held back by this one's limit.
    json(await post('/open311/v2/requests.json', { ...form, api_key: cityKey }));
  });

  it('reads requests by the spec’s filters and window, inside the jurisdiction only, with no personal data', async () => {
    const filed = async (payload: object) => {
      const res = await hotline.inject({
        method: 'POST',
        url: '/api/v1/appeals',
        payload: {
          channel: 'phone',
          kind: 'complaint',
          description: '供暖不热，家住5号楼302，电话13900001111',
          reporterName: '李四',
          reporterPhone: '13900001111',
          address: '京铁家园5号楼302',
          ...payload,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { ticketNo: string };
    };
    const winter = await filed({ categoryCode: 'heating.insufficient', communityCode: JINGTIE, receivedAt: '2023-01-10T01:00:00Z' });
    const shijingshan = await filed({ categoryCode: 'heating.insufficient', communityCode: YUQUANLU, receivedAt: '2023-01-11T01:00:00Z' });

    // The default window is the last 90 days: January 2023 is not in it.
    const recent = json(await get('/open311/v2/requests.json')) as Row[];
    expect(recent.map((r) => r.service_request_id)).not.toContain(winter.ticketNo);
    const january = `start_date=${encodeURIComponent('2023-01-01T00:00:00+08:00')}&end_date=${encodeURIComponent('2023-01-31T23:59:59+08:00')}`;
    const inFengtai = json(await get(`/open311/v2/requests.json?jurisdiction_id=${FENGTAI}&${january}`)) as Row[];
    expectValid('requests.json', inFengtai);
    expect(inFengtai.map((r) => r.service_request_id)).toEqual([winter.ticketNo]);
    expect(inFengtai[0]).toMatchObject({
      requested_datetime: '2023-01-10T09:00:00+08:00',
      description: '供暖不热，家住*号楼***，电话***********',
      address: '京铁家园社区, 六里桥街道, 丰台区',
      lat: null,
      long: null,
    });
    const inCity = json(await get(`/open311/v2/requests.json?jurisdiction_id=11&${january}&service_code=heating.insufficient`)) as Row[];
    expect(inCity.map((r) => r.service_request_id)).toEqual([shijingshan.ticketNo, winter.ticketNo]);
    const cityXml = xml(await get(`/open311/v2/requests.xml?jurisdiction_id=11&${january}&service_code=heating.insufficient`)) as {
      service_requests: { request: Row[] };
    };
    expect(cityXml.service_requests.request).toEqual(asXml(inCity));
    for (const body of [JSON.stringify(inCity), JSON.stringify(cityXml)]) {
      for (const secret of ['李四', '13900001111', '302']) expect(body).not.toContain(secret);
    }
    // The pagination extension: page 2 of size 1 is the next one down.
    const paged = async (page: number) =>
      (
        json(
          await get(`/open311/v2/requests.json?jurisdiction_id=11&${january}&service_code=heating.insufficient&page_size=1&page=${page}`),
        ) as Row[]
      ).map((r) => r.service_request_id);
    expect([...(await paged(1)), ...(await paged(2)), ...(await paged(3))]).toEqual([shijingshan.ticketNo, winter.ticketNo]);
    expect(await expectError('/open311/v2/requests.{ext}?page_size=1001', 400)).toMatch(/^page_size：/);
    // By id, across any window; outside the jurisdiction it is not there.
    const byId = json(
      await get(
        `/open311/v2/requests.json?jurisdiction_id=11&service_request_id=${winter.ticketNo},${shijingshan.ticketNo},MA-0000-000000`,
      ),
    ) as Row[];
    expect(byId.map((r) => r.service_request_id).sort()).toEqual([winter.ticketNo, shijingshan.ticketNo].sort());
    await expectError(`/open311/v2/requests/${shijingshan.ticketNo}.{ext}?jurisdiction_id=${FENGTAI}`, 404);

    // An empty list is an empty element (XML) and an empty array (JSON).
    const none = `jurisdiction_id=${FENGTAI}&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z`;
    expect(json(await get(`/open311/v2/requests.json?${none}`))).toEqual([]);
    expect((await get(`/open311/v2/requests.xml?${none}`)).body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<service_requests></service_requests>\n',
    );
    expect((await get(`/open311/v2/servicerequestupdates.xml?${none}`)).body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<service_request_updates></service_request_updates>\n',
    );

    // Bad filters name their parameter.
    expect(await expectError('/open311/v2/requests.{ext}?start_date=2023-01-01T00:00:00Z&end_date=2023-06-01T00:00:00Z', 400)).toMatch(
      /^end_date：.*90/,
    );
    expect(await expectError('/open311/v2/requests.{ext}?start_date=yesterday', 400)).toMatch(/^start_date：/);
    expect(await expectError('/open311/v2/requests.{ext}?status=pending', 400)).toMatch(/^status：/);
    expect(await expectError('/open311/v2/requests.{ext}?service_code=nope', 400)).toMatch(/^service_code：/);
  });

  it('declares a policy on every Open311 route and documents them in OpenAPI', async () => {
    const routes = app.declaredRoutes.filter((r) => r.url.includes('open311'));
    const described = routes.map(
      (r) =>
        `${r.method} ${r.url} ${r.policy.kind === 'public' ? 'public' : `${r.policy.kind}:${'action' in r.policy ? r.policy.action : ''}`}`,
    );
    for (const ext of ['.xml', '.json', '']) {
      expect(described).toEqual(
        expect.arrayContaining([
          `GET /open311/v2/discovery${ext} public`,
          `GET /open311/v2/requests${ext} public`,
          `POST /open311/v2/requests${ext} apiKey:appeal.create`,
          `GET /open311/v2/requests/:service_request_id${ext} public`,
          `POST /open311/v2/servicerequestupdates${ext} apiKey:appeal.event`,
        ]),
      );
    }
    expect(described).toEqual(expect.arrayContaining(['POST /api/v1/open311/clients action:open311.clients.manage']));
    const docs = JSON.parse((await get('/api/docs/json')).body) as { paths: Record<string, unknown> };
    for (const format of ['xml', 'json']) {
      expect(Object.keys(docs.paths)).toEqual(
        expect.arrayContaining([
          `/open311/v2/discovery.${format}`,
          `/open311/v2/services.${format}`,
          `/open311/v2/services/{service_code}.${format}`,
          `/open311/v2/requests.${format}`,
          `/open311/v2/requests/{service_request_id}.${format}`,
          `/open311/v2/tokens/{token}.${format}`,
          `/open311/v2/servicerequestupdates.${format}`,
        ]),
      );
    }
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/v1/open311/clients', '/api/v1/open311/clients/{id}/revoke']));
  });
});
