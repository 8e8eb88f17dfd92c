import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createUser } from '../../src/domains/accounts/service.ts';
import { roles, systemViewer, type Role } from '../../src/domains/accounts/viewer.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';

/** Every user in this matrix is scoped to 六里桥街道, Fengtai. */
const SCOPE = '110106008';
const INSIDE = '110106008028'; // 京铁家园社区, Liuliqiao
const OUTSIDE = '110107009011'; // 高井路社区, Shijingshan

type Sample = (community: string) => InjectOptions;

interface Expectation {
  /** 'public': anyone, logged in or not; 'any': any logged-in role; else exactly these roles. */
  allowed: 'public' | 'any' | readonly Role[];
  request: Sample;
  /** The route acts on one community's data: out of scope it must be refused too. */
  scoped?: boolean;
}

const editors: readonly Role[] = ['admin', 'org_department', 'street_office', 'community_committee'];

/**
 * Written out by hand, not derived from the policy modules, so that a change of permissions
 * shows up here as a failing line. A route the app has and this table lacks fails the test.
 */
const expectations: Record<string, Expectation> = {
  'GET /api/v1/health': { allowed: 'public', request: () => ({ url: '/api/v1/health' }) },
  'GET /api/v1/divisions': { allowed: 'public', request: () => ({ url: '/api/v1/divisions?q=jtjy' }) },
  'GET /api/v1/divisions/:code': { allowed: 'public', request: (c) => ({ url: `/api/v1/divisions/${c}` }) },
  'GET /api/v1/divisions/:code/children': { allowed: 'public', request: () => ({ url: `/api/v1/divisions/${SCOPE}/children` }) },
  'GET /api/v1/communities/:code/profile': { allowed: 'any', scoped: true, request: (c) => ({ url: `/api/v1/communities/${c}/profile` }) },
  'PUT /api/v1/communities/:code/profile': {
    allowed: editors,
    scoped: true,
    request: (c) => ({ method: 'PUT', url: `/api/v1/communities/${c}/profile`, payload: { notes: 'matrix' } }),
  },
  'POST /api/v1/auth/login': {
    allowed: 'public',
    request: () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'matrix-login', password: 'matrix-login-password' } }),
  },
  'POST /api/v1/auth/logout': { allowed: 'any', request: () => ({ method: 'POST', url: '/api/v1/auth/logout' }) },
  'GET /api/v1/auth/me': { allowed: 'any', request: () => ({ url: '/api/v1/auth/me' }) },
  'GET /api/v1/users': { allowed: ['admin'], request: () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/users': { allowed: ['admin'], request: () => ({ method: 'POST', url: '/api/v1/users', payload: { login: 'x', role: 'bogus', scope: SCOPE } }) },
  'PATCH /api/v1/users/:id': { allowed: ['admin'], request: () => ({ method: 'PATCH', url: '/api/v1/users/999999', payload: { displayName: 'x' } }) },
  'POST /api/v1/users/:id/tokens': { allowed: ['admin'], request: () => ({ method: 'POST', url: '/api/v1/users/999999/tokens', payload: { name: 'x' } }) },
  'GET /api/v1/users/:id/tokens': { allowed: ['admin'], request: () => ({ url: '/api/v1/users/999999/tokens' }) },
  'POST /api/v1/users/:id/password': { allowed: ['admin'], request: () => ({ method: 'POST', url: '/api/v1/users/999999/password' }) },
  'DELETE /api/v1/users/:id/tokens/:tokenId': { allowed: ['admin'], request: () => ({ method: 'DELETE', url: '/api/v1/users/999999/tokens/1' }) },
  'GET /api/v1/audit': { allowed: ['admin'], request: () => ({ url: '/api/v1/audit' }) },
  'GET /api/v1/audit/export': { allowed: ['admin'], request: () => ({ url: '/api/v1/audit/export' }) },
  'GET /api/v1/appeal-categories': { allowed: 'public', request: () => ({ url: '/api/v1/appeal-categories' }) },
  // Lists filter by scope rather than refuse (test/appeals covers that); a missing appeal is 404 for every role.
  'GET /api/v1/appeals': { allowed: 'any', request: (c) => ({ url: `/api/v1/appeals?division=${c}` }) },
  'GET /api/v1/appeals/:id': { allowed: 'any', request: () => ({ url: '/api/v1/appeals/999999999' }) },
  'POST /api/v1/appeals': {
    allowed: ['admin', 'hotline_office', 'street_office', 'community_committee', 'secretary'],
    scoped: true,
    request: (c) => ({ method: 'POST', url: '/api/v1/appeals', payload: { channel: 'walk_in', kind: 'help', categoryCode: 'other', description: 'matrix', communityCode: c } }),
  },
  'POST /api/v1/appeals/:id/events': {
    allowed: ['admin', 'hotline_office', 'street_office', 'community_committee', 'department_handler'],
    request: () => ({ method: 'POST', url: '/api/v1/appeals/999999999/events', payload: { type: 'respond', expectedVersion: 1 } }),
  },
};

const evaluationReads: Record<string, Expectation> = Object.fromEntries(
  [
    ['figures', (c: string) => `level=community&month=2022-06&within=${c}`],
    ['ranking', (c: string) => `level=community&month=2022-06&within=${c}`],
    ['trend', (c: string) => `code=${c}&from=2022-01&to=2022-06`],
    ['categories', (c: string) => `within=${c}&from=2022-01&to=2022-06`],
    ['key-communities', (c: string) => `month=2022-06&within=${c}`],
    ['hotspots', (c: string) => `month=2022-06&code=${c}`],
  ].map(([name, query]) => [
    `GET /api/v1/evaluation/${name as string}`,
    { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/evaluation/${name as string}?${(query as (c: string) => string)(c)}` }) },
  ]),
);

Object.assign(expectations, evaluationReads, {
  'GET /api/v1/evaluation/reports/monthly': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/evaluation/reports/monthly?month=2022-06&within=${c}` }) },
  'GET /api/v1/evaluation/reports/monthly.xlsx': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/evaluation/reports/monthly.xlsx?month=2022-06&within=${c}` }) },
  'GET /api/v1/evaluation/reports/daily': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/evaluation/reports/daily?date=2022-06-01&within=${c}` }) },
  'GET /api/v1/evaluation/reports/daily.xlsx': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/evaluation/reports/daily.xlsx?date=2022-06-01&within=${c}` }) },
  'GET /api/v1/evaluation/config': { allowed: 'any', request: () => ({ url: '/api/v1/evaluation/config' }) },
  'PUT /api/v1/evaluation/config': { allowed: ['admin'], request: () => ({ method: 'PUT', url: '/api/v1/evaluation/config', payload: { basicallySatisfiedFactor: 2 } }) },
  'POST /api/v1/evaluation/rollups/check': { allowed: ['admin'], request: () => ({ method: 'POST', url: '/api/v1/evaluation/rollups/check' }) },
  'POST /api/v1/evaluation/rollups/rebuild': { allowed: ['admin'], request: () => ({ method: 'POST', url: '/api/v1/evaluation/rollups/rebuild' }) },
} satisfies Record<string, Expectation>);

const denied = (status: number) => status === 401 || status === 403;

describe.each(backends)('permission matrix on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  const agents = new Map<Role, Agent>();

  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    for (const role of roles) agents.set(role, await loginAs(app, t.db, role, SCOPE));
    await createUser(t.db.kysely, { login: 'matrix-login', password: 'matrix-login-password', role: 'viewer', scope: SCOPE }, systemViewer);
  });
  afterAll(async () => {
    await app.close();
  });

  it('has an expectation for every route the app declares', () => {
    const declared = app.declaredRoutes.map((r) => `${r.method} ${r.url}`).sort();
    expect(declared).toEqual(Object.keys(expectations).sort());
  });

  it('refuses anonymous callers everywhere but on public routes', async () => {
    for (const [route, expectation] of Object.entries(expectations)) {
      const res = await app.inject(expectation.request(INSIDE));
      if (expectation.allowed === 'public') expect(res.statusCode, route).not.toBe(401);
      else expect(res.statusCode, route).toBe(401);
    }
  });

  it.each(roles)('lets %s do exactly what its role allows, inside its scope only', async (role) => {
    for (const [route, expectation] of Object.entries(expectations)) {
      // Logging out would end the session the rest of the matrix uses: use a session of its own.
      const agent = route.endsWith('/logout') ? await loginAs(app, t.db, role, SCOPE) : agents.get(role)!;
      const roleAllowed = expectation.allowed === 'public' || expectation.allowed === 'any' || expectation.allowed.includes(role);
      const inside = await agent.inject(expectation.request(INSIDE));
      expect(denied(inside.statusCode), `${role} ${route} inside → ${inside.statusCode} ${inside.body.slice(0, 200)}`).toBe(!roleAllowed);
      if (expectation.scoped && roleAllowed) {
        const outside = await agent.inject(expectation.request(OUTSIDE));
        expect([403, 404], `${role} ${route} outside → ${outside.statusCode}`).toContain(outside.statusCode);
      }
    }
  });
});
