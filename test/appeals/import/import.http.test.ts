import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.ts';
import { HELD_UPLOAD_TTL_MS, heldUploadsDir } from '../../../src/domains/appeals/import/held-uploads.ts';
import { checkRollups } from '../../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../../support/databases.ts';
import { loginAs, type Agent } from '../../support/http.ts';
import { fengtaiRows, writeCsv } from './fixtures.ts';

/** A multipart/form-data body as a browser's upload sends it. */
function form(fields: Record<string, string>, file: { name: string; content: Buffer }) {
  const boundary = '----mustanswer-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`),
  );
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(backends)('appeal imports over HTTP on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let fengtai: Agent;
  let shijingshan: Agent;
  let street: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    fengtai = await loginAs(app, t.db, 'hotline_office', '110106');
    shijingshan = await loginAs(app, t.db, 'hotline_office', '110107');
    street = await loginAs(app, t.db, 'street_office', '110106008');
  });
  afterAll(async () => {
    await app.close();
  });

  const upload = (as: Agent, name: string, lines: string[], fields: Record<string, string> = {}) =>
    as.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      ...form(fields, { name, content: fs.readFileSync(writeCsv(name, lines)) }),
    });

  it('takes an upload, reports bad rows, and serves the error report as CSV', async () => {
    const lines = [
      ...fengtaiRows('H21'),
      'H210004,不是时间,投诉,停车难,坏行,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
      'H210005,2021-03-05 10:00,投诉,停车难,别区的,石景山区,广宁街道,高井路社区,,,,,,,,,,',
    ];
    const res = await upload(fengtai, '六里桥3月.csv', lines, { source: 'fengtai-office' });
    expect(res.statusCode, res.body).toBe(201);
    const summary = res.json();
    expect(summary).toMatchObject({ fileName: '六里桥3月.csv', source: 'fengtai-office', inserted: 3, badRows: 2, status: 'done' });
    expect(res.headers.location).toBe(`/api/v1/appeal-imports/${summary.id}`);

    const report = await fengtai.inject(summary.errorReportUrl);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    expect(report.headers['content-disposition']).toContain(`import-${summary.id}-errors.csv`);
    expect(report.body).toContain('5,受理时间,不是时间,H210004');
    expect(report.body).toContain('不在您的管辖范围');

    const list = await fengtai.inject('/api/v1/appeal-imports');
    expect(list.json().items.map((i: { id: number }) => i.id)).toContain(summary.id);
    // Another district's office sees neither the import nor its report.
    expect((await shijingshan.inject(`/api/v1/appeal-imports/${summary.id}`)).statusCode).toBe(404);
    expect((await shijingshan.inject(summary.errorReportUrl)).statusCode).toBe(404);
    expect((await shijingshan.inject('/api/v1/appeal-imports')).json().items).toEqual([]);
  });

  it('lists unmatched rows with candidates and matches one to a community', async () => {
    const res = await upload(fengtai, 'unmatched.csv', [
      'HU210001,2021-04-02 10:00,投诉,停车难,找不到,丰台区,六里桥街道,京铁佳园,,,,,,是,是,满意,2021-04-05 10:00,',
    ]);
    expect(res.json()).toMatchObject({ unmatched: 1 });
    const queue = await fengtai.inject(`/api/v1/appeal-imports/unmatched?importId=${res.json().id}`);
    expect(queue.statusCode).toBe(200);
    const [item] = queue.json().items;
    expect(item).toMatchObject({ ticketNo: 'HU210001', givenCommunity: '京铁佳园' });
    expect(item.candidates[0]).toEqual({ code: '110106008028', name: expect.stringContaining('京铁家园') });
    expect((await shijingshan.inject(`/api/v1/appeal-imports/unmatched?importId=${res.json().id}`)).json().total).toBe(0);

    const outside = await shijingshan.inject({
      method: 'POST',
      url: `/api/v1/appeal-imports/unmatched/${item.id}/match`,
      payload: { communityCode: '110106008028' },
    });
    expect(outside.statusCode).toBe(404);
    const matched = await fengtai.inject({
      method: 'POST',
      url: `/api/v1/appeal-imports/unmatched/${item.id}/match`,
      payload: { communityCode: '110106008028' },
    });
    expect(matched.statusCode, matched.body).toBe(200);
    expect(matched.json()).toMatchObject({ communityCode: '110106008028', resolvedAt: expect.any(String) });
    const again = await fengtai.inject({
      method: 'POST',
      url: `/api/v1/appeal-imports/unmatched/${item.id}/match`,
      payload: { communityCode: '110106008028' },
    });
    expect(again.statusCode).toBe(409);
    expect(await checkRollups(t.db.kysely)).toEqual([]);
  });

  it('refuses roles that do not import, and bodies that are not an upload', async () => {
    expect((await upload(street, 'x.csv', fengtaiRows('HX21'))).statusCode).toBe(403);
    // JSON names a held upload: without one it is a 400 naming the field; neither JSON nor multipart is refused as before.
    const noId = await fengtai.inject({ method: 'POST', url: '/api/v1/appeal-imports', payload: { file: 'x' } });
    expect(noId.statusCode).toBe(400);
    expect(noId.headers['content-type']).toMatch(/problem\+json/);
    expect(noId.json().errors.map((e: { field: string }) => e.field)).toContain('uploadId');
    const notMultipart = await fengtai.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      payload: 'file=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notMultipart.statusCode).toBe(406);
    expect(notMultipart.headers['content-type']).toMatch(/problem\+json/);
    const noHeader = await fengtai.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      ...form({}, { name: 'x.csv', content: Buffer.from('a,b\n1,2\n') }),
    });
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().detail).toContain('表头');
  });

  it('previews an upload without writing, and answers a broken file with one 400 problem naming the row, never a 500', async () => {
    const raw = (as: Agent, url: string, name: string, content: Buffer, fields: Record<string, string> = {}) =>
      as.inject({ method: 'POST', url, ...form(fields, { name, content }) });
    const csv =
      '工单编号,受理时间,诉求类型,诉求内容,所属街道,所属社区\nHP1,2021-03-05 10:00,噪音,夜里施工,六里桥街道,京铁家园社区\nHP2,2021-03-05 11:00,没水了,停水,六里桥,京铁家园\n';
    const preview = await raw(fengtai, '/api/v1/appeal-imports/preview', 'p.csv', Buffer.from(csv));
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      fileName: 'p.csv',
      format: 'csv',
      problems: [],
      places: { withoutDistrict: 2, districts: [{ code: '110106', rows: 2 }] },
    });
    expect(preview.json().columns.map((c: { role: string | null }) => c.role)).toEqual([
      'ticketNo',
      'receivedAt',
      'category',
      'description',
      'street',
      'community',
    ]);
    expect(await t.db.kysely.selectFrom('appeal').select('id').where('ticket_no', 'like', 'HP%').execute()).toEqual([]);
    expect((await raw(street, '/api/v1/appeal-imports/preview', 'p.csv', Buffer.from(csv))).statusCode).toBe(403);

    const unclosed = await raw(
      fengtai,
      '/api/v1/appeal-imports',
      'q.csv',
      Buffer.from(`${csv}HP3,2021-03-05 12:00,噪音,"没有闭合,六里桥街道,京铁家园社区\n`),
    );
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.headers['content-type']).toMatch(/problem\+json/);
    expect(unclosed.json().detail).toContain('第 4 行的引号没有闭合');
    const broken = await raw(
      fengtai,
      '/api/v1/appeal-imports',
      'b.xlsx',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]),
    );
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toContain('XLSX 文件已损坏');
  });

  it('documents the upload routes’ multipart form and JSON body in the OpenAPI document, and still reads the form', async () => {
    const docs = (await app.inject('/api/docs/json')).json();
    for (const route of ['/api/v1/appeal-imports', '/api/v1/appeal-imports/preview']) {
      const content = docs.paths[route].post.requestBody.content;
      expect(Object.keys(content).sort(), route).toEqual(['application/json', 'multipart/form-data']);
      const form = content['multipart/form-data'].schema;
      expect(Object.keys(form.properties).sort(), route).toEqual(['district', 'file', 'mapping', 'source']);
      expect(form.required).toEqual(['file']);
      expect(form.properties.file).toMatchObject({ type: 'string', format: 'binary' });
      expect(form.properties.mapping.description).toContain('JSON');
      expect(Object.keys(content['application/json'].schema.properties).sort()).toEqual(['district', 'mapping', 'source', 'uploadId']);
    }
    // Documented, not enforced by Fastify: the form still reaches receiveUpload, which reads and checks it.
    const shown = await fengtai.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports/preview',
      ...form(
        { source: 'documented', district: '110106', mapping: '{"columns":{"联系电话":"ignore"}}' },
        { name: 'doc.csv', content: fs.readFileSync(writeCsv('doc.csv', fengtaiRows('HG21'))) },
      ),
    });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ source: 'documented', problems: [] });
    expect(shown.json().columns.find((c: { header: string }) => c.header === '联系电话')).toMatchObject({ role: null });
    const noFile = await fengtai.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports/preview',
      payload: '------b\r\nContent-Disposition: form-data; name="source"\r\n\r\nx\r\n------b--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=----b' },
    });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().errors).toEqual([{ field: 'file', message: expect.any(String) }]);
  });

  describe('the preview’s upload, held and imported by its id', () => {
    const preview = (as: Agent, name: string, lines: string[], fields: Record<string, string> = {}) =>
      as.inject({
        method: 'POST',
        url: '/api/v1/appeal-imports/preview',
        ...form(fields, { name, content: fs.readFileSync(writeCsv(name, lines)) }),
      });
    const byId = (as: Agent, body: Record<string, unknown>, url = '/api/v1/appeal-imports') =>
      as.inject({ method: 'POST', url, payload: body });
    const held = (id: string) => ['upload', 'json'].filter((ext) => fs.existsSync(path.join(heldUploadsDir(), `${id}.${ext}`)));
    const landed = async (prefix: string) =>
      (await t.db.kysely.selectFrom('appeal').select('ticket_no').where('ticket_no', 'like', `${prefix}%`).execute()).length;
    const expectGone = (res: {
      statusCode: number;
      headers: Record<string, unknown>;
      json: () => { detail: string; errors: Array<{ field: string }> };
    }) => {
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().detail).toMatch(/^上传的文件已过期或不存在.* \/ The uploaded file has expired/);
      expect(res.json().errors).toEqual([{ field: 'uploadId', message: expect.any(String) }]);
    };

    it('imports the previewed file once, with the preview’s name and source, and deletes it', async () => {
      const shown = await preview(fengtai, '先预览.csv', fengtaiRows('HA21'), { source: 'held-a' });
      expect(shown.statusCode, shown.body).toBe(200);
      const { uploadId } = shown.json();
      expect(uploadId).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(held(uploadId)).toEqual(['upload', 'json']);
      expect(await landed('HA21')).toBe(0);

      const res = await byId(fengtai, { uploadId });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ fileName: '先预览.csv', source: 'held-a', inserted: 3, status: 'done' });
      expect(res.headers.location).toBe(`/api/v1/appeal-imports/${res.json().id}`);
      expect(await landed('HA21')).toBe(3);
      expect(held(uploadId)).toEqual([]);

      expectGone(await byId(fengtai, { uploadId }));
      expectGone(await byId(fengtai, { uploadId }, '/api/v1/appeal-imports/preview'));
      expect(await landed('HA21')).toBe(3);
    });

    it('answers another user’s id, an unknown one and an expired one with the same 404, and leaves the file to its owner', async () => {
      const { uploadId } = (await preview(fengtai, 'owned.csv', fengtaiRows('HB21'))).json();
      const colleague = await loginAs(app, t.db, 'hotline_office', '110106');
      expectGone(await byId(shijingshan, { uploadId }));
      expectGone(await byId(colleague, { uploadId }));
      expectGone(await byId(colleague, { uploadId }, '/api/v1/appeal-imports/preview'));
      expect((await byId(street, { uploadId })).statusCode).toBe(403);
      expect(held(uploadId)).toEqual(['upload', 'json']);
      expectGone(await byId(fengtai, { uploadId: 'A'.repeat(32) }));
      expect(await landed('HB21')).toBe(0);
      expect((await byId(fengtai, { uploadId })).statusCode).toBe(201);
      expect(await landed('HB21')).toBe(3);

      // An hour after its last preview it has expired, and goes.
      const old = (await preview(fengtai, 'old.csv', fengtaiRows('HC21'))).json().uploadId as string;
      const metaFile = path.join(heldUploadsDir(), `${old}.json`);
      const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
      fs.writeFileSync(metaFile, JSON.stringify({ ...meta, heldAt: new Date(Date.now() - HELD_UPLOAD_TTL_MS - 1000).toISOString() }));
      expectGone(await byId(fengtai, { uploadId: old }));
      expect(held(old)).toEqual([]);
      expect(await landed('HC21')).toBe(0);
    });

    it('sweeps held uploads older than the hold when a new preview arrives', async () => {
      const stale = (await preview(fengtai, 'stale.csv', fengtaiRows('HD21'))).json().uploadId as string;
      const then = new Date(Date.now() - HELD_UPLOAD_TTL_MS - 60_000);
      for (const ext of ['upload', 'json']) fs.utimesSync(path.join(heldUploadsDir(), `${stale}.${ext}`), then, then);
      const fresh = (await preview(fengtai, 'fresh.csv', fengtaiRows('HE21'))).json().uploadId as string;
      expect(held(stale)).toEqual([]);
      expect(held(fresh)).toEqual(['upload', 'json']);
      expectGone(await byId(fengtai, { uploadId: stale }));
    });

    it('previews the held file again with a changed mapping, keeps it through a refused import, and names bad fields', async () => {
      const first = (await preview(fengtai, 'remap.csv', fengtaiRows('HF21'), { source: 'held-f' })).json();
      const again = await byId(
        fengtai,
        { uploadId: first.uploadId, mapping: { columns: { 联系电话: 'ignore' } } },
        '/api/v1/appeal-imports/preview',
      );
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ uploadId: first.uploadId, fileName: 'remap.csv', source: 'held-f' });
      expect(again.json().columns.find((c: { header: string }) => c.header === '联系电话')).toMatchObject({ role: null });

      for (const [body, field] of [
        [{ uploadId: '../../etc/passwd' }, 'uploadId'],
        [{ uploadId: 42 }, 'uploadId'],
        [{ uploadId: first.uploadId, district: 'Fengtai' }, 'district'],
        [{ uploadId: first.uploadId, mapping: 'x' }, 'mapping'],
        [{ uploadId: first.uploadId, file: 'x' }, 'file'],
      ] as const) {
        const res = await byId(fengtai, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      // A source the import refuses imports nothing: the file stays held, to confirm again corrected.
      const refused = await byId(fengtai, { uploadId: first.uploadId, source: 'no spaces allowed' });
      expect(refused.statusCode).toBe(400);
      expect(held(first.uploadId)).toEqual(['upload', 'json']);
      const res = await byId(fengtai, { uploadId: first.uploadId, mapping: { columns: { 联系电话: 'ignore' } } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ source: 'held-f', inserted: 3 });
      const phones = await t.db.kysely.selectFrom('appeal').select('reporter_phone').where('ticket_no', 'like', 'HF21%').execute();
      expect(phones.map((p) => p.reporter_phone)).toEqual([null, null, null]);
    });
  });
});

/**
 * Issue 15: an upload beside stored appeals commits chunk by chunk, so that list pages do not pass
 * over a whole uncommitted import (on PostgreSQL) and other requests are answered (on the embedded
 * database). A first load into an empty store on PostgreSQL, with nobody to serve, is one
 * transaction and may take the bulk path.
 */
describe.each(backends)('how an upload commits, on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let fengtai: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    fengtai = await loginAs(app, t.db, 'hotline_office', '110106');
  });
  afterAll(async () => {
    await app.close();
  });

  const importedInSteps = async (name: string, prefix: string) => {
    const res = await fengtai.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      ...form({}, { name, content: fs.readFileSync(writeCsv(name, fengtaiRows(prefix))) }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json() as { id: number };
    const audit = await sql<{ changes: { inSteps?: boolean } }>`SELECT changes FROM audit_log
      WHERE action = 'appeal.import' AND entity_id = ${String(id)}`.execute(t.db.kysely);
    expect(audit.rows).toHaveLength(1);
    return audit.rows[0]!.changes.inSteps === true;
  };

  it('in one transaction into an empty store on PostgreSQL, in steps once appeals are stored', async () => {
    expect(await importedInSteps('first.csv', 'CS1')).toBe(backend === 'pglite');
    expect(await importedInSteps('second.csv', 'CS2')).toBe(true);
    expect(await checkRollups(t.db.kysely)).toEqual([]);
  });
});
