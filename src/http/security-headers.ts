import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers on every answer, with a Content-Security-Policy for the web app: Ant Design
 * writes its styles at run time, so styles may be inline; scripts stay same-origin only.
 */
const setSecurityHeaders = helmet({
  contentSecurityPolicy: {
    directives: {
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'upgrade-insecure-requests': null,
    },
  },
});

/**
 * Helmet's middleware is built once here and only run per request: @fastify/helmet built it anew
 * for every request (parsing the policy each time), a few percent of the server's CPU for each
 * lifecycle step at 50 clients (bench/intake.ts).
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) =>
    setSecurityHeaders(request.raw, reply.raw, (error) => done(error instanceof Error ? error : undefined)),
  );
}
