import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../../src/app.ts';
import { heldUploadsDir } from '../../../src/domains/appeals/import/held-uploads.ts';
import { backends, useTestDatabase } from '../../support/databases.ts';
import { loginAs, type Agent } from '../../support/http.ts';
import { writeCsv } from './fixtures.ts';

/** A multipart/form-data body as a browser's upload sends it. */
function form(file: { name: string; content: Buffer }) {
  const boundary = '----mustanswer-race-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** `count` plain rows in 京铁家园社区, one ticket each. */
function rows(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (i % 6)).padStart(2, '0');
    return `${prefix}${String(i).padStart(6, '0')},2023-${month}-${day} 10:00,投诉,停车难,小区停车难 ${i},丰台区,六里桥街道,京铁家园社区,,,,,,是,是,满意,2023-${month}-${day} 18:00,`;
  });
}

/** Every answer is a success or a 4xx problem+json in Chinese and English: never a 500. */
function expectAnswered(res: LightMyRequestResponse, success: number) {
  if (res.statusCode === success) return;
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/problem\+json/);
  // The detail is "中文 / English".
  expect(res.json().detail, res.body).toMatch(/[\u4e00-\u9fff].* \/ [A-Za-z]/);
}

/**
 * The web page previews a held upload again (another mapping) while an import runs: the same held
 * upload being confirmed (claimed, imported and deleted under the preview), or another one. Each
 * preview answers 200 or the held upload's 404, never a 500 (issue 16).
 */
describe.each(backends)('previews of held uploads while an import runs, on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let office: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', logger: { level: 'error' } });
    office = await loginAs(app, t.db, 'hotline_office', '110106');
  });
  afterAll(async () => {
    await app.close();
  });

  const preview = async (name: string, lines: string[]) => {
    const res = await office.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports/preview',
      ...form({ name, content: fs.readFileSync(writeCsv(name, lines)) }),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().uploadId as string;
  };
  const byId = (body: Record<string, unknown>, url = '/api/v1/appeal-imports') => office.inject({ method: 'POST', url, payload: body });
  const again = (uploadId: string) => byId({ uploadId, mapping: { columns: { 联系电话: 'ignore' } } }, '/api/v1/appeal-imports/preview');

  /** Previews `uploadId` again and again, three at a time, until `running` settles; returns the answers. */
  async function previewWhile(running: Promise<unknown>, uploadId: string): Promise<LightMyRequestResponse[]> {
    let done = false;
    void running.finally(() => (done = true));
    const answers: LightMyRequestResponse[] = [];
    const previewer = async (pause: number) => {
      for (let round = 0; round < 500 && !done; round++) {
        answers.push(await again(uploadId));
        // A timer between previews lets the import's I/O (the spool, the rename, the database) run in between.
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    };
    await Promise.all([previewer(0), previewer(2), previewer(5)]);
    await running;
    return answers;
  }

  it('answers a preview of the upload being confirmed with 200 or 404, never a 500', async () => {
    for (const [n, size] of [
      [1, 3],
      [2, 300],
      [3, 4_000],
    ] as const) {
      const uploadId = await preview(`race-same-${n}.csv`, rows(`RS${n}`, size));
      // Previews already reading the held file when the confirmation takes it, and previews after.
      const started = again(uploadId);
      const confirm = byId({ uploadId });
      const answers = [await started, ...(await previewWhile(confirm, uploadId))];
      const confirmed = await confirm;
      expect(confirmed.statusCode, confirmed.body).toBe(201);
      expect(confirmed.json()).toMatchObject({ inserted: size, status: 'done' });
      for (const res of answers) expectAnswered(res, 200);
      for (const res of answers.filter((r) => r.statusCode !== 200)) {
        expect(res.statusCode).toBe(404);
        expect(res.json().errors).toEqual([{ field: 'uploadId', message: expect.any(String) }]);
      }
      // Once imported, it is gone for good: no preview put its record back.
      expect((await again(uploadId)).statusCode).toBe(404);
      expect(fs.existsSync(path.join(heldUploadsDir(), `${uploadId}.json`))).toBe(false);
      expect(fs.existsSync(path.join(heldUploadsDir(), `${uploadId}.upload`))).toBe(false);
    }
  });

  it('answers previews of one held upload while another is imported with 200, and the other imports', async () => {
    const kept = await preview('race-kept.csv', rows('RK', 50));
    const imported = await preview('race-other.csv', rows('RO', 4_000));
    const confirm = byId({ uploadId: imported });
    const answers = await previewWhile(confirm, kept);
    const confirmed = await confirm;
    expect(confirmed.statusCode, confirmed.body).toBe(201);
    expect(confirmed.json()).toMatchObject({ inserted: 4_000, status: 'done' });
    expect(answers.length).toBeGreaterThan(0);
    for (const res of answers) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ uploadId: kept, problems: [] });
    }
    const res = await byId({ uploadId: kept });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ inserted: 50 });
  });
});
