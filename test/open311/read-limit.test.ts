import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { openPglite, type Database } from '../../src/db/connection.ts';

// Discovery reads no table: an empty embedded database is enough for the app.
describe('Open311 public reads', () => {
  let db: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await openPglite();
    app = await buildApp({ db, webDist: '/nonexistent' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('are limited to 600 a minute per address, refused in the spec’s form beyond', async () => {
    for (let i = 0; i < 600; i++) {
      const res = await app.inject('/open311/v2/discovery.json');
      expect(res.statusCode).toBe(200);
    }
    const json = await app.inject('/open311/v2/discovery.json');
    expect(json.statusCode, json.body).toBe(429);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body)).toEqual([
      { code: 429, description: expect.stringMatching(/每个地址每分钟最多查询 600 次.*600 reads a minute per address/) },
    ]);
    expect(Number(json.headers['retry-after'])).toBeGreaterThan(0);
    // Counted over every resource together, not one by one.
    const xml = await app.inject('/open311/v2/services.xml');
    expect(xml.statusCode).toBe(429);
    expect(xml.body).toContain('<errors><error><code>429</code>');
    // Another address is not held back.
    expect((await app.inject({ url: '/open311/v2/discovery.json', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
  }, 60_000);
});
