import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { registerSecurityHeaders } from '../http/security-headers.ts';
import { problem, registerProblemHandlers } from '../http/problem.ts';
import type { StartupStatus } from './status.ts';

/**
 * What answers while a first start builds the demo, before the database can be shared: the web
 * app (whose pages show the progress), `GET /api/v1/health` and `GET /api/v1/status`, all from
 * memory. Every other request is told, as 503 problem+json with Retry-After, that the demo is
 * still loading; the real app takes over the same port when it is ready (src/cli/serve.ts).
 */
export async function buildLoadingApp(options: {
  status: StartupStatus;
  webDist: string;
  backend: string;
  version: string;
}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerProblemHandlers(app);
  registerSecurityHeaders(app);
  app.get('/api/v1/health', async () => ({ status: 'ok' as const, backend: options.backend, version: options.version }));
  app.get('/api/v1/status', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return options.status.view();
  });

  const hasWeb = fs.existsSync(path.join(options.webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: options.webDist, wildcard: true, index: ['index.html'] });
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url.startsWith('/open311/');
    if (hasWeb && request.method === 'GET' && !isApi) return reply.sendFile('index.html');
    const view = options.status.view();
    const zh = `首次启动正在载入演示数据：${view.label.zh}${view.secondsLeft === null ? '' : `，约 ${view.secondsLeft} 秒后就绪`}`;
    const en = `The first start is loading the demo: ${view.label.en}${view.secondsLeft === null ? '' : `, ready in about ${view.secondsLeft} s`}`;
    return reply
      .status(503)
      .header('retry-after', String(Math.min(60, view.secondsLeft ?? 10)))
      .type('application/problem+json; charset=utf-8')
      .send(problem(503, `${zh} / ${en}`));
  });
  return app;
}
