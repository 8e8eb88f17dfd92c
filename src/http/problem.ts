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
  414: '请求地址过长 / URI too long',
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

/** A database error's SQLSTATE, whichever driver raised it (pg and PGlite both set `code`). */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string' ? code : undefined;
}

/**
 * Database errors that bad input or a race causes, not a fault of the server: the input was out of
 * range, malformed or too long (class 22, 54000), or it clashed with a simultaneous change
 * (deadlock, serialization) or an existing row. The routes' schemas and services catch these
 * first and name the field; this is the backstop that keeps them from reading as a 500.
 */
function databaseProblem(state: string): Problem | undefined {
  if (state.startsWith('22')) {
    return problem(
      400,
      '输入的某个值数据库无法接受（超出范围、格式不对或含有不允许的字符）/ A value in the input is out of range, malformed or holds a character that is not allowed',
    );
  }
  if (state === '54000') return problem(400, '输入的某个值太长 / A value in the input is too long');
  if (state === '40P01' || state === '40001')
    return problem(409, '与同时进行的另一项修改冲突，请重试 / Clashed with a simultaneous change; please try again');
  if (state === '23505') return problem(409, '与已有的记录重复 / Duplicates an existing record');
  if (state === '23503')
    return problem(409, '引用的记录不存在或仍被引用 / Refers to a record that does not exist, or is still referred to');
  return undefined;
}

/** Quoted text in a database error (values, names) replaced, so residents' data stays out of the log. */
const redactQuoted = (text: string) => text.replace(/"(?:[^"]|"")*"/g, '"…"').replace(/'(?:[^']|'')*'/g, "'…'");

/**
 * What the log may hold of an error. A database error carries the query's parameters (PGlite sets
 * `params`, and `where`, `detail` and the message quote values): residents' names and phones
 * among them. Keep the SQLSTATE, the constraint, table and column, never the values.
 */
export function loggableError(error: Error): Record<string, unknown> {
  const state = sqlStateOf(error);
  if (!state) return { type: error.name, message: error.message, stack: error.stack };
  const { constraint, table, column, routine } = error as { constraint?: unknown; table?: unknown; column?: unknown; routine?: unknown };
  return {
    type: error.name,
    code: state,
    message: redactQuoted(error.message),
    ...(typeof constraint === 'string' ? { constraint } : {}),
    ...(typeof table === 'string' ? { table } : {}),
    ...(typeof column === 'string' ? { column } : {}),
    ...(typeof routine === 'string' ? { routine } : {}),
    stack: error.stack ? redactQuoted(error.stack) : undefined,
  };
}

/** Every error leaves as RFC 9457 problem+json, with the field or row it is about. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    let body: Problem;
    const state = sqlStateOf(error);
    const fromDatabase = state ? databaseProblem(state) : undefined;
    if (error instanceof AppError) {
      body = problem(statusOf[error.kind], error.message, error.errors);
    } else if (error.validation) {
      const errors = fieldErrors(error);
      const where = errors.map((e) => e.field).join(', ');
      body = problem(400, `输入有误：${where} / Invalid input: ${where}`, errors);
    } else if (fromDatabase) {
      request.log.warn({ err: loggableError(error) }, 'database refused the input');
      body = fromDatabase;
    } else if (error.statusCode && error.statusCode < 500) {
      body = problem(error.statusCode, error.message);
    } else {
      request.log.error({ err: loggableError(error) }, 'unhandled error');
      body = problem(500, '服务器出错了，请稍后再试 / Something went wrong on the server');
    }
    void reply.status(body.status).type('application/problem+json; charset=utf-8').send(body);
  });
}

const frameworkDetails: Record<string, string> = {
  FST_ERR_BAD_URL: '请求地址含有无效的字符 / The URL holds an invalid character',
  FST_ERR_MAX_PARAM_LENGTH: '请求地址中的参数过长 / A parameter in the URL is too long',
  FST_ERR_ASYNC_CONSTRAINT: '请求有误 / Bad request',
};

/**
 * Errors Fastify raises before any route runs (a URL that does not decode, a path parameter over
 * its length): problem+json like every other error, not Fastify's own JSON.
 */
export function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply
    .status(status)
    .type('application/problem+json; charset=utf-8')
    .send(problem(status, frameworkDetails[error.code] ?? error.message));
}

export function sendRouteNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .status(404)
    .type('application/problem+json; charset=utf-8')
    .send(problem(404, `没有这个接口：${request.method} ${request.url} / No route ${request.method} ${request.url}`));
}
