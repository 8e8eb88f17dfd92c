import { describe, expect, it } from 'vitest';
import Fastify, { type HTTPMethods } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { openPglite } from '../../src/db/connection.ts';
import { requireRoutePolicies, type RoutePolicy } from '../../src/http/policy.ts';
import { expectedRoutes } from './route-list.ts';

describe('route policies', () => {
  it('refuses to register an API route that declares no policy', async () => {
    const app = Fastify();
    requireRoutePolicies(app, new Set(['known.action']));
    expect(() => app.get('/api/v1/leaky', async () => 'x')).toThrow(/declares no policy/);
    expect(() => app.get('/api/v1/typo', { config: { policy: { kind: 'action', action: 'known.actoin' } } }, async () => 'x')).toThrow(
      /unknown action/,
    );
    // Open311's routes live outside /api/v1 and are held to the same rule.
    expect(() => app.get('/open311/v2/leaky.json', async () => 'x')).toThrow(/declares no policy/);
    expect(() =>
      app.post('/open311/v2/typo.json', { config: { policy: { kind: 'apiKey', action: 'known.actoin' } } }, async () => 'x'),
    ).toThrow(/unknown action/);
    app.get('/api/v1/fine', { config: { policy: { kind: 'public' } } }, async () => 'x');
    await app.ready();
    expect(app.hasRoute({ method: 'GET', url: '/api/v1/fine' })).toBe(true);
  });

  it('has exactly the routes of the hand-kept list, each with the policy the list gives it', async () => {
    const db = await openPglite();
    try {
      const app = await buildApp({ db, webDist: '/nonexistent' });
      await app.ready();
      const policyOf = (p: RoutePolicy) => (p.kind === 'action' || p.kind === 'apiKey' ? `${p.kind}:${p.action}` : p.kind);
      const declared = app.declaredRoutes.map((r) => `${r.method} ${r.url} ${policyOf(r.policy)}`).sort();
      const expected = expectedRoutes.map(([route, policy]) => `${route} ${policy}`).sort();
      // Both ways: a route the list lacks (added without a line) and a line the app lacks (dropped).
      expect(
        declared.filter((r) => !expected.includes(r)),
        'routes the app declares that the list does not name',
      ).toEqual([]);
      expect(
        expected.filter((r) => !declared.includes(r)),
        'routes the list names that the app does not declare',
      ).toEqual([]);
      expect(new Set(expected).size, 'a route listed twice').toBe(expected.length);
      // And Fastify itself answers each listed route, whatever the hook recorded.
      for (const [route] of expectedRoutes) {
        const [method, url] = route.split(' ') as [HTTPMethods, string];
        expect(app.hasRoute({ method, url }), route).toBe(true);
      }
      await app.close();
    } finally {
      await db.close();
    }
  });
});
