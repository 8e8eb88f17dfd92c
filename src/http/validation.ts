import type { FastifyInstance, FastifySchema } from 'fastify';
import type { Ajv } from 'ajv';
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { AppError, type FieldError } from '../errors.ts';

/**
 * Input hardening for every route at once, so that no route has to remember it (issue 17): what
 * the database would refuse with a 500, or store wrongly, is refused here with a 400 that names
 * the field.
 *
 * - Calendar formats: `date`, `date-time`, `month` and `day-or-time` hold only real days of years
 *   0001–9999 (no 2023-02-30, no year 0000, which PostgreSQL refuses).
 * - Every integer a request carries without a maximum of its own gets 2,147,483,647 (the range of
 *   PostgreSQL's `integer`, far above any id this product hands out), so 2^63 is a 400, not a 500.
 * - Every string without a maximum length gets 20,000 characters.
 * - A string that must not be empty (minLength ≥ 1) must hold a visible character: blanks and
 *   zero-width characters alone are no description.
 * - No string (nor object key) anywhere in the body, query or path may hold a NUL character or a
 *   lone UTF-16 surrogate: PostgreSQL cannot store the first, and the second is no text at all.
 */

/**
 * Query strings, paths and headers arrive as text, so Ajv coerces them to the schema's types; a
 * JSON body carries its own types and is not coerced: `true` where a number belongs is refused,
 * not stored as 1 (issue 17). Pass as Fastify's `schemaController.compilersFactory.buildValidator`.
 */
export function validatorFactory(): ValidatorFactory {
  const pool = AjvCompiler();
  return (externalSchemas, options) => {
    const coercing = pool(externalSchemas, options);
    const ajv = (options ?? {}) as { customOptions?: Record<string, unknown>; onCreate?: (ajv: Ajv) => void; plugins?: [] };
    const exact = pool(externalSchemas, { ...ajv, mode: undefined, customOptions: { ...ajv.customOptions, coerceTypes: false } });
    return (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
  };
}

export const MAX_REQUEST_INTEGER = 2_147_483_647;
export const MAX_REQUEST_STRING = 20_000;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** A real calendar day of a year 0001–9999, given as YYYY-MM-DD at the start of `text`. */
export function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

const isMonth = (text: string) => /^\d{4}-\d{2}$/.test(text) && isCalendarDay(`${text}-01`);

type FormatCheck = (text: string) => boolean;

function checkOf(format: unknown): FormatCheck | undefined {
  if (typeof format === 'function') return format as FormatCheck;
  if (format instanceof RegExp) return (text) => format.test(text);
  if (format && typeof format === 'object' && 'validate' in format) return checkOf((format as { validate: unknown }).validate);
  return undefined;
}

/** Ajv's onCreate: runs after ajv-formats, so the calendar checks wrap its own. */
export function hardenFormats(ajv: Ajv): void {
  const formats = (ajv as unknown as { formats: Record<string, unknown> }).formats;
  for (const name of ['date', 'date-time'] as const) {
    const original = checkOf(formats[name]);
    ajv.addFormat(name, { type: 'string', validate: (text: string) => (original ? original(text) : true) && isCalendarDay(text) });
  }
  ajv.addFormat('month', { type: 'string', validate: isMonth });
  ajv.addFormat('day-or-time', { type: 'string', validate: isCalendarDay });
  ajv.addFormat('visible-text', {
    type: 'string',
    validate: (text: string) => /[^\s\u200B-\u200F\u2028-\u202F\u2060-\u206F\uFEFF]/.test(text),
  });
}

type JsonSchema = Record<string, unknown>;

/** Adds the defaults above to one request schema, in place (idempotent: shared schemas may pass twice). */
function tighten(schema: unknown, seen: Set<unknown>): void {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  const s = schema as JsonSchema;
  const types = [s.type].flat();
  if (types.includes('integer') && s.maximum === undefined && s.exclusiveMaximum === undefined) s.maximum = MAX_REQUEST_INTEGER;
  if (types.includes('string') && s.enum === undefined && s.const === undefined) {
    if (s.maxLength === undefined && s.format === undefined) s.maxLength = MAX_REQUEST_STRING;
    if (typeof s.minLength === 'number' && s.minLength >= 1 && s.format === undefined) s.format = 'visible-text';
  }
  for (const value of Object.values(s)) {
    if (Array.isArray(value)) for (const item of value) tighten(item, seen);
    else if (value && typeof value === 'object') tighten(value, seen);
  }
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string (or key) under `value` that holds a NUL or a lone surrogate, as a field path. */
function badText(value: unknown, path: string, depth = 0): FieldError | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field: path, message: '不能含有 NUL 字符 / must not contain a NUL character' };
    if (loneSurrogate.test(value))
      return { field: path, message: '含有无效的 Unicode 字符（孤立代理项）/ holds an invalid Unicode character (a lone surrogate)' };
    return undefined;
  }
  if (!value || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const inKey = badText(key, at, depth + 1);
    if (inKey) return inKey;
    const inValue = badText(child, at, depth + 1);
    if (inValue) return inValue;
  }
  return undefined;
}

export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as FastifySchema | undefined;
    if (!schema) return;
    const seen = new Set<unknown>();
    for (const part of [schema.body, schema.querystring, schema.params, schema.headers]) tighten(part, seen);
  });
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['params', request.params],
      ['querystring', request.query],
      ['body', request.body],
    ] as const) {
      const bad = badText(value, '');
      if (bad) {
        const field = bad.field || where;
        throw new AppError('invalid', `输入有误：${field}`, `Invalid input: ${field}`, [{ field, message: bad.message }]);
      }
    }
  });
}
