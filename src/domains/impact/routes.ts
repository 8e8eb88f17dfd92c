import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/connection.ts';
import { problemResponses } from '../../http/schemas.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { panelCsv, panelWorkbook } from './export.ts';
import { impactPolicy } from './policy.ts';
import { ImpactQuery, ImpactReportSchema } from './schemas.ts';
import { impactReport, prepare, reportOf } from './service.ts';

const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (ascii: string, name: string) => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** HTTP only: parse, authorize (the declared policy), call the service, present. */
export const impactRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const k = db.kysely;
  const config = { policy: impactPolicy.read };
  const tags = ['impact 成效评估'];
  const responses = { ...problemResponses, 403: problemResponses[400], 409: problemResponses[400] };
  app.get(
    '/impact',
    {
      config,
      schema: {
        tags,
        summary: '选派成效评估（匹配对照 + 交错双重差分）/ Impact estimate (matched comparison, staggered DiD)',
        querystring: ImpactQuery,
        response: { 200: ImpactReportSchema, ...responses },
      },
    },
    async (req) => impactReport(k, req.query, viewerOf(req)),
  );
  app.get(
    '/impact/panel.csv',
    {
      config,
      schema: { tags, summary: '评估所用社区-月面板 CSV / The community-month panel as CSV', querystring: ImpactQuery },
    },
    async (req, reply) => {
      const prepared = await prepare(k, req.query, viewerOf(req));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment('impact-panel.csv', `成效评估面板-${prepared.program.name}.csv`))
        .send(panelCsv(prepared));
    },
  );
  app.get(
    '/impact/panel.xlsx',
    {
      config,
      schema: { tags, summary: '评估面板与结果 Excel / The panel, method and estimate as Excel', querystring: ImpactQuery },
    },
    async (req, reply) => {
      const prepared = await prepare(k, req.query, viewerOf(req));
      const report = reportOf(prepared);
      return reply
        .header('content-type', xlsx)
        .header('content-disposition', attachment('impact-panel.xlsx', `${report.title}.xlsx`))
        .send(await panelWorkbook(prepared, report));
    },
  );
};
