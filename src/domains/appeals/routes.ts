import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/connection.ts';
import { ok, routeSection } from '../../http/routes.ts';
import { problemResponses, ProblemSchema } from '../../http/schemas.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { appealPolicy } from './policy.ts';
import {
  AppealDetailSchema,
  AppealIdParam,
  AppealInputSchema,
  AppealListQuery,
  AppealPageSchema,
  CategoryListSchema,
  EventInputSchema,
  ReporterSchema,
} from './schemas.ts';
import * as appeals from './service.ts';

const conflictResponse = { 409: Type.Ref(ProblemSchema) };

export const appealRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const section = routeSection(['appeals 诉求'], appealPolicy);
  // Lists and pages always show reporters masked; unmasking is its own, logged request below.
  const read = (request: FastifyRequest) => ({ viewer: viewerOf(request), options: { personalData: false } });

  app.get(
    '/appeals/:id/reporter',
    section.revealReporter('查看诉求人姓名和电话（记入审计日志）/ Reveal the reporter’s name and phone (written to the audit log)', {
      params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
      response: { 200: ReporterSchema, 404: Type.Ref(ProblemSchema) },
    }),
    async (request) => appeals.revealReporter(db.kysely, request.params.id, viewerOf(request)),
  );

  app.get(
    '/appeal-categories',
    section.readCategories('诉求分类树（平铺，按 parentCode 组树）/ Appeal category tree, flat with parentCode', {
      response: { 200: CategoryListSchema },
    }),
    async () => {
      const items = await appeals.listCategories(db.kysely);
      return { items, total: items.length };
    },
  );

  app.post(
    '/appeals',
    section.create('登记诉求 / File an appeal', {
      body: AppealInputSchema,
      response: { 201: AppealDetailSchema, ...problemResponses, ...conflictResponse },
    }),
    async (request, reply) => {
      const { viewer, options } = read(request);
      const appeal = await appeals.createAppeal(db.kysely, request.body, viewer, options);
      return reply.status(201).header('location', `/api/v1/appeals/${appeal.id}`).send(appeal);
    },
  );

  app.get(
    '/appeals',
    section.read(
      '诉求列表：按区划、分类、类型、状态、超时、日期、全文筛选 / Appeals filtered by division, category, kind, status, overdue, dates, text',
      { querystring: AppealListQuery, response: ok(AppealPageSchema) },
    ),
    async (request) => {
      const { viewer, options } = read(request);
      return appeals.listAppeals(db.kysely, request.query, viewer, options);
    },
  );

  app.get(
    '/appeals/:id',
    section.read('一件诉求及其全部事件 / One appeal with its events', { params: AppealIdParam, response: ok(AppealDetailSchema) }),
    async (request) => {
      const { viewer, options } = read(request);
      return appeals.getAppeal(db.kysely, request.params.id, viewer, options);
    },
  );

  app.post(
    '/appeals/:id/events',
    section.appendEvent(
      '办理一步：派单、退单、响应、办理、回访、办结、重启 / Take a step: dispatch, return, respond, handle, callback, close, reopen',
      { params: AppealIdParam, body: EventInputSchema, response: { 201: AppealDetailSchema, ...problemResponses, ...conflictResponse } },
    ),
    async (request, reply) => {
      const { viewer, options } = read(request);
      const appeal = await appeals.appendEvent(db.kysely, request.params.id, request.body, viewer, options);
      return reply.status(201).send(appeal);
    },
  );
};
