import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/connection.ts';
import { problemResponses } from '../../http/schemas.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { unitPolicy } from './policy.ts';
import { UnitIdParam, UnitInputSchema, UnitListQuery, UnitPageSchema, UnitSchema } from './schemas.ts';
import * as units from './service.ts';

export const unitRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['units 单位'];

  app.get(
    '/units',
    {
      config: { policy: unitPolicy.read },
      schema: {
        tags,
        summary: '单位名录 / Registry of units',
        querystring: UnitListQuery,
        response: { 200: UnitPageSchema, ...problemResponses },
      },
    },
    async (request) => units.listUnits(db.kysely, request.query, viewerOf(request)),
  );

  app.post(
    '/units',
    {
      config: { policy: unitPolicy.manage },
      schema: { tags, summary: '登记单位 / Register a unit', body: UnitInputSchema, response: { 201: UnitSchema, ...problemResponses } },
    },
    async (request, reply) => reply.status(201).send(await units.createUnit(db.kysely, request.body, viewerOf(request))),
  );

  app.get(
    '/units/:id',
    {
      config: { policy: unitPolicy.read },
      schema: { tags, summary: '一个单位 / One unit', params: UnitIdParam, response: { 200: UnitSchema, ...problemResponses } },
    },
    async (request) => units.getUnit(db.kysely, request.params.id, viewerOf(request)),
  );
};
