import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/connection.ts';
import { csvType, ok, routeSection, sendDownload, xlsxType } from '../../http/routes.ts';
import type { Tables } from '../../db/tables.ts';
import type { Viewer } from '../accounts/viewer.ts';
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
  const kysely = db.kysely;
  const { read, configure, maintain } = routeSection(['evaluation 三率评价'], evaluationPolicy);
  /** A read for the viewer: the query in, the service's answer out, as every figure here is asked for. */
  const readRoute = <Q extends TSchema, R extends TSchema>(
    url: string,
    summary: string,
    querystring: Q,
    response: R,
    answer: (db: Kysely<Tables>, query: Static<Q>, viewer: Viewer) => Promise<Static<R>>,
  ) =>
    // `answer` is held to Static<R> where each route is declared; the schema goes to Fastify as a
    // TSchema, whose reply type a generic R would leave unresolved.
    app.get(url, read(summary, { querystring, response: ok<TSchema>(response) }), async (request) =>
      answer(kysely, request.query, viewerOf(request)),
    );

  readRoute(
    '/evaluation/figures',
    '某级区划的三率、诉求量、超期数 / Three rates, volume and overdue per place',
    FiguresQuery,
    Type.Array(PlaceFiguresSchema),
    evaluation.placeFigures,
  );
  readRoute(
    '/evaluation/ranking',
    '月度排名（前 N / 后 N，含环比）/ Monthly ranking, top or bottom N, with change',
    RankingQuery,
    RankingSchema,
    evaluation.ranking,
  );
  readRoute('/evaluation/trend', '逐月趋势 / Month-by-month trend', TrendQuery, Type.Array(MonthFiguresSchema), evaluation.trend);
  readRoute(
    '/evaluation/categories',
    '分类构成 / Breakdown by category',
    CategoriesQuery,
    Type.Array(CategoryFiguresSchema),
    evaluation.categoryBreakdown,
  );
  readRoute(
    '/evaluation/key-communities',
    '重点社区名单（每期诉求量前 N 及上榜次数）/ Key communities: each period’s top N and how often each was on it',
    KeyCommunitiesQuery,
    KeyCommunityListSchema,
    evaluation.keyCommunityList,
  );
  readRoute(
    '/evaluation/hotspots',
    '反复出现的问题类别 / Categories that keep coming back',
    HotspotsQuery,
    HotspotsSchema,
    evaluation.hotspots,
  );
  readRoute(
    '/evaluation/latest',
    '数据截至的月份和日期（各页面的默认期）/ The latest month and day with appeals, where the pages open',
    LatestQuery,
    LatestSchema,
    evaluation.latestData,
  );

  app.get('/evaluation/config', read('评价规则 / Evaluation rules', { response: { 200: EvaluationConfigSchema } }), async () =>
    evaluation.getConfig(kysely),
  );
  app.put(
    '/evaluation/config',
    configure('修改评价规则 / Change the evaluation rules', { body: EvaluationConfigSchema, response: ok(EvaluationConfigSchema) }),
    async (request) => evaluation.updateConfig(kysely, request.body, viewerOf(request)),
  );
  app.post(
    '/evaluation/rollups/check',
    maintain('核对汇总表与原始诉求 / Compare the rollups with a recount of the appeals', {
      response: { 200: Type.Object({ consistent: Type.Boolean(), differences: Type.Array(Type.Unknown()) }) },
    }),
    async () => {
      const differences = await checkRollups(kysely);
      return { consistent: differences.length === 0, differences };
    },
  );
  app.post(
    '/evaluation/rollups/rebuild',
    maintain('重建汇总表 / Rebuild the rollups', { response: { 200: Type.Object({ rows: Type.Integer() }) } }),
    async () => ({ rows: await kysely.transaction().execute((trx) => rebuildRollups(trx)) }),
  );

  await app.register(reportRoutes, { db });
};

export const evaluationSchemas = [FiguresSchema];

/** Daily and monthly reports as JSON (the printable page renders it) and as Excel. */
export const reportRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const kysely = db.kysely;
  const { read } = routeSection(['evaluation 三率评价'], evaluationPolicy);
  const titled = (report: Report, lang: ReportLang | undefined) => ({ ...report, title: reportTitle(report, lang) });
  const sendWorkbook = async (report: Report, lang: ReportLang | undefined, reply: FastifyReply) =>
    sendDownload(reply, { type: xlsxType, name: `${reportTitle(report, lang)}.xlsx`, body: await reportWorkbook(report, lang) });

  app.get(
    '/evaluation/reports/monthly',
    read('月报 / Monthly report', { querystring: MonthlyReportQuery, response: ok(ReportSchema) }),
    async (request) => titled(await monthlyReport(kysely, request.query, viewerOf(request)), request.query.lang),
  );
  app.get(
    '/evaluation/reports/monthly.xlsx',
    read('月报 Excel / Monthly report as Excel', { querystring: MonthlyReportQuery }),
    async (request, reply) => sendWorkbook(await monthlyReport(kysely, request.query, viewerOf(request)), request.query.lang, reply),
  );
  app.get(
    '/evaluation/reports/daily',
    read('日报 / Daily report', { querystring: DailyReportQuery, response: ok(ReportSchema) }),
    async (request) => titled(await dailyReport(kysely, request.query, viewerOf(request)), request.query.lang),
  );

  // The key-community list as a file, from the list's own page: Excel, or CSV through the shared writer.
  const keyCommunityFiles = [
    { format: 'xlsx', summary: '重点社区名单 Excel / Key communities as Excel', type: xlsxType, write: keyCommunityWorkbook },
    { format: 'csv', summary: '重点社区名单 CSV / Key communities as CSV', type: csvType, write: keyCommunityCsv },
  ] as const;
  for (const file of keyCommunityFiles) {
    app.get(
      `/evaluation/key-communities.${file.format}`,
      read(file.summary, { querystring: KeyCommunitiesQuery }),
      async (request, reply) => {
        const list = await evaluation.keyCommunityList(kysely, request.query, viewerOf(request));
        return sendDownload(reply, { type: file.type, name: keyCommunityFileName(list, file.format), body: await file.write(list) });
      },
    );
  }

  app.get(
    '/evaluation/reports/daily.xlsx',
    read('日报 Excel / Daily report as Excel', { querystring: DailyReportQuery }),
    async (request, reply) => sendWorkbook(await dailyReport(kysely, request.query, viewerOf(request)), request.query.lang, reply),
  );
};
