import type { FastifyInstance, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError } from '../../errors.ts';
import type { RoutePolicy } from '../../http/policy.ts';
import { allows } from '../../http/abilities.ts';
import { authenticateApiToken, authenticateSession } from './service.ts';
import type { Viewer } from './viewer.ts';

export const SESSION_COOKIE = 'ma_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user as services see them, or null for an anonymous request. */
    viewer: Viewer | null;
    /** The session's CSRF token when the request came with the session cookie. */
    sessionCsrf: string | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The viewer of a route whose policy guarantees a logged-in user. */
export function viewerOf(request: FastifyRequest): Viewer {
  if (!request.viewer) throw new AppError('unauthenticated', '请先登录', 'Please log in first');
  return request.viewer;
}

/**
 * Identifies the caller (session cookie or `Authorization: Bearer` API token) and enforces the
 * route's declared policy before the body is even parsed: 401 without a user, 403 when the role
 * may not take the action, 403 for a cookie-authenticated write without the CSRF token.
 * Division scope is the services' part: they get the viewer.
 */
export async function registerAuth(app: FastifyInstance, db: Kysely<Tables>): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('viewer', null);
  app.decorateRequest('sessionCsrf', null);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const sessionToken = request.cookies[SESSION_COOKIE];
    const auth = bearer ? await authenticateApiToken(db, bearer) : sessionToken ? await authenticateSession(db, sessionToken) : undefined;
    if (bearer && !auth) throw new AppError('unauthenticated', 'API 令牌无效或已吊销', 'The API token is invalid or revoked');
    request.viewer = auth?.viewer ?? null;
    request.sessionCsrf = auth?.csrfToken ?? null;

    const policy = (request.routeOptions.config as { policy?: RoutePolicy }).policy;
    if (!policy || policy.kind === 'public') return;
    if (!request.viewer) throw new AppError('unauthenticated', '请先登录', 'Please log in first');
    if (policy.kind === 'action' && !allows(request.viewer.role, policy.action)) {
      throw new AppError('forbidden', `当前角色无权执行 ${policy.action}`, `Your role may not ${policy.action}`);
    }
    if (request.sessionCsrf && !safeMethods.has(request.method) && request.headers[CSRF_HEADER] !== request.sessionCsrf) {
      throw new AppError('forbidden', '缺少或错误的 CSRF 令牌，请刷新页面', 'Missing or wrong CSRF token; reload the page');
    }
  });
}
