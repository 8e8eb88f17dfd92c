import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifySchema } from 'fastify';
import type { RoutePolicy } from './policy.ts';
import { problemResponses } from './schemas.ts';

/** The answers a route documents: its success shape, and the problems every route may answer. */
export const ok = <T extends TSchema>(schema: T) => ({ 200: schema, ...problemResponses });
export const created = <T extends TSchema>(schema: T) => ({ 201: schema, ...problemResponses });
export const noContent = { 204: Type.Null(), ...problemResponses };

type RouteOptions<S extends FastifySchema> = { config: { policy: RoutePolicy }; schema: S & { tags: string[]; summary: string } };

/**
 * The options of the routes in one section of the API documentation, one function per policy:
 * `const { read, manage } = routeSection(['projects 攻坚项目'], projectPolicy)`, then
 * `app.get(url, read('一个项目 / One project', { params, response }), handler)`. Each route still
 * names who may call it (every /api/v1 route declares a policy) and what it takes; the schema's
 * own type reaches Fastify unchanged, so the handler's request and answer are typed from it.
 */
export function routeSection<P extends Record<string, RoutePolicy>>(
  tags: string[],
  policies: P,
): { [K in keyof P]: <S extends FastifySchema>(summary: string, schema?: S) => RouteOptions<S> } {
  const section = {} as { [K in keyof P]: <S extends FastifySchema>(summary: string, schema?: S) => RouteOptions<S> };
  for (const name of Object.keys(policies) as (keyof P)[]) {
    const policy = policies[name]!;
    section[name] = <S extends FastifySchema>(summary: string, schema?: S) => ({
      config: { policy },
      schema: { ...(schema as S), tags, summary },
    });
  }
  return section;
}

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const csvType = 'text/csv; charset=utf-8';

/**
 * Sends a file to save: `name` is what the browser saves it as (any language, percent-encoded as
 * RFC 6266's `filename*`), `fallback` an ASCII name for clients that read only `filename`.
 */
export function sendDownload(
  reply: FastifyReply,
  file: { type: string; name: string; fallback?: string; body: Buffer | Uint8Array | string },
): FastifyReply {
  const ascii = file.fallback === undefined ? '' : `filename="${file.fallback}"; `;
  return reply
    .header('content-type', file.type)
    .header('content-disposition', `attachment; ${ascii}filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .send(file.body);
}
