import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { buildApp } from '../../src/app.ts';
import { openPglite } from '../../src/db/connection.ts';
import { requireRoutePolicies } from '../../src/http/policy.ts';

describe('route policies', () => {
  it('refuses to register an API route that declares no policy', async () => {
    const app = Fastify();
    requireRoutePolicies(app, new Set(['known.action']));
    expect(() => app.get('/api/v1/leaky', async () => 'x')).toThrow(/declares no policy/);
    expect(() => app.get('/api/v1/typo', { config: { policy: { kind: 'action', action: 'known.actoin' } } }, async () => 'x')).toThrow(/unknown action/);
    // Open311's routes live outside /api/v1 and are held to the same rule.
    expect(() => app.get('/open311/v2/leaky.json', async () => 'x')).toThrow(/declares no policy/);
    expect(() => app.post('/open311/v2/typo.json', { config: { policy: { kind: 'apiKey', action: 'known.actoin' } } }, async () => 'x')).toThrow(/unknown action/);
    app.get('/api/v1/fine', { config: { policy: { kind: 'public' } } }, async () => 'x');
    await app.ready();
    expect(app.hasRoute({ method: 'GET', url: '/api/v1/fine' })).toBe(true);
  });

  it('knows every API route of the app with its policy', async () => {
    const db = await openPglite();
    try {
      const app = await buildApp({ db, webDist: '/nonexistent' });
      await app.ready();
      const routes = app.declaredRoutes.map((r) => `${r.method} ${r.url}`);
      expect(routes).toEqual(expect.arrayContaining([
        'GET /api/v1/health',
        'GET /api/v1/divisions/:code',
        'PUT /api/v1/communities/:code/profile',
      ]));
      for (const route of app.declaredRoutes) {
        expect(app.hasRoute({ method: route.method as 'GET', url: route.url })).toBe(true);
      }
      await app.close();
    } finally {
      await db.close();
    }
  });
});
