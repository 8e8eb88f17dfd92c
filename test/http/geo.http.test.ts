import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

describe.each(backends)('geography API on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let street: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent' });
    street = await loginAs(app, t.db, 'street_office', '110106008');
  });
  afterAll(async () => {
    await app.close();
  });

  it('reports its health and backend', async () => {
    const res = await app.inject('/api/v1/health');
    expect(res.json()).toMatchObject({ status: 'ok', backend });
  });

  it('answers a division with its parent chain', async () => {
    const res = await app.inject('/api/v1/divisions/110106008028');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: '110106008028', name: '京铁家园社区', parentCode: '110106008' });
    expect(res.json().chain.map((c: { code: string }) => c.code)).toEqual(['11', '1101', '110106', '110106008']);
  });

  it('lists children with paging', async () => {
    const res = await app.inject('/api/v1/divisions/110106008/children?limit=500');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((d: { code: string }) => d.code)).toContain('110106008028');
    expect(body.nextCursor).toBeNull();
    const page = await app.inject('/api/v1/divisions/1101/children?limit=5');
    expect(page.json().items).toHaveLength(5);
    expect(page.json().total).toBe(16);
    expect(page.json().nextCursor).toBe(page.json().items[4].code);
  });

  it('searches by name and initials', async () => {
    const res = await app.inject(`/api/v1/divisions?q=${encodeURIComponent('京铁家园')}`);
    expect(res.json().items[0]).toMatchObject({ code: '110106008028' });
    const initials = await app.inject('/api/v1/divisions?q=JTJY');
    expect(initials.json().items.map((d: { code: string }) => d.code)).toContain('110106008028');
  });

  it('answers an unknown code with 404 problem+json', async () => {
    const res = await app.inject('/api/v1/divisions/110106999');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: expect.any(String), detail: expect.stringContaining('110106999') });
  });

  it('answers malformed input with 400 naming the field', async () => {
    const badCode = await app.inject('/api/v1/divisions/12345');
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().errors[0].field).toBe('code');

    const letters = await app.inject('/api/v1/divisions/abc');
    expect(letters.statusCode).toBe(400);

    const negative = await street.inject({ method: 'PUT', url: '/api/v1/communities/110106008028/profile', payload: { residents: -1 } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors).toEqual([{ field: 'residents', message: expect.any(String) }]);

    const unknownField = await street.inject({ method: 'PUT', url: '/api/v1/communities/110106008028/profile', payload: { residnets: 5 } });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors[0].field).toBe('residnets');

    const notJson = await street.inject({
      method: 'PUT',
      url: '/api/v1/communities/110106008028/profile',
      headers: { 'content-type': 'application/json' },
      payload: '{bad',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.headers['content-type']).toMatch(/^application\/problem\+json/);

    const badLimit = await app.inject('/api/v1/divisions/1101/children?limit=0');
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().errors[0].field).toBe('limit');
  });

  it('saves a profile and reads it back; a failed save keeps the old one', async () => {
    const put = await street.inject({
      method: 'PUT',
      url: '/api/v1/communities/110106008028/profile',
      payload: { residents: 3700, buildings: 30 },
    });
    expect(put.statusCode).toBe(200);
    const bad = await street.inject({
      method: 'PUT',
      url: '/api/v1/communities/110106008028/profile',
      payload: { residents: 10, buildings: -3 },
    });
    expect(bad.statusCode).toBe(400);
    const get = await street.inject('/api/v1/communities/110106008028/profile');
    expect(get.json()).toMatchObject({ residents: 3700, buildings: 30 });
  });

  it('clears a field with null instead of storing 0', async () => {
    const res = await street.inject({
      method: 'PUT',
      url: '/api/v1/communities/110106008028/profile',
      payload: { buildings: null, notes: null },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ residents: 3700, buildings: null, notes: null });
  });

  it('names the field in Chinese and English', async () => {
    const res = await street.inject({ method: 'PUT', url: '/api/v1/communities/110106008028/profile', payload: { households: -3 } });
    expect(res.json().errors).toEqual([{ field: 'households', message: '应当为 >= 0 / must be >= 0' }]);
  });

  it('has no profile for a street', async () => {
    const res = await street.inject('/api/v1/communities/110106008/profile');
    expect(res.statusCode).toBe(404);
  });

  it('serves OpenAPI at /api/docs', async () => {
    const res = await app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain('/api/v1/divisions/{code}/children');
  });

  it('answers unknown API routes with problem+json', async () => {
    const res = await app.inject('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
