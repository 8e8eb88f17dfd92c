import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * The server's logger with requests logged by method and path only. Fastify's own serializer logs
 * the whole URL, and a query string carries what users search for (a resident's phone or name in
 * `?q=`), the remote address a person's; neither belongs in a log line.
 */
export function withoutPersonalData(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false;
  const options = logger === true ? {} : logger;
  return {
    ...options,
    serializers: {
      ...('serializers' in options ? options.serializers : {}),
      req: (request: FastifyRequest) => ({ method: request.method, path: pathOf(request.url) }),
    },
  };
}

/** The URL up to its query string (or fragment). */
export function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}
