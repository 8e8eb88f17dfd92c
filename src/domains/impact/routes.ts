import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Database } from '../../db/connection.ts';
import { csvType, routeSection, sendDownload, xlsxType } from '../../http/routes.ts';
import { problemResponses } from '../../http/schemas.ts';
import { viewerOf } from '../accounts/http-auth.ts';
import { panelCsv, panelWorkbook } from './export.ts';
import { impactPolicy } from './policy.ts';
import { ImpactQuery, ImpactReportSchema } from './schemas.ts';
import { impactReport, prepare, reportOf } from './service.ts';

/** HTTP only: parse, authorize (the declared policy), call the service, present. */
export const impactRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const k = db.kysely;
  const { read } = routeSection(['impact 成效评估'], impactPolicy);
  const responses = { ...problemResponses, 403: problemResponses[400], 409: problemResponses[400] };
  app.get(
    '/impact',
    read('选派成效评估（匹配对照 + 交错双重差分）/ Impact estimate (matched comparison, staggered DiD)', {
      querystring: ImpactQuery,
      response: { 200: ImpactReportSchema, ...responses },
    }),
    async (req) => impactReport(k, req.query, viewerOf(req)),
  );
  app.get(
    '/impact/panel.csv',
    read('评估所用社区-月面板 CSV / The community-month panel as CSV', { querystring: ImpactQuery }),
    async (req, reply) => {
      const prepared = await prepare(k, req.query, viewerOf(req));
      const name = `成效评估面板-${prepared.program.name}.csv`;
      return sendDownload(reply, { type: csvType, name, fallback: 'impact-panel.csv', body: panelCsv(prepared) });
    },
  );
  app.get(
    '/impact/panel.xlsx',
    read('评估面板与结果 Excel / The panel, method and estimate as Excel', { querystring: ImpactQuery }),
    async (req, reply) => {
      const prepared = await prepare(k, req.query, viewerOf(req));
      const report = reportOf(prepared);
      const body = await panelWorkbook(prepared, report);
      return sendDownload(reply, { type: xlsxType, name: `${report.title}.xlsx`, fallback: 'impact-panel.xlsx', body });
    },
  );
};
