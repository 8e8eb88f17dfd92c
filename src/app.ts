import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Database } from './db/connection.ts';
import { registerProblemHandlers, sendFrameworkError, sendRouteNotFound } from './http/problem.ts';
import { publicRoute, requireRoutePolicies, type DeclaredRoute } from './http/policy.ts';
import { HealthSchema, ProblemSchema } from './http/schemas.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { hardenFormats, registerInputGuards, validatorFactory } from './http/validation.ts';
import { DivisionSchema, ProfileSchema } from './domains/geo/schemas.ts';
import { geoRoutes } from './domains/geo/routes.ts';
import { AppealEventSchema, AppealSchema, CategorySchema } from './domains/appeals/schemas.ts';
import { appealRoutes } from './domains/appeals/routes.ts';
import { importRoutes, importSchemas } from './domains/appeals/import/routes.ts';
import { evaluationRoutes, evaluationSchemas } from './domains/evaluation/routes.ts';
import { unitRoutes } from './domains/units/routes.ts';
import { programRoutes } from './domains/programs/routes.ts';
import { projectRoutes } from './domains/projects/routes.ts';
import { open311AdminRoutes, open311Routes, open311Schemas } from './domains/open311/routes.ts';
import { impactRoutes } from './domains/impact/routes.ts';
import rateLimit from '@fastify/rate-limit';
import { knownActions } from './http/abilities.ts';
import { registerAuth } from './domains/accounts/http-auth.ts';
import { accountRoutes } from './domains/accounts/routes.ts';
import { UserSchema } from './domains/accounts/schemas.ts';
import { StartupStatus, statusRoutes } from './startup/status.ts';
import { withoutPersonalData } from './http/logging.ts';

export const defaultWebDist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');
export const version = '0.1.0';

export interface AppOptions {
  db: Database;
  logger?: FastifyServerOptions['logger'];
  /** The built web app; when it does not exist the server answers the API only. */
  webDist?: string;
  /** Login attempts per minute for one address and login name (default 10). */
  loginAttemptsPerMinute?: number;
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies?: boolean;
  /** Trust a reverse proxy's X-Forwarded-* headers (Fastify's trustProxy): `true`, or the proxies' addresses. */
  trustProxy?: boolean | string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api/v1 route with the policy it declared. */
    declaredRoutes: DeclaredRoute[];
  }
}

/** The one app factory: `serve`, the CLI and every test build the server through it. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: withoutPersonalData(options.logger),
    trustProxy: options.trustProxy ?? false,
    frameworkErrors: sendFrameworkError,
    schemaController: { compilersFactory: { buildValidator: validatorFactory() } },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true }, onCreate: hardenFormats },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerProblemHandlers(app);
  registerInputGuards(app);
  app.decorate('declaredRoutes', requireRoutePolicies(app, knownActions));
  registerSecurityHeaders(app);
  await app.register(rateLimit, { global: false });
  await registerAuth(app, options.db.kysely);
  for (const schema of [
    ProblemSchema,
    DivisionSchema,
    ProfileSchema,
    UserSchema,
    AppealSchema,
    AppealEventSchema,
    CategorySchema,
    ...evaluationSchemas,
    ...importSchemas,
    ...open311Schemas,
  ]) {
    app.addSchema(schema);
  }

  await app.register(swagger, {
    openapi: {
      info: {
        title: '必答题 mustanswer API',
        version,
        description: '12345 诉求、三率评价、治理书记与攻坚项目 / 12345 appeals, the three rates, secretaries and hard-nut projects',
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  await app.register(
    async (api) => {
      api.get(
        '/health',
        {
          config: { policy: publicRoute },
          schema: {
            tags: ['system 系统'],
            summary: '服务状态 / Service health',
            response: { 200: HealthSchema },
          },
        },
        async () => ({ status: 'ok' as const, backend: options.db.backend, version }),
      );
      // Once this app serves, the start is over; while a first start builds, src/startup's loading app answers it.
      await api.register(statusRoutes, { status: StartupStatus.ready() });
      await api.register(accountRoutes, {
        db: options.db,
        loginAttemptsPerMinute: options.loginAttemptsPerMinute ?? 10,
        secureCookies: options.secureCookies ?? false,
      });
      await api.register(geoRoutes, { db: options.db });
      await api.register(appealRoutes, { db: options.db });
      await api.register(importRoutes, { db: options.db });
      await api.register(evaluationRoutes, { db: options.db });
      await api.register(unitRoutes, { db: options.db });
      await api.register(programRoutes, { db: options.db });
      await api.register(projectRoutes, { db: options.db });
      await api.register(impactRoutes, { db: options.db });
      await api.register(open311AdminRoutes, { db: options.db });
    },
    { prefix: '/api/v1' },
  );
  // Open311 GeoReport v2 answers in the spec's formats, errors included, outside /api/v1.
  await app.register(open311Routes, { db: options.db, prefix: '/open311/v2' });

  const webDist = options.webDist ?? defaultWebDist;
  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  // wildcard: files added by a rebuild while the server runs are served too.
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: true, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    // Deep links such as /geo/110106008028 are the web app's routes: answer them with its page.
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return sendRouteNotFound(request, reply);
  });
  return app;
}
