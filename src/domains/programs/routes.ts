import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/connection.ts';
import { created, ok, routeSection, sendDownload, xlsxType } from '../../http/routes.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import {
  ApprenticeshipChangesSchema,
  ApprenticeshipInputSchema,
  ApprenticeshipListQuery,
  ApprenticeshipPageSchema,
  ApprenticeshipSchema,
  ComplianceQuery,
  ComplianceSchema,
  DutyDayInputSchema,
  DutyDaySheetResultSchema,
  DutyDaySheetSchema,
  DutyDayListQuery,
  DutyDayPageSchema,
  DutyDaySchema,
  RosterQuery,
  RosterSchema,
  TaskInputSchema,
  TrainingInputSchema,
} from './activity-schemas.ts';
import { DistrictDashboardQuery, DistrictDashboardSchema } from './dashboard-schemas.ts';
import { programPolicy } from './policy.ts';
import {
  BatchCommunitiesAddedSchema,
  BatchCommunitiesInput,
  BatchCommunityPageSchema,
  BatchInputSchema,
  BatchListSchema,
  BatchSchema,
  CadreChangesSchema,
  CadreDetailSchema,
  CadreInputSchema,
  CadreListQuery,
  CadreMatchesSchema,
  CadreMatchQuery,
  CadrePageSchema,
  CadreSchema,
  CadreUserBody,
  CommunityParam,
  CommunitySecretariesSchema,
  EndPostingBody,
  IdParam,
  PostingDetailSchema,
  PostingInputSchema,
  PostingListQuery,
  PostingPageSchema,
  PostingSchema,
  ProgramInputSchema,
  ProgramListQuery,
  ProgramPageSchema,
  ProgramSchema,
  RenewalBody,
  RenewalResultSchema,
  SuccessionBody,
  SuccessionResultSchema,
} from './schemas.ts';
import * as programs from './service.ts';

/** HTTP only: parse, authorize (the declared policy), call the service, present. */
export const programRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const k = db.kysely;
  // ── cadres ──
  let section = routeSection(['cadres 干部'], programPolicy);
  app.get('/cadres', section.read('干部名录 / Cadres', { querystring: CadreListQuery, response: ok(CadrePageSchema) }), async (req) =>
    programs.listCadres(k, req.query, viewerOf(req)),
  );
  app.post(
    '/cadres',
    section.manage('登记干部 / Record a cadre', { body: CadreInputSchema, response: created(CadreSchema) }),
    async (req, reply) => reply.status(201).send(await programs.createCadre(k, req.body, viewerOf(req))),
  );
  app.get(
    '/cadres/:id',
    section.read('干部及其历次选派 / A cadre with their postings', { params: IdParam, response: ok(CadreDetailSchema) }),
    async (req) => programs.getCadre(k, req.params.id, viewerOf(req)),
  );
  app.patch(
    '/cadres/:id',
    section.manage('修改干部信息 / Change a cadre', { params: IdParam, body: CadreChangesSchema, response: ok(CadreSchema) }),
    async (req) => programs.updateCadre(k, req.params.id, req.body, viewerOf(req)),
  );
  app.put(
    '/cadres/:id/user',
    section.manage('关联书记登录账号 / Link a secretary login', {
      params: IdParam,
      body: CadreUserBody,
      response: ok(Type.Object({ cadreId: Type.Integer(), userId: Type.Union([Type.Integer(), Type.Null()]) })),
    }),
    async (req) => programs.linkCadreUser(k, req.params.id, req.body.userId, viewerOf(req)),
  );
  app.get(
    '/communities/:code/cadre-matches',
    section.read('按社区问题类别匹配干部专长 / Cadres whose expertise fits the community’s problems', {
      params: CommunityParam,
      querystring: CadreMatchQuery,
      response: ok(CadreMatchesSchema),
    }),
    async (req) => programs.matchCadres(k, req.params.code, req.query, viewerOf(req)),
  );

  // ── programs and batches ──
  section = routeSection(['programs 书记项目'], programPolicy);
  app.get(
    '/programs',
    section.read('书记项目 / Secretary programs', { querystring: ProgramListQuery, response: ok(ProgramPageSchema) }),
    async (req) => programs.listPrograms(k, req.query, viewerOf(req)),
  );
  app.post(
    '/programs',
    section.manage('新建项目 / Create a program', { body: ProgramInputSchema, response: created(ProgramSchema) }),
    async (req, reply) => reply.status(201).send(await programs.createProgram(k, req.body, viewerOf(req))),
  );
  app.get('/programs/:id', section.read('一个项目 / One program', { params: IdParam, response: ok(ProgramSchema) }), async (req) =>
    programs.getProgram(k, req.params.id, viewerOf(req)),
  );
  app.get(
    '/programs/:id/batches',
    section.read('项目的批次 / Batches of a program', { params: IdParam, response: ok(BatchListSchema) }),
    async (req) => programs.listBatches(k, req.params.id, viewerOf(req)),
  );
  app.post(
    '/programs/:id/batches',
    section.manage('新建批次 / Open a batch', { params: IdParam, body: BatchInputSchema, response: created(BatchSchema) }),
    async (req, reply) => reply.status(201).send(await programs.createBatch(k, req.params.id, req.body, viewerOf(req))),
  );
  app.get(
    '/batches/:id/communities',
    section.read('批次覆盖的社区及选定依据 / Communities of a batch with their selection evidence', {
      params: IdParam,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), cursor: Type.Optional(Type.String()) }),
      response: ok(BatchCommunityPageSchema),
    }),
    async (req) => programs.listBatchCommunities(k, req.params.id, req.query, viewerOf(req)),
  );
  app.post(
    '/batches/:id/communities',
    section.manage('把社区加入批次（全部或都不）/ Add communities to a batch, all or none', {
      params: IdParam,
      body: BatchCommunitiesInput,
      response: created(BatchCommunitiesAddedSchema),
    }),
    async (req, reply) => reply.status(201).send(await programs.addBatchCommunities(k, req.params.id, req.body, viewerOf(req))),
  );

  // ── postings ──
  section = routeSection(['postings 选派'], programPolicy);
  app.get('/postings', section.read('选派 / Postings', { querystring: PostingListQuery, response: ok(PostingPageSchema) }), async (req) =>
    programs.listPostings(k, req.query, viewerOf(req)),
  );
  app.post(
    '/postings',
    section.manage('选派干部到社区 / Post a cadre to a community', { body: PostingInputSchema, response: created(PostingSchema) }),
    async (req, reply) => reply.status(201).send(await programs.createPosting(k, req.body, viewerOf(req))),
  );
  app.get(
    '/postings/:id',
    section.read('一次选派及其交接 / A posting with its handovers', { params: IdParam, response: ok(PostingDetailSchema) }),
    async (req) => programs.getPosting(k, req.params.id, viewerOf(req)),
  );
  app.post(
    '/postings/:id/end',
    section.manage('结束选派 / End a posting', { params: IdParam, body: EndPostingBody, response: ok(PostingSchema) }),
    async (req) => programs.endPosting(k, req.params.id, req.body, viewerOf(req)),
  );
  app.post(
    '/postings/:id/succession',
    section.manage('接任：另一名干部接替，附交接记录 / Succession: another cadre takes over, with a handover', {
      params: IdParam,
      body: SuccessionBody,
      response: created(SuccessionResultSchema),
    }),
    async (req, reply) => reply.status(201).send(await programs.succeedPosting(k, req.params.id, req.body, viewerOf(req))),
  );
  app.post(
    '/postings/:id/renewal',
    section.manage('续任：同一干部进入下一批次 / Renewal: the same cadre into the next batch', {
      params: IdParam,
      body: RenewalBody,
      response: created(RenewalResultSchema),
    }),
    async (req, reply) => reply.status(201).send(await programs.renewPosting(k, req.params.id, req.body, viewerOf(req))),
  );
  app.get(
    '/communities/:code/secretaries',
    section.read('社区的历任书记 / A community’s secretaries over time', {
      params: CommunityParam,
      response: ok(CommunitySecretariesSchema),
    }),
    async (req) => programs.communitySecretaries(k, req.params.code, viewerOf(req)),
  );

  // ── duty days and reports ──
  section = routeSection(['duty 在岗与报表'], programPolicy);
  app.get(
    '/postings/:id/duty-days',
    section.read('在岗登记 / Duty days of a posting', { params: IdParam, querystring: DutyDayListQuery, response: ok(DutyDayPageSchema) }),
    async (req) => programs.listDutyDays(k, req.params.id, req.query, viewerOf(req)),
  );
  app.post(
    '/postings/:id/duty-days',
    section.logDutyDays('登记在岗日（书记只能登记本人的选派）/ Log a duty day (a secretary on their own posting only)', {
      params: IdParam,
      body: DutyDayInputSchema,
      response: created(DutyDaySchema),
    }),
    async (req, reply) => reply.status(201).send(await programs.logDutyDay(k, req.params.id, req.body, viewerOf(req))),
  );
  app.post(
    '/postings/:id/duty-days/sheet',
    section.logDutyDays('一次登记多个在岗日，全部成功或全部不登记 / Log a sheet of duty days, all or none', {
      params: IdParam,
      body: DutyDaySheetSchema,
      response: created(DutyDaySheetResultSchema),
    }),
    async (req, reply) => reply.status(201).send({ items: await programs.logDutyDays(k, req.params.id, req.body.days, viewerOf(req)) }),
  );
  app.get(
    '/programs/:id/compliance',
    section.read('每周在岗达标情况 / Weekly duty-day compliance', {
      params: IdParam,
      querystring: ComplianceQuery,
      response: ok(ComplianceSchema),
    }),
    async (req) => programs.complianceReport(k, req.params.id, req.query, viewerOf(req)),
  );
  app.get(
    '/programs/:id/roster',
    section.read('名册统计 / Roster counts', { params: IdParam, querystring: RosterQuery, response: ok(RosterSchema) }),
    async (req) => programs.rosterReport(k, req.params.id, req.query, viewerOf(req)),
  );
  app.get(
    '/programs/:id/roster.xlsx',
    section.read('导出名册 Excel / Export the roster as Excel', { params: IdParam, querystring: RosterQuery }),
    async (req, reply) => {
      const { filename, body } = await programs.rosterWorkbook(k, req.params.id, req.query, viewerOf(req));
      return sendDownload(reply, { type: xlsxType, name: filename, fallback: 'roster.xlsx', body });
    },
  );

  // ── the leader's dashboard ──
  app.get(
    '/district-dashboard',
    routeSection(['dashboard 领导看板'], programPolicy).readDashboard(
      '区看板：在岗书记、覆盖社区与解决率趋势（标出批次开始与接任）/ A district’s dashboard: postings on duty, communities covered, the resolution-rate trend with batch starts and successions marked',
      { querystring: DistrictDashboardQuery, response: ok(DistrictDashboardSchema) },
    ),
    async (req) => programs.districtDashboard(k, req.query, viewerOf(req)),
  );

  // ── apprenticeships ──
  section = routeSection(['apprenticeships 带徒弟'], programPolicy);
  app.get(
    '/apprenticeships',
    section.read('带徒记录 / Apprenticeships', { querystring: ApprenticeshipListQuery, response: ok(ApprenticeshipPageSchema) }),
    async (req) => programs.listApprenticeships(k, req.query, viewerOf(req)),
  );
  app.post(
    '/apprenticeships',
    section.manageApprenticeships('开始带徒 / Start an apprenticeship', {
      body: ApprenticeshipInputSchema,
      response: created(ApprenticeshipSchema),
    }),
    async (req, reply) => reply.status(201).send(await programs.createApprenticeship(k, req.body, viewerOf(req))),
  );
  app.get(
    '/apprenticeships/:id',
    section.read('一条带徒记录 / One apprenticeship', { params: IdParam, response: ok(ApprenticeshipSchema) }),
    async (req) => programs.getApprenticeship(k, req.params.id, viewerOf(req)),
  );
  app.patch(
    '/apprenticeships/:id',
    section.manageApprenticeships('出师、终止或修改 / Complete, end or change', {
      params: IdParam,
      body: ApprenticeshipChangesSchema,
      response: ok(ApprenticeshipSchema),
    }),
    async (req) => programs.updateApprenticeship(k, req.params.id, req.body, viewerOf(req)),
  );
  app.post(
    '/apprenticeships/:id/trainings',
    section.manageApprenticeships('记录一次培训 / Record a training', {
      params: IdParam,
      body: TrainingInputSchema,
      response: created(ApprenticeshipSchema),
    }),
    async (req, reply) => reply.status(201).send(await programs.addTraining(k, req.params.id, req.body, viewerOf(req))),
  );
  app.post(
    '/apprenticeships/:id/tasks',
    section.manageApprenticeships('记录徒弟已能独立承担的工作 / Record a task the apprentice now handles alone', {
      params: IdParam,
      body: TaskInputSchema,
      response: created(ApprenticeshipSchema),
    }),
    async (req, reply) => reply.status(201).send(await programs.addTask(k, req.params.id, req.body, viewerOf(req))),
  );
};
