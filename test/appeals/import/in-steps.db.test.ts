import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.ts';
import { systemViewer } from '../../../src/domains/accounts/viewer.ts';
import { failInterruptedImports, importAppeals, STEP_CHUNK_ROWS } from '../../../src/domains/appeals/import/service.ts';
import { createImport } from '../../../src/domains/appeals/import/queries.ts';
import { checkRollups } from '../../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../../support/databases.ts';
import { loginAs, type Agent } from '../../support/http.ts';
import { writeCsv } from './fixtures.ts';

/** A multipart/form-data body as a browser's upload sends it. */
function form(file: { name: string; content: Buffer }) {
  const boundary = '----mustanswer-steps-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** `count` plain rows in 京铁家园社区, one ticket each, over 2023's first months. */
function rows(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = String(1 + (i % 6)).padStart(2, '0');
    return `${prefix}${String(i).padStart(6, '0')},2023-${month}-${day} 10:00,投诉,停车难,小区停车难 ${i},丰台区,六里桥街道,京铁家园社区,,,,,,是,是,满意,2023-${month}-${day} 18:00,`;
  });
}

const count = (db: ReturnType<typeof useTestDatabase>['db'], prefix: string) =>
  db.kysely
    .selectFrom('appeal')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ticket_no', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow()
    .then((r) => r.n);

// The embedded database only: there an import through the server runs in steps (PostgreSQL gives it a connection of its own).
describe('an import in steps on the embedded database', () => {
  const t = useTestDatabase('pglite');
  let app: FastifyInstance;
  let office: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    office = await loginAs(app, t.db, 'hotline_office', '110106');
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets health and list reads answer while an upload is still being imported', async () => {
    const file = writeCsv('steps-upload.csv', rows('ST', 12_000));
    let finished = false;
    const upload = office.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      ...form({ name: 'steps-upload.csv', content: fs.readFileSync(file) }),
    });
    void upload.finally(() => (finished = true));
    // A read every 20 ms while the upload runs, as a browser's would come. The pause is a timer,
    // not only a promise: app.inject and PGlite answer on microtasks, so a loop of bare reads
    // never lets the event loop reach I/O, and the upload (spooled to a file first) never starts.
    const seen: Array<{ rowsTotal: number; inserted: number }> = [];
    let answeredBefore = 0;
    let rollupsMidway: unknown[] | undefined;
    for (let i = 0; i < 3_000 && !finished; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const health = await app.inject('/api/v1/health');
      expect(health.statusCode).toBe(200);
      const list = await office.inject('/api/v1/appeal-imports?limit=5');
      expect(list.statusCode).toBe(200);
      if (finished) break;
      answeredBefore++;
      const running = (list.json().items as Array<{ fileName: string; status: string; rowsTotal: number; inserted: number }>).find(
        (item) => item.fileName === 'steps-upload.csv' && item.status === 'running',
      );
      if (!running || running.rowsTotal === 0 || running.rowsTotal === seen.at(-1)?.rowsTotal) continue;
      seen.push({ rowsTotal: running.rowsTotal, inserted: running.inserted });
      // Each step commits its rows with their rollups: between two steps they agree.
      rollupsMidway ??= await checkRollups(t.db.kysely);
    }
    expect(finished, 'the upload finished within the loop').toBe(true);
    const res = await upload;
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'done', rowsTotal: 12_000, inserted: 12_000, unchanged: 0 });
    expect(answeredBefore).toBeGreaterThan(0);
    // Seen half-way, in whole steps (STEP_CHUNK_ROWS), every row of a step landed, and never going back.
    // (The last step has committed a moment before the import is recorded done: 12,000 running is right.)
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]!.rowsTotal).toBeLessThan(12_000);
    for (const [i, step] of seen.entries()) {
      expect(step.rowsTotal).toBeLessThanOrEqual(12_000);
      expect(step.rowsTotal % STEP_CHUNK_ROWS).toBe(0);
      expect(step.inserted).toBe(step.rowsTotal);
      if (i > 0) expect(step.rowsTotal).toBeGreaterThan(seen[i - 1]!.rowsTotal);
    }
    expect(rollupsMidway).toEqual([]);
    expect(await count(t.db, 'ST')).toBe(12_000);
    expect(await checkRollups(t.db.kysely)).toEqual([]);
    const audit = await t.db.kysely
      .selectFrom('audit_log')
      .select('changes')
      .where('action', '=', 'appeal.import')
      .where('entity_id', '=', String(res.json().id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.changes).toMatchObject({ inSteps: true, inserted: 12_000 });
  }, 120_000);

  // Issue 17 item 6: PGlite runs each statement on the server's thread and settles it in a
  // microtask, so a step's statements ran back to back and the event loop got no turn for a whole
  // step: a health check (no database) waited for it. Counted, not timed: how many statements
  // PGlite ran between two turns of the event loop, and whether a health check sent over a socket
  // as a step begins is answered before that step commits.
  it('answers a health check between the statements of an import step, not only between steps', async () => {
    const file = writeCsv('steps-turns.csv', rows('TT', 6_000));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    /** A health check on a connection of its own (no keep-alive queueing in the client). */
    const health = () =>
      new Promise<number>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/api/v1/health', agent: false }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });

    // Every statement the database runs, as PGlite is asked for it (Kysely's and COPY's alike).
    const query = PGlite.prototype.query;
    let statements = 0;
    let inStep = false;
    let step = 0;
    const sent: Array<{ step: number; status?: number; answeredInStep?: boolean }> = [];
    const texts: string[] = [];
    let worst: string[] = [];
    PGlite.prototype.query = function (this: PGlite, ...args: Parameters<PGlite['query']>) {
      statements++;
      const text = String(args[0]).trim().toLowerCase();
      texts.push(text.slice(0, 60));
      if (text.startsWith('set local work_mem')) {
        // A step begins (staging.createStaging): send a health check now.
        inStep = true;
        step++;
        const probe: (typeof sent)[number] = { step };
        sent.push(probe);
        const thisStep = step;
        void health().then(
          (status) => {
            probe.status = status;
            probe.answeredInStep = inStep && step === thisStep;
          },
          () => undefined,
        );
      } else if (text === 'commit') inStep = false;
      return query.apply(this, args) as ReturnType<PGlite['query']>;
    } as PGlite['query'];

    // The event loop's turns, each noting how many statements ran since the last.
    let done = false;
    let atLastTurn = 0;
    let mostBetweenTurns = 0;
    const turn = () => {
      if (statements - atLastTurn > mostBetweenTurns) worst = texts.slice(-(statements - atLastTurn));
      mostBetweenTurns = Math.max(mostBetweenTurns, statements - atLastTurn);
      atLastTurn = statements;
      if (!done) setImmediate(turn);
    };
    try {
      setImmediate(turn);
      const res = await office.inject({
        method: 'POST',
        url: '/api/v1/appeal-imports',
        ...form({ name: 'steps-turns.csv', content: fs.readFileSync(file) }),
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ status: 'done', rowsTotal: 6_000, inserted: 6_000 });
    } finally {
      done = true;
      PGlite.prototype.query = query;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answeredInStep = sent.filter((p) => p.answeredInStep).length;
    expect(sent.map((p) => p.status)).toEqual(sent.map(() => 200));
    // Before: a whole step (18 statements) ran between two turns, and none of the health checks
    // was answered before the step it arrived in had committed (0 of 3). Now at most a commit and
    // the next transaction's first statements run between two turns.
    expect(mostBetweenTurns, `ran between two turns:\n${worst.join('\n')}`).toBeLessThanOrEqual(4);
    // Steps of 500 rows (a request that reads the database waits for the step in progress): 12, not 3.
    expect(sent.length).toBeGreaterThanOrEqual(12);
    expect(answeredInStep, `answered within their step: ${answeredInStep} of ${sent.length}`).toBeGreaterThanOrEqual(sent.length / 2);
    expect(await checkRollups(t.db.kysely)).toEqual([]);
  }, 120_000);

  it('keeps the steps an interrupted import committed, records it failed, and lands the rest once on a rerun', async () => {
    const file = writeCsv('steps-interrupted.csv', rows('SI', 7_000));
    let steps = 0;
    await expect(
      importAppeals(t.db, file, systemViewer, {
        inSteps: true,
        chunkRows: 2_000,
        onProgress: () => {
          if (++steps === 2) throw new Error('stopped halfway');
        },
      }),
    ).rejects.toThrow('stopped halfway');
    // Two steps of 2,000 committed whole; the record says failed, with what it landed.
    expect(await count(t.db, 'SI')).toBe(4_000);
    const failed = await t.db.kysely
      .selectFrom('appeal_import')
      .selectAll()
      .where('file_name', '=', 'steps-interrupted.csv')
      .executeTakeFirstOrThrow();
    expect(failed).toMatchObject({ status: 'failed', inserted: 4_000, rows_total: 4_000 });
    expect(failed.failure).toContain('stopped halfway');
    // The rollups hold exactly what was committed.
    expect(await checkRollups(t.db.kysely)).toEqual([]);

    const rerun = await importAppeals(t.db, file, systemViewer, { inSteps: true });
    expect(rerun).toMatchObject({ status: 'done', rowsTotal: 7_000, inserted: 3_000, unchanged: 4_000 });
    expect(await count(t.db, 'SI')).toBe(7_000);
    expect(await checkRollups(t.db.kysely)).toEqual([]);
  }, 120_000);
});

// An import left running by a stopped server is shown as failed at the next start (src/cli/serve.ts).
describe.each(backends)('imports interrupted by a stop (%s)', (backend) => {
  const t = useTestDatabase(backend);
  const record = (fileName: string) => ({
    source_name: null,
    file_name: fileName,
    file_bytes: 100,
    file_sha256: '',
    format: 'csv' as const,
    encoding: 'utf-8',
    district_code: null,
    imported_by: 'system',
    scope_code: '11',
  });
  const statusOf = (id: number) =>
    t.db.kysely
      .selectFrom('appeal_import')
      .select(['status', 'failure', 'finished_at', 'inserted'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it(
    backend === 'pglite'
      ? "marks the embedded database's running imports failed, keeping what they landed, and leaves finished ones alone"
      : 'leaves running imports alone on PostgreSQL, where another server may be importing them now',
    async () => {
      const running = await createImport(t.db.kysely, record('cut-off.csv'));
      await t.db.kysely.updateTable('appeal_import').set({ inserted: 4_000, rows_total: 4_000 }).where('id', '=', running).execute();
      const done = await createImport(t.db.kysely, record('done.csv'));
      await t.db.kysely
        .updateTable('appeal_import')
        .set({ status: 'done', finished_at: new Date('2024-01-02T03:04:05Z') })
        .where('id', '=', done)
        .execute();

      if (backend === 'pglite') {
        expect(await failInterruptedImports(t.db)).toBe(1);
        const failed = await statusOf(running);
        expect(failed).toMatchObject({ status: 'failed', inserted: 4_000 });
        expect(failed.failure).toContain('interrupted');
        expect(failed.finished_at).not.toBeNull();
        // Once only: a second start finds nothing running.
        expect(await failInterruptedImports(t.db)).toBe(0);
      } else {
        expect(await failInterruptedImports(t.db)).toBe(0);
        expect(await statusOf(running)).toMatchObject({ status: 'running', finished_at: null });
      }
      expect(await statusOf(done)).toMatchObject({ status: 'done', finished_at: new Date('2024-01-02T03:04:05Z') });
    },
  );
});
