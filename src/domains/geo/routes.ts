import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { problemResponses } from '../../http/schemas.ts';
import type { Database } from '../../db/connection.ts';
import { geoPolicy } from './policy.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import {
  ChildrenQuery,
  DivisionCodeParam,
  DivisionPageSchema,
  DivisionSchema,
  ProfileInputSchema,
  ProfileSchema,
  SearchQuery,
} from './schemas.ts';
import * as geo from './service.ts';

export const geoRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['geo 地理区划'];

  app.get(
    '/divisions',
    {
      config: { policy: geoPolicy.readDivisions },
      schema: {
        tags,
        summary: '按名称或拼音首字母查找区划 / Search divisions by name or pinyin initials',
        querystring: SearchQuery,
        response: { 200: DivisionPageSchema, ...problemResponses },
      },
    },
    async (request) => geo.searchDivisions(db.kysely, request.query),
  );

  app.get(
    '/divisions/:code',
    {
      config: { policy: geoPolicy.readDivisions },
      schema: {
        tags,
        summary: '一个区划及其上级链 / One division with its parent chain',
        params: DivisionCodeParam,
        response: { 200: Type.Ref(DivisionSchema), ...problemResponses },
      },
    },
    async (request) => geo.getDivision(db.kysely, request.params.code),
  );

  app.get(
    '/divisions/:code/children',
    {
      config: { policy: geoPolicy.readDivisions },
      schema: {
        tags,
        summary: '下级区划 / Child divisions',
        params: DivisionCodeParam,
        querystring: ChildrenQuery,
        response: { 200: DivisionPageSchema, ...problemResponses },
      },
    },
    async (request) => geo.listChildren(db.kysely, request.params.code, request.query),
  );

  app.get(
    '/communities/:code/profile',
    {
      config: { policy: geoPolicy.readProfile },
      schema: {
        tags,
        summary: '社区档案 / Community profile',
        params: DivisionCodeParam,
        response: { 200: Type.Ref(ProfileSchema), ...problemResponses },
      },
    },
    async (request) => geo.getProfile(db.kysely, request.params.code, viewerOf(request)),
  );

  app.put(
    '/communities/:code/profile',
    {
      config: { policy: geoPolicy.editProfile },
      schema: {
        tags,
        summary: '修改社区档案 / Edit a community profile',
        params: DivisionCodeParam,
        body: ProfileInputSchema,
        response: { 200: Type.Ref(ProfileSchema), ...problemResponses },
      },
    },
    async (request) => geo.saveProfile(db.kysely, request.params.code, request.body, viewerOf(request)),
  );
};
