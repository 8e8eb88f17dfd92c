import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/connection.ts';
import { problemResponses } from '../../http/schemas.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { evaluationPolicy } from './policy.ts';
import { checkRollups, rebuildRollups } from './rollup.ts';
import {
  CategoriesQuery,
  CategoryFiguresSchema,
  EvaluationConfigSchema,
  FiguresQuery,
  FiguresSchema,
  HotspotsQuery,
  HotspotsSchema,
  KeyCommunitiesQuery,
  KeyCommunityListSchema,
  LatestQuery,
  LatestSchema,
  MonthFiguresSchema,
  PlaceFiguresSchema,
  RankingQuery,
  RankingSchema,
  TrendQuery,
  DailyReportQuery,
  MonthlyReportQuery,
  ReportSchema,
} from './schemas.ts';
import * as evaluation from './service.ts';
import type { FastifyReply } from 'fastify';
import { dailyReport, monthlyReport, type Report } from './reports.ts';
import { reportTitle, reportWorkbook, type ReportLang } from './report-excel.ts';
import { keyCommunityCsv, keyCommunityFileName, keyCommunityWorkbook } from './key-export.ts';

export const evaluationRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['evaluation 三率评价'];
  const kysely = db.kysely;
  const read = { policy: evaluationPolicy.read };

  app.get(
    '/evaluation/figures',
    {
      config: read,
      schema: {
        tags,
        summary: '某级区划的三率、诉求量、超期数 / Three rates, volume and overdue per place',
        querystring: FiguresQuery,
        response: { 200: Type.Array(PlaceFiguresSchema), ...problemResponses },
      },
    },
    async (request) => evaluation.placeFigures(kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/evaluation/ranking',
    {
      config: read,
      schema: {
        tags,
        summary: '月度排名（前 N / 后 N，含环比）/ Monthly ranking, top or bottom N, with change',
        querystring: RankingQuery,
        response: { 200: RankingSchema, ...problemResponses },
      },
    },
    async (request) => evaluation.ranking(kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/evaluation/trend',
    {
      config: read,
      schema: {
        tags,
        summary: '逐月趋势 / Month-by-month trend',
        querystring: TrendQuery,
        response: { 200: Type.Array(MonthFiguresSchema), ...problemResponses },
      },
    },
    async (request) => evaluation.trend(kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/evaluation/categories',
    {
      config: read,
      schema: {
        tags,
        summary: '分类构成 / Breakdown by category',
        querystring: CategoriesQuery,
        response: { 200: Type.Array(CategoryFiguresSchema), ...problemResponses },
      },
    },
    async (request) => evaluation.categoryBreakdown(kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/evaluation/key-communities',
    {
      config: read,
      schema: {
        tags,
        summary: '重点社区名单（每期诉求量前 N 及上榜次数）/ Key communities: each period’s top N and how often each was on it',
        querystring: KeyCommunitiesQuery,
        response: { 200: KeyCommunityListSchema, ...problemResponses },
      },
    },
    async (request) => evaluation.keyCommunityList(kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/evaluation/hotspots',
    {
      config: read,
      schema: {
        tags,
        summary: '反复出现的问题类别 / Categories that keep coming back',
        querystring: HotspotsQuery,
        response: { 200: HotspotsSchema, ...problemResponses },
      },
    },
    async (request) => evaluation.hotspots(kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/evaluation/latest',
    {
      config: read,
      schema: {
        tags,
        summary: '数据截至的月份和日期（各页面的默认期）/ The latest month and day with appeals, where the pages open',
        querystring: LatestQuery,
        response: { 200: LatestSchema, ...problemResponses },
      },
    },
    async (request) => evaluation.latestData(kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/evaluation/config',
    {
      config: read,
      schema: { tags, summary: '评价规则 / Evaluation rules', response: { 200: EvaluationConfigSchema } },
    },
    async () => evaluation.getConfig(kysely),
  );

  app.put(
    '/evaluation/config',
    {
      config: { policy: evaluationPolicy.configure },
      schema: {
        tags,
        summary: '修改评价规则 / Change the evaluation rules',
        body: EvaluationConfigSchema,
        response: { 200: EvaluationConfigSchema, ...problemResponses },
      },
    },
    async (request) => evaluation.updateConfig(kysely, request.body, viewerOf(request)),
  );

  app.post(
    '/evaluation/rollups/check',
    {
      config: { policy: evaluationPolicy.maintain },
      schema: {
        tags,
        summary: '核对汇总表与原始诉求 / Compare the rollups with a recount of the appeals',
        response: { 200: Type.Object({ consistent: Type.Boolean(), differences: Type.Array(Type.Unknown()) }) },
      },
    },
    async () => {
      const differences = await checkRollups(kysely);
      return { consistent: differences.length === 0, differences };
    },
  );

  app.post(
    '/evaluation/rollups/rebuild',
    {
      config: { policy: evaluationPolicy.maintain },
      schema: { tags, summary: '重建汇总表 / Rebuild the rollups', response: { 200: Type.Object({ rows: Type.Integer() }) } },
    },
    async () => ({ rows: await kysely.transaction().execute((trx) => rebuildRollups(trx)) }),
  );

  await app.register(reportRoutes, { db });
};

export const evaluationSchemas = [FiguresSchema];

const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Daily and monthly reports as JSON (the printable page renders it) and as Excel. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['evaluation 三率评价'];
  const kysely = db.kysely;
  const read = { policy: evaluationPolicy.read };
  const titled = (report: Report, lang: ReportLang | undefined) => ({ ...report, title: reportTitle(report, lang) });
  const sendWorkbook = async (report: Report, lang: ReportLang | undefined, reply: FastifyReply) => {
    const file = encodeURIComponent(`${reportTitle(report, lang)}.xlsx`);
    return reply
      .header('content-type', xlsx)
      .header('content-disposition', `attachment; filename*=UTF-8''${file}`)
      .send(await reportWorkbook(report, lang));
  };

  app.get(
    '/evaluation/reports/monthly',
    {
      config: read,
      schema: {
        tags,
        summary: '月报 / Monthly report',
        querystring: MonthlyReportQuery,
        response: { 200: ReportSchema, ...problemResponses },
      },
    },
    async (request) => titled(await monthlyReport(kysely, request.query, viewerOf(request)), request.query.lang),
  );

  app.get(
    '/evaluation/reports/monthly.xlsx',
    {
      config: read,
      schema: { tags, summary: '月报 Excel / Monthly report as Excel', querystring: MonthlyReportQuery },
    },
    async (request, reply) => sendWorkbook(await monthlyReport(kysely, request.query, viewerOf(request)), request.query.lang, reply),
  );

  app.get(
    '/evaluation/reports/daily',
    {
      config: read,
      schema: { tags, summary: '日报 / Daily report', querystring: DailyReportQuery, response: { 200: ReportSchema, ...problemResponses } },
    },
    async (request) => titled(await dailyReport(kysely, request.query, viewerOf(request)), request.query.lang),
  );

  // The key-community list as a file, from the list's own page: Excel, or CSV through the shared writer.
  app.get(
    '/evaluation/key-communities.xlsx',
    {
      config: read,
      schema: { tags, summary: '重点社区名单 Excel / Key communities as Excel', querystring: KeyCommunitiesQuery },
    },
    async (request, reply) => {
      const list = await evaluation.keyCommunityList(kysely, request.query, viewerOf(request));
      return reply
        .header('content-type', xlsx)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(keyCommunityFileName(list, 'xlsx'))}`)
        .send(await keyCommunityWorkbook(list));
    },
  );

  app.get(
    '/evaluation/key-communities.csv',
    {
      config: read,
      schema: { tags, summary: '重点社区名单 CSV / Key communities as CSV', querystring: KeyCommunitiesQuery },
    },
    async (request, reply) => {
      const list = await evaluation.keyCommunityList(kysely, request.query, viewerOf(request));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(keyCommunityFileName(list, 'csv'))}`)
        .send(keyCommunityCsv(list));
    },
  );

  app.get(
    '/evaluation/reports/daily.xlsx',
    {
      config: read,
      schema: { tags, summary: '日报 Excel / Daily report as Excel', querystring: DailyReportQuery },
    },
    async (request, reply) => sendWorkbook(await dailyReport(kysely, request.query, viewerOf(request)), request.query.lang, reply),
  );
};
