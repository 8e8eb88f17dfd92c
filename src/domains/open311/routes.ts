import type { FastifyError, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/connection.ts';
import { created, ok, routeSection } from '../../http/routes.ts';
import { AppError } from '../../errors.ts';
import { loggableError } from '../../http/problem.ts';
import type { RoutePolicy } from '../../http/policy.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { contentTypes, formats, fromAppError, Open311Error, render, renderError, type Format, type Tree } from './format.ts';
import * as keys from './keys.ts';
import { open311Policy } from './policy.ts';
import {
  ClientInputSchema,
  ClientListQuery,
  ClientPageSchema,
  ClientSchema,
  IssuedSchema,
  RequestInput,
  RequestsQuery,
  UpdateInput,
  UpdatesQuery,
  jurisdictionParam,
} from './schemas.ts';
import * as open311 from './service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The format an Open311 route answers in, errors included. */
    open311Format?: Format;
  }
}

/** A form body or query string as the service reads it: each name once, or repeated. */
function paramsOf(...sources: unknown[]): open311.Params {
  const params: open311.Params = {};
  for (const source of sources) {
    if (source === null || typeof source !== 'object') continue;
    for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
      if (typeof value === 'string') params[name] = value;
      else if (Array.isArray(value)) params[name] = value.map(String);
      else if (value !== undefined && value !== null) params[name] = String(value);
    }
  }
  return params;
}

function formatOf(request: FastifyRequest): Format {
  return request.routeOptions.config.open311Format ?? (/\.json(\?|$)/.test(request.url) ? 'json' : 'xml');
}

function send(reply: FastifyReply, format: Format, root: string, tree: Tree, status = 200): FastifyReply {
  return reply
    .status(status)
    .type(contentTypes[format])
    .send(render(format, root, tree));
}

function sendError(reply: FastifyReply, format: Format, error: Open311Error): FastifyReply {
  if (error instanceof open311.RateLimited) void reply.header('retry-after', String(error.retryAfter));
  return reply
    .status(error.status)
    .type(contentTypes[format])
    .send(renderError(format, [error]));
}

/**
 * Open311 GeoReport v2 at /open311/v2: every resource in XML (`.xml`, and without an extension,
 * the spec's default) and JSON (`.json`), errors in the spec's own form and the same format.
 */
export const open311Routes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const ctx = new open311.Open311(db.kysely);
  const tags = ['open311 GeoReport v2'];

  // Clients post form-encoded bodies, as the spec says; parsed here only, for these routes.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    const params: open311.Params = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      const before = params[name];
      params[name] = before === undefined ? value : [...[before].flat(), value];
    }
    done(null, params);
  });

  app.setErrorHandler((error: FastifyError | AppError | Open311Error, request, reply) => {
    const format = formatOf(request);
    if (error instanceof Open311Error) return sendError(reply, format, error);
    if (error instanceof AppError) return sendError(reply, format, fromAppError(error));
    if (error.validation) {
      const fields = error.validation.map(
        (v) =>
          `${v.instancePath.replace(/^\//, '') || (v.params as { missingProperty?: string }).missingProperty || error.validationContext}: ${v.message ?? 'invalid'}`,
      );
      return sendError(reply, format, new Open311Error(400, `参数有误 / Invalid parameters: ${fields.join('; ')}`));
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return sendError(reply, format, new Open311Error(429, `请求过于频繁，请稍后再试 / Too many requests, retry later`));
    if (status === 415)
      return sendError(
        reply,
        format,
        new Open311Error(415, '请以 application/x-www-form-urlencoded 提交 / Post application/x-www-form-urlencoded'),
      );
    if (status < 500) return sendError(reply, format, new Open311Error(status, error.message));
    request.log.error({ err: loggableError(error) }, 'unhandled error');
    return sendError(reply, format, new Open311Error(500, '服务器出错了，请稍后再试 / Something went wrong on the server'));
  });

  // Residents' web apps read from other origins: the public answers may be read cross-origin.
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('access-control-allow-origin', '*').header('cross-origin-resource-policy', 'cross-origin');
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      formatOf(request),
      new Open311Error(
        404,
        `没有这个资源：${request.method} ${request.url.split('?')[0]}（资源名后加 .xml 或 .json）/ No such resource (add .xml or .json to a resource name)`,
      ),
    ),
  );

  // Public reads count per client address over all resources; writes count against their key's own limit.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD') open311.takeRead(ctx, request.ip);
  });
  // The bare names answer XML too, the spec's default; the documentation lists the two extensions.
  const variants: Array<{ ext: string; format: Format; hide: boolean }> = [
    ...formats.map((format) => ({ ext: `.${format}`, format, hide: false })),
    { ext: '', format: 'xml', hide: true },
  ];

  for (const { ext, format, hide } of variants) {
    const as = format === 'json' ? 'JSON' : 'XML';
    const produces = [contentTypes[format].split(';')[0]!];
    const consumes = ['application/x-www-form-urlencoded'];
    // Every resource in this format: its policy, the format its answers and errors take, its documentation.
    const options = <S extends FastifySchema>(policy: RoutePolicy, summary: string, schema?: S) => ({
      config: { policy, open311Format: format },
      schema: { tags, hide, produces, summary: `${summary} (${as})`, ...(schema as S) },
    });

    // A write: the api_key given (in the form or the query) must hold `action`; the answer is what was written.
    const keyedWrite =
      (action: string, root: string, write: (params: open311.Params, holder: open311.KeyHolder) => Promise<Tree>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const params = paramsOf(request.query, request.body);
        return send(reply, format, root, await write(params, await open311.keyHolder(ctx, params, action)));
      };

    app.get(`/discovery${ext}`, options(open311Policy.read, '服务发现 / Service discovery'), async (request, reply) =>
      send(reply, format, 'discovery', open311.discovery(ctx, `${request.protocol}://${request.host}`)),
    );

    app.get(
      `/services${ext}`,
      options(open311Policy.read, '服务列表：诉求分类 / Services: the appeal categories', { querystring: Type.Object(jurisdictionParam) }),
      async (request, reply) => {
        await open311.jurisdictionOf(ctx.db, paramsOf(request.query));
        return send(reply, format, 'services', await open311.services(ctx));
      },
    );

    app.get(
      `/services/:service_code${ext}`,
      options(open311Policy.read, '服务定义（属性）/ Service definition with its attributes', {
        params: Type.Object({ service_code: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object(jurisdictionParam),
      }),
      async (request, reply) => {
        await open311.jurisdictionOf(ctx.db, paramsOf(request.query));
        return send(reply, format, 'service_definition', await open311.serviceDefinition(ctx, request.params.service_code));
      },
    );

    app.get(
      `/requests${ext}`,
      options(
        open311Policy.read,
        '查询请求（默认最近 90 天、最多 1000 件）/ Service requests, by default the last 90 days and at most 1000',
        { querystring: RequestsQuery },
      ),
      async (request, reply) => send(reply, format, 'service_requests', await open311.listRequests(ctx, paramsOf(request.query))),
    );

    app.post(
      `/requests${ext}`,
      options(
        open311Policy.createRequest,
        '提交请求：登记为诉求（渠道 open311）/ Post a service request: filed as an appeal (channel open311)',
        { body: RequestInput, consumes },
      ),
      keyedWrite('appeal.create', 'service_requests', (params, holder) => open311.createRequest(ctx, params, holder)),
    );

    // The spec's wiki says requests/{id}; the published swagger.json says request/{id}: both answer.
    for (const [resource, alias] of [
      ['requests', false],
      ['request', true],
    ] as const) {
      app.get(
        `/${resource}/:service_request_id${ext}`,
        options(open311Policy.read, '一件请求 / One service request', {
          hide: hide || alias,
          params: Type.Object({ service_request_id: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object(jurisdictionParam),
        }),
        async (request, reply) =>
          send(
            reply,
            format,
            'service_requests',
            await open311.getRequest(ctx, paramsOf(request.query), request.params.service_request_id),
          ),
      );
    }

    app.get(
      `/tokens/:token${ext}`,
      options(open311Policy.read, '由令牌查请求号 / The service_request_id of a token', {
        params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
        querystring: Type.Object(jurisdictionParam),
      }),
      async (request, reply) =>
        send(reply, format, 'service_requests', await open311.getToken(ctx, paramsOf(request.query), request.params.token)),
    );

    app.get(
      `/servicerequestupdates${ext}`,
      options(open311Policy.read, '请求进展（扩展）：诉求的每一步 / Request updates (extension): each step of the appeals', {
        querystring: UpdatesQuery,
      }),
      async (request, reply) => send(reply, format, 'service_request_updates', await open311.listUpdates(ctx, paramsOf(request.query))),
    );

    app.post(
      `/servicerequestupdates${ext}`,
      options(
        open311Policy.postUpdate,
        '提交进展（扩展）：办结、重启、响应或办理 / Post an update (extension): close, reopen, respond or handle',
        { body: UpdateInput, consumes },
      ),
      keyedWrite('appeal.event', 'service_request_updates', (params, holder) => open311.postUpdate(ctx, params, holder)),
    );
  }
};

/** Schemas the admin routes refer to by $id; the app adds them once, beside the others. */
export const open311Schemas = [ClientSchema];

/** Administrators issue, list and revoke client applications' keys (JSON, /api/v1). */
export const open311AdminRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const section = routeSection(['open311 GeoReport v2'], open311Policy);

  app.get(
    '/open311/clients',
    section.manageClients('Open311 客户端应用及其密钥 / Open311 client applications and their keys', {
      querystring: ClientListQuery,
      response: ok(ClientPageSchema),
    }),
    async (request) => keys.listClients(db.kysely, request.query),
  );

  app.post(
    '/open311/clients',
    section.manageClients('签发密钥（只显示一次）/ Issue a key (shown once)', { body: ClientInputSchema, response: created(IssuedSchema) }),
    async (request, reply) => reply.status(201).send(await keys.issueClient(db.kysely, request.body, viewerOf(request))),
  );

  app.post(
    '/open311/clients/:id/revoke',
    section.manageClients('吊销密钥 / Revoke a key', {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      response: ok(Type.Ref(ClientSchema)),
    }),
    async (request) => keys.revokeClient(db.kysely, request.params.id, viewerOf(request)),
  );
};
