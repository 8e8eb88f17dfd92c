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
  'DELETE /api/v1/users/:id/tokens/:tokenId': { allowed: ['admin'], request: () => ({ method: 'DELETE', url: '/api/v1/users/999999/tokens/1' }) },
  'GET /api/v1/audit': { allowed: ['admin'], request: () => ({ url: '/api/v1/audit' }) },
  'GET /api/v1/audit/export': { allowed: ['admin'], request: () => ({ url: '/api/v1/audit/export' }) },
};

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
