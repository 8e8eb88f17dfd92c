import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { publicRoute } from '../../src/http/policy.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs } from '../support/http.ts';

/**
 * Issue 17, item 3: when a query failed, the log line carried the SQL and its parameters, residents'
 * names and phones among them. A route of the test's own makes a real query fail with them.
 */
describe.each(backends)('the server log on a failed query on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    app = await buildApp({ db: t.db, webDist: '/nonexistent', logger: { level: 'info', stream } });
    app.get('/api/v1/test-only/failing-query', { config: { policy: publicRoute } }, async () => {
      // A name where a number belongs: the database refuses it and quotes it in its message.
      await sql`SELECT ${'李四'}::int AS n, ${'13911112222'}::text AS phone`.execute(t.db.kysely);
      return {};
    });
    app.get('/api/v1/test-only/failing-constraint', { config: { policy: publicRoute } }, async () => {
      await sql`SELECT 1 / (${'13911112222'}::bigint - 13911112222) AS n, ${'李四'}::text AS who`.execute(t.db.kysely);
      return {};
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps the query’s parameters and quoted values out of the log, and answers 400 problem+json', async () => {
    for (const url of ['/api/v1/test-only/failing-query', '/api/v1/test-only/failing-constraint']) {
      lines.length = 0;
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body).not.toContain('李四');
      const log = lines.join('');
      expect(log, url).toMatch(/"code":"22/);
      expect(log).not.toContain('李四');
      expect(log).not.toContain('13911112222');
    }
  });

  it('logs a request by its method and path: not the query string a search typed, nor the address', async () => {
    const office = await loginAs(app, t.db, 'hotline_office', '110106');
    lines.length = 0;
    const res = await office.inject('/api/v1/appeals?q=13911112222&limit=5');
    expect(res.statusCode, res.body).toBe(200);
    const log = lines.join('');
    // The request is logged (Fastify's "incoming request" and "request completed") ...
    expect(log).toContain('"path":"/api/v1/appeals"');
    expect(log).toContain('"method":"GET"');
    // ... without what was searched for, or where from.
    expect(log).not.toContain('13911112222');
    expect(log).not.toContain('remoteAddress');
  });
});
