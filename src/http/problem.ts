import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import type { Localize } from 'ajv-i18n/localize/types.js';
import { AppError, type ErrorKind, type FieldError } from '../errors.ts';

const statusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

const titles: Record<number, string> = {
  400: '请求有误 / Bad request',
  401: '请先登录 / Not logged in',
  403: '无权操作 / Forbidden',
  404: '未找到 / Not found',
  409: '冲突 / Conflict',
  413: '内容过大 / Payload too large',
  415: '不支持的内容类型 / Unsupported media type',
  429: '请求过于频繁 / Too many requests',
  500: '服务器内部错误 / Internal server error',
};

type AjvError = NonNullable<FastifyError['validation']>[number];

// A CommonJS module whose typings claim an ES default export: load it the CommonJS way.
const localizeZh = createRequire(import.meta.url)('ajv-i18n/localize/zh') as Localize;

/** Ajv's own Chinese translation first, its English second, like every other message. */
function bilingual(error: AjvError): string {
  const english = error.message ?? 'invalid';
  const copy = { ...error };
  // Fastify's validation error is Ajv's ErrorObject under another name.
  localizeZh([copy] as Parameters<typeof localizeZh>[0]);
  return copy.message && copy.message !== english ? `${copy.message} / ${english}` : english;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

export function problem(status: number, detail: string, errors?: FieldError[]): Problem {
  return {
    type: status >= 500 ? 'about:blank' : `https://mustanswer.dev/problems/${status}`,
    title: titles[status] ?? `HTTP ${status}`,
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/**
 * Ajv reports `/residents` or a missing property by name; name the field either way. A nullable
 * field fails each branch of its union: keep the first reason per field, which is the useful one.
 */
function fieldErrors(error: FastifyError): FieldError[] {
  const all = (error.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string; additionalProperty?: string }) ?? {};
    const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const field = [path, missing.missingProperty ?? missing.additionalProperty].filter(Boolean).join('.');
    return { field: field || (error.validationContext ?? 'body'), message: bilingual(v) };
  });
  const byField = new Map<string, FieldError>();
  for (const e of all) if (!byField.has(e.field)) byField.set(e.field, e);
  return [...byField.values()];
}

/** Every error leaves as RFC 9457 problem+json, with the field or row it is about. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let body: Problem;
    if (error instanceof AppError) {
      body = problem(statusOf[error.kind], error.message, error.errors);
    } else if (error.validation) {
      const errors = fieldErrors(error);
      const where = errors.map((e) => e.field).join(', ');
      body = problem(400, `输入有误：${where} / Invalid input: ${where}`, errors);
    } else if (error.statusCode && error.statusCode < 500) {
      body = problem(error.statusCode, error.message);
    } else {
      request.log.error({ err: error }, 'unhandled error');
      body = problem(500, '服务器出错了，请稍后再试 / Something went wrong on the server');
    }
    void reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
  });
}

export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .status(404)
    .type('application/problem+json; charset=utf-8')
    .send(problem(404, `没有这个接口：${request.method} ${request.url} / No route ${request.method} ${request.url}`));
}
