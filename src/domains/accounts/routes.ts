import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/connection.ts';
import { AppError } from '../../errors.ts';
import { created, ok, routeSection } from '../../http/routes.ts';
import { Nullable } from '../../http/schemas.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { auditCsv } from './audit-export.ts';
import { SESSION_COOKIE, viewerOf } from './http-auth.ts';
import { LoginThrottle } from './login-throttle.ts';
import { accountPolicy } from './policy.ts';
import { listAudit } from './queries.ts';
import {
  AuditEntrySchema,
  type AuditFilter,
  AuditQuery,
  IssuedTokenSchema,
  LoginBody,
  NewUserBody,
  NewUserResultSchema,
  SessionSchema,
  UserChangesBody,
  UserIdParam,
  UserSchema,
} from './schemas.ts';
import * as accounts from './service.ts';

export interface AccountRouteOptions {
  db: Database;
  /** Login attempts allowed per minute for one address and login name. */
  loginAttemptsPerMinute: number;
  /** Secure cookies when served over HTTPS. */
  secureCookies: boolean;
}

export const accountRoutes: FastifyPluginAsyncTypebox<AccountRouteOptions> = async (app, { db, loginAttemptsPerMinute, secureCookies }) => {
  const tags = ['accounts 账号'];
  const section = routeSection(tags, accountPolicy);
  const kysely = db.kysely;
  // Per address, failures only: a whole office behind one address still logs in all morning.
  const throttle = new LoginThrottle(loginAttemptsPerMinute * 3);

  app.post(
    '/auth/login',
    {
      config: {
        policy: accountPolicy.login,
        rateLimit: {
          max: loginAttemptsPerMinute,
          timeWindow: '1 minute',
          hook: 'preHandler',
          errorResponseBuilder: (_request, context) => ({
            statusCode: 429,
            message: `登录尝试过于频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试 / Too many login attempts; try again in ${Math.ceil(context.ttl / 1000)} s`,
          }),
          keyGenerator: (request) => `${request.ip}:${(request.body as { login?: string } | undefined)?.login ?? ''}`,
        },
      },
      schema: { tags, summary: '登录 / Log in', body: LoginBody, response: { 200: SessionSchema, 401: Type.Ref('Problem') } },
    },
    async (request, reply) => {
      const wait = throttle.waitFor(request.ip);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw Object.assign(
          new Error(`此地址登录失败次数过多，请 ${seconds} 秒后再试 / Too many failed logins from this address; try again in ${seconds} s`),
          { statusCode: 429 },
        );
      }
      const result = await accounts.login(kysely, request.body.login, request.body.password, request.ip);
      if (!result.ok) {
        throttle.recordFailure(request.ip);
        request.log.warn({ login: request.body.login, ip: request.ip }, 'login failed');
        throw new AppError('unauthenticated', '登录名或密码错误', 'Wrong login or password');
      }
      void reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        path: '/',
        maxAge: accounts.SESSION_HOURS * 3600,
      });
      return result.session;
    },
  );

  app.post('/auth/logout', section.session('退出登录 / Log out', { response: { 204: Type.Null() } }), async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await accounts.logout(kysely, token, viewerOf(request));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get(
    '/auth/me',
    section.session('当前用户、权限与 CSRF 令牌 / Current user, abilities and CSRF token', { response: { 200: SessionSchema } }),
    async (request) => accounts.sessionView(kysely, request.sessionCsrf ?? '', viewerOf(request)),
  );

  app.get(
    '/users',
    section.manageUsers('用户列表（新的在前）/ Users, newest first', {
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        cursor: Type.Optional(Type.String()),
      }),
      response: ok(Type.Object({ items: Type.Array(Type.Ref(UserSchema)), nextCursor: Nullable(Type.String()) })),
    }),
    async (request) => accounts.listUsers(kysely, request.query, viewerOf(request)),
  );

  app.post(
    '/users',
    section.manageUsers(
      '新建用户（未给密码时生成一次性显示的随机密码）/ Create a user (a random password is shown once if none is given)',
      {
        body: NewUserBody,
        response: created(NewUserResultSchema),
      },
    ),
    async (request, reply) => reply.status(201).send(await accounts.createUser(kysely, request.body, viewerOf(request))),
  );

  app.patch(
    '/users/:id',
    section.manageUsers('修改或停用用户 / Change or disable a user', {
      params: UserIdParam,
      body: UserChangesBody,
      response: ok(Type.Ref(UserSchema)),
    }),
    async (request) => accounts.updateUser(kysely, request.params.id, request.body, viewerOf(request)),
  );

  app.post(
    '/users/:id/tokens',
    section.manageUsers('为机器客户端签发 API 令牌（只显示一次）/ Issue an API token for a machine client (shown once)', {
      params: UserIdParam,
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
      response: created(IssuedTokenSchema),
    }),
    async (request, reply) =>
      reply.status(201).send(await accounts.createApiToken(kysely, request.params.id, request.body.name, viewerOf(request))),
  );

  app.get(
    '/users/:id/tokens',
    section.manageUsers('用户的 API 令牌（不含令牌本身）/ A user’s API tokens (never the token itself)', {
      params: UserIdParam,
      response: ok(
        Type.Array(
          Type.Object({
            id: Type.Integer(),
            name: Type.String(),
            createdAt: Type.String(),
            lastUsedAt: Nullable(Type.String()),
            revokedAt: Nullable(Type.String()),
          }),
        ),
      ),
    }),
    async (request) => accounts.listApiTokens(kysely, request.params.id, viewerOf(request)),
  );

  app.post(
    '/users/:id/password',
    section.manageUsers('重置密码（新密码只显示一次，原有会话失效）/ Reset a password (shown once; sessions end)', {
      params: UserIdParam,
      response: ok(Type.Object({ password: Type.String() })),
    }),
    async (request) => accounts.resetPassword(kysely, request.params.id, viewerOf(request)),
  );

  app.delete(
    '/users/:id/tokens/:tokenId',
    section.manageUsers('吊销 API 令牌 / Revoke an API token', {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), tokenId: Type.Integer({ minimum: 1 }) }),
    }),
    async (request, reply) => {
      await accounts.revokeApiToken(kysely, request.params.id, request.params.tokenId, viewerOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    '/audit',
    section.readAudit('审计日志（新的在前）/ Audit log, newest first', {
      querystring: AuditQuery,
      response: ok(Type.Object({ items: Type.Array(AuditEntrySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) })),
    }),
    async (request) => {
      const { limit = 50, cursor, ...filter } = request.query;
      const before = idCursor(cursor);
      const rows = await listAudit(
        kysely,
        { ...auditFilter(filter), scopeCode: accounts.auditScopeOf(viewerOf(request)) },
        { limit, before },
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor: r.actor,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          changes: r.changes,
        })),
        nextCursor: nextCursor(rows, limit, (row) => row.id),
      };
    },
  );

  app.get(
    '/audit/export',
    section.readAudit('导出审计日志 CSV / Export the audit log as CSV', { querystring: AuditQuery }),
    async (request, reply) => {
      const { limit: _limit, cursor: _cursor, ...filter } = request.query;
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-log.csv"');
      return reply.send(Readable.from(auditCsv(kysely, { ...auditFilter(filter), scopeCode: accounts.auditScopeOf(viewerOf(request)) })));
    },
  );
};

/** The audit query's filters (all but the page), with its times as dates. */
function auditFilter(query: AuditFilter) {
  return { ...query, from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined };
}
