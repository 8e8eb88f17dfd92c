import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/connection.ts';
import { ok, routeSection } from '../../http/routes.ts';
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
  const section = routeSection(['geo 地理区划'], geoPolicy);

  app.get(
    '/divisions',
    section.readDivisions('按名称或拼音首字母查找区划 / Search divisions by name or pinyin initials', {
      querystring: SearchQuery,
      response: ok(DivisionPageSchema),
    }),
    async (request) => geo.searchDivisions(db.kysely, request.query),
  );

  app.get(
    '/divisions/:code',
    section.readDivisions('一个区划及其上级链 / One division with its parent chain', {
      params: DivisionCodeParam,
      response: ok(Type.Ref(DivisionSchema)),
    }),
    async (request) => geo.getDivision(db.kysely, request.params.code),
  );

  app.get(
    '/divisions/:code/children',
    section.readDivisions('下级区划 / Child divisions', {
      params: DivisionCodeParam,
      querystring: ChildrenQuery,
      response: ok(DivisionPageSchema),
    }),
    async (request) => geo.listChildren(db.kysely, request.params.code, request.query),
  );

  app.get(
    '/communities/:code/profile',
    section.readProfile('社区档案 / Community profile', { params: DivisionCodeParam, response: ok(Type.Ref(ProfileSchema)) }),
    async (request) => geo.getProfile(db.kysely, request.params.code, viewerOf(request)),
  );

  app.put(
    '/communities/:code/profile',
    section.editProfile('修改社区档案 / Edit a community profile', {
      params: DivisionCodeParam,
      body: ProfileInputSchema,
      response: ok(Type.Ref(ProfileSchema)),
    }),
    async (request) => geo.saveProfile(db.kysely, request.params.code, request.body, viewerOf(request)),
  );
};
