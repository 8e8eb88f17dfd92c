import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/connection.ts';
import { problemResponses } from '../../http/schemas.ts';
import { created, noContent, ok, routeSection, sendDownload, xlsxType } from '../../http/routes.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { ProjectConfigSchema } from './config.ts';
import {
  AppealParam,
  BeforeAfterQuery,
  BeforeAfterSchema,
  ConsultationInputSchema,
  ConsultationSchema,
  FundInputSchema,
  FundSchema,
  LinkAppealsBody,
  LinkAppealsResultSchema,
  LinkedAppealListQuery,
  LinkedAppealPageSchema,
  MilestoneChangesSchema,
  MilestoneDoneBody,
  MilestoneInputSchema,
  MilestoneSchema,
  OutputChangesSchema,
  OutputInputSchema,
  OutputSchema,
  ProjectDetailSchema,
  StakeholderInputSchema,
  StakeholderSchema,
} from './parts-schemas.ts';
import { projectPolicy } from './policy.ts';
import { AchievementReportSchema, ReportQuery } from './report-schemas.ts';
import {
  BoardQuery,
  BoardSchema,
  IdParam,
  MilestoneParam,
  OutputParam,
  ProjectChangesSchema,
  ProjectInputSchema,
  ProjectListQuery,
  ProjectPageSchema,
  ProjectSchema,
  StakeholderParam,
  TransitionBody,
} from './schemas.ts';
import * as projects from './service.ts';

/** HTTP only: parse, authorize (the declared policy), call the service, present. */
export const projectRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const k = db.kysely;

  let section = routeSection(['projects 攻坚项目'], projectPolicy);
  app.get(
    '/projects',
    section.read('攻坚项目 / Hard-nut projects', { querystring: ProjectListQuery, response: ok(ProjectPageSchema) }),
    async (req) => projects.listProjects(k, req.query, viewerOf(req)),
  );
  app.get(
    '/projects/board',
    section.read('按状态分列的项目看板 / The project board by status', { querystring: BoardQuery, response: ok(BoardSchema) }),
    async (req) => projects.projectBoard(k, req.query, viewerOf(req)),
  );
  app.post(
    '/projects',
    section.manage('提出项目 / Propose a project', { body: ProjectInputSchema, response: created(ProjectSchema) }),
    async (req, reply) => reply.status(201).send(await projects.createProject(k, req.body, viewerOf(req))),
  );
  app.get('/projects/config', section.read('项目规则 / Project rules', { response: ok(ProjectConfigSchema) }), async () =>
    projects.getProjectConfig(k),
  );
  app.put(
    '/projects/config',
    section.configure('修改项目规则 / Change the project rules', { body: ProjectConfigSchema, response: ok(ProjectConfigSchema) }),
    async (req) => projects.updateProjectConfig(k, req.body, viewerOf(req)),
  );
  app.get(
    '/projects/:id',
    section.read('项目全貌 / A project with everything', { params: IdParam, response: ok(ProjectDetailSchema) }),
    async (req) => projects.getProject(k, req.params.id, viewerOf(req)),
  );
  app.patch(
    '/projects/:id',
    section.manage('修改项目 / Change a project', { params: IdParam, body: ProjectChangesSchema, response: ok(ProjectSchema) }),
    async (req) => projects.updateProject(k, req.params.id, req.body, viewerOf(req)),
  );
  app.post(
    '/projects/:id/transitions',
    section.manage('变更状态（立项前须征求意见）/ Change status (approval needs a consultation)', {
      params: IdParam,
      body: TransitionBody,
      response: ok(ProjectSchema),
    }),
    async (req) => projects.transitionProject(k, req.params.id, req.body, viewerOf(req)),
  );

  section = routeSection(['project parts 项目要素'], projectPolicy);
  app.post(
    '/projects/:id/stakeholders',
    section.manage('加入参与单位 / Add a stakeholder unit', {
      params: IdParam,
      body: StakeholderInputSchema,
      response: created(StakeholderSchema),
    }),
    async (req, reply) => reply.status(201).send(await projects.addStakeholder(k, req.params.id, req.body, viewerOf(req))),
  );
  app.delete(
    '/projects/:id/stakeholders/:stakeholderId',
    section.manage('移除参与单位 / Remove a stakeholder', { params: StakeholderParam, response: noContent }),
    async (req, reply) => {
      await projects.removeStakeholder(k, req.params.id, req.params.stakeholderId, viewerOf(req));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/projects/:id/consultations',
    section.manage('登记征求居民意见 / Record a resident consultation', {
      params: IdParam,
      body: ConsultationInputSchema,
      response: created(ConsultationSchema),
    }),
    async (req, reply) => reply.status(201).send(await projects.addConsultation(k, req.params.id, req.body, viewerOf(req))),
  );
  app.post(
    '/projects/:id/milestones',
    section.manage('添加里程碑 / Add a milestone', { params: IdParam, body: MilestoneInputSchema, response: created(MilestoneSchema) }),
    async (req, reply) => reply.status(201).send(await projects.addMilestone(k, req.params.id, req.body, viewerOf(req))),
  );
  app.patch(
    '/projects/:id/milestones/:milestoneId',
    section.manage('修改里程碑 / Change a milestone', {
      params: MilestoneParam,
      body: MilestoneChangesSchema,
      response: ok(MilestoneSchema),
    }),
    async (req) => projects.updateMilestone(k, req.params.id, req.params.milestoneId, req.body, viewerOf(req)),
  );
  app.post(
    '/projects/:id/milestones/:milestoneId/done',
    section.manage('里程碑完成（不早于开工）/ Mark a milestone done (not before the start)', {
      params: MilestoneParam,
      body: MilestoneDoneBody,
      response: ok(MilestoneSchema),
    }),
    async (req) => projects.markMilestoneDone(k, req.params.id, req.params.milestoneId, req.body, viewerOf(req)),
  );
  app.post(
    '/projects/:id/funds',
    section.manage('登记到位资金 / Record funds secured', { params: IdParam, body: FundInputSchema, response: created(FundSchema) }),
    async (req, reply) => reply.status(201).send(await projects.addFund(k, req.params.id, req.body, viewerOf(req))),
  );
  app.post(
    '/projects/:id/outputs',
    section.manage('添加成果指标 / Add an output', { params: IdParam, body: OutputInputSchema, response: created(OutputSchema) }),
    async (req, reply) => reply.status(201).send(await projects.addOutput(k, req.params.id, req.body, viewerOf(req))),
  );
  app.patch(
    '/projects/:id/outputs/:outputId',
    section.manage('更新成果完成量 / Update an output', { params: OutputParam, body: OutputChangesSchema, response: ok(OutputSchema) }),
    async (req) => projects.updateOutput(k, req.params.id, req.params.outputId, req.body, viewerOf(req)),
  );

  section = routeSection(['project appeals 项目与诉求'], projectPolicy);
  app.get(
    '/projects/:id/appeals',
    section.read('项目回应的诉求 / Appeals the project answers', {
      params: IdParam,
      querystring: LinkedAppealListQuery,
      response: ok(LinkedAppealPageSchema),
    }),
    async (req) => projects.listLinkedAppeals(k, req.params.id, req.query, viewerOf(req)),
  );
  app.post(
    '/projects/:id/appeals',
    section.manage('关联本社区的诉求（全部或都不）/ Link appeals of the community, all or none', {
      params: IdParam,
      body: LinkAppealsBody,
      response: ok(LinkAppealsResultSchema),
    }),
    async (req) => projects.linkAppeals(k, req.params.id, req.body, viewerOf(req)),
  );
  app.delete(
    '/projects/:id/appeals/:appealId',
    section.manage('取消关联 / Unlink an appeal', { params: AppealParam, response: noContent }),
    async (req, reply) => {
      await projects.unlinkAppeal(k, req.params.id, req.params.appealId, viewerOf(req));
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/projects/:id/before-after',
    section.read('完工前后本社区同类诉求对比 / The category’s appeals before the start and after completion', {
      params: IdParam,
      querystring: BeforeAfterQuery,
      response: { 200: BeforeAfterSchema, ...problemResponses, 409: problemResponses[400] },
    }),
    async (req) => projects.beforeAfter(k, req.params.id, req.query, viewerOf(req)),
  );

  section = routeSection(['programs 书记项目'], projectPolicy);
  app.get(
    '/programs/:id/report',
    section.read('工作成效报告 / Achievement report', { params: IdParam, querystring: ReportQuery, response: ok(AchievementReportSchema) }),
    async (req) => projects.achievementReport(k, req.params.id, req.query, viewerOf(req)),
  );
  app.get(
    '/programs/:id/report.xlsx',
    section.read('工作成效报告 Excel / Achievement report as Excel', { params: IdParam, querystring: ReportQuery }),
    async (req, reply) => {
      const report = await projects.achievementReport(k, req.params.id, req.query, viewerOf(req));
      const body = await projects.achievementWorkbook(report);
      return sendDownload(reply, { type: xlsxType, name: `${report.title}.xlsx`, fallback: 'report.xlsx', body });
    },
  );
};
