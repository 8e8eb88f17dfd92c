import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/connection.ts';
import { created, ok, routeSection } from '../../http/routes.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { unitPolicy } from './policy.ts';
import { UnitIdParam, UnitInputSchema, UnitListQuery, UnitPageSchema, UnitSchema } from './schemas.ts';
import * as units from './service.ts';

export const unitRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const section = routeSection(['units 单位'], unitPolicy);

  app.get(
    '/units',
    section.read('单位名录 / Registry of units', { querystring: UnitListQuery, response: ok(UnitPageSchema) }),
    async (request) => units.listUnits(db.kysely, request.query, viewerOf(request)),
  );

  app.post(
    '/units',
    section.manage('登记单位 / Register a unit', { body: UnitInputSchema, response: created(UnitSchema) }),
    async (request, reply) => reply.status(201).send(await units.createUnit(db.kysely, request.body, viewerOf(request))),
  );

  app.get('/units/:id', section.read('一个单位 / One unit', { params: UnitIdParam, response: ok(UnitSchema) }), async (request) =>
    units.getUnit(db.kysely, request.params.id, viewerOf(request)),
  );
};
