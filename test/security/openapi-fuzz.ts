/**
 * Requests generated from the OpenAPI document: for one operation, a valid-looking input built
 * from its schemas, or one with a single field broken in a way that used to reach the database
 * (wrong types, boundary numbers, NUL and lone surrogates, long strings, days that do not exist,
 * codes outside the caller's scope, unknown fields). Seeded, so that a failure can be replayed
 * with FUZZ_SEED.
 */

export type Schema = Record<string, unknown>;

export interface Operation {
  method: string;
  /** The OpenAPI path, with {param} placeholders. */
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema }>;
  body?: Schema;
  /** The multipart/form-data body's schema, where the operation documents one (an upload). */
  form?: Schema;
}

export interface Pools {
  /** Division codes inside and outside the callers' scope, and some that exist nowhere. */
  codes: string[];
  /** Ids of rows inside and outside the scope, per path parameter name ('id' for the rest). */
  ids: (param: string, path: string) => number[];
  /** Strings the fuzzer has seen answered (an upload's id, say), per field name. */
  seen?: (name: string) => string[];
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every operation of the document, with $refs to its components resolved lazily by `resolve`. */
export function operationsOf(doc: { paths: Record<string, Record<string, Schema>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Operation['parameters'] | undefined) ?? [],
        ...(content?.['application/json'] ? { body: content['application/json'].schema } : {}),
        ...(content?.['multipart/form-data'] ? { form: content['multipart/form-data'].schema } : {}),
      });
    }
  }
  return operations;
}

const hostile: unknown[] = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  'x\uDC00y',
  'a'.repeat(30_000),
  '=HYPERLINK("http://x")',
  "'; DROP TABLE appeal; --",
  '../../etc/passwd',
  '０１２',
  '',
  ' ',
  '\u200B',
  '0000-01-01',
  '2023-02-30',
  '9999-12-31T23:59:59Z',
  '110107009011',
  '999999999999',
  '000000000000',
  -1,
  0,
  1.5,
  2 ** 31,
  2 ** 53,
  2 ** 63,
  1e308,
  -1e308,
  true,
  false,
  null,
  [],
  {},
  [1, 2],
  { nested: { deep: '\u0000' } },
];

export class Generator {
  private counter = 0;

  constructor(
    readonly random: () => number,
    private readonly components: Record<string, Schema>,
    private readonly pools: Pools,
  ) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) {
      const name = (s.$ref as string).replace(/^#\/components\/schemas\//, '');
      s = this.components[name] ?? {};
    }
    return s;
  }

  /** A value the schema accepts, as far as the generator can tell (patterns are guessed). */
  valid(raw: Schema | undefined, name = '', path = '', depth = 0): unknown {
    const s = this.resolve(raw);
    if (s.const !== undefined) return s.const;
    if (Array.isArray(s.enum)) return this.pick(s.enum.filter((v) => v !== null).length ? s.enum.filter((v) => v !== null) : s.enum);
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(s[key])) return this.valid(this.pick(s[key] as Schema[]), name, path, depth + 1);
    }
    if (Array.isArray(s.allOf)) {
      return Object.assign({}, ...(s.allOf as Schema[]).map((part) => this.valid(part, name, path, depth + 1)));
    }
    const types = [s.type].flat().filter((t) => t !== undefined && t !== 'null');
    const type = (types.length ? this.pick(types) : s.properties ? 'object' : 'string') as string;
    switch (type) {
      case 'string':
        return this.string(s, name);
      case 'integer':
      case 'number':
        return this.number(s, name, path, type === 'integer');
      case 'boolean':
        return this.random() < 0.5;
      case 'array': {
        if (depth > 4) return [];
        const min = typeof s.minItems === 'number' ? s.minItems : 0;
        const count = Math.min(min + Math.floor(this.random() * 3), typeof s.maxItems === 'number' ? s.maxItems : 3);
        return Array.from({ length: count }, () => this.valid(s.items as Schema, name, path, depth + 1));
      }
      default: {
        if (depth > 5) return {};
        const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
        const required = new Set((s.required as string[] | undefined) ?? []);
        const out: Record<string, unknown> = {};
        for (const [key, child] of Object.entries(properties)) {
          if (required.has(key) || this.random() < 0.5) out[key] = this.valid(child, key, path, depth + 1);
        }
        return out;
      }
    }
  }

  private string(s: Schema, name: string): string {
    const format = s.format as string | undefined;
    if (format === 'date') return this.pick(['2022-06-15', '2021-11-30', '2023-02-01']);
    if (format === 'date-time') return this.pick(['2022-06-15T08:00:00+08:00', '2023-01-01T00:00:00Z']);
    if (format === 'month') return this.pick(['2022-06', '2021-12']);
    if (format === 'day-or-time') return '2022-06-15';
    const pattern = typeof s.pattern === 'string' ? new RegExp(s.pattern, 'u') : undefined;
    const candidates = [
      ...(this.pools.seen?.(name) ?? []),
      ...(/code$/i.test(name) || name === 'within' || name === 'division' || name === 'scope' ? this.pools.codes : []),
      ...(/phone/i.test(name) ? ['13800000000'] : []),
      ...(/ticket/i.test(name) ? [`FZ${++this.counter}${Math.floor(this.random() * 1e6)}`] : []),
      ...(Array.isArray(s.examples) ? (s.examples as unknown[]).filter((e): e is string => typeof e === 'string') : []),
      ...(typeof s.default === 'string' ? [s.default] : []),
      '2022-06',
      '2022-06-15',
      'parking',
      'other',
      '110106008028',
      `模糊测试 ${++this.counter}`,
      'fuzz-test',
      'x',
    ];
    const fits = (text: string) =>
      (!pattern || pattern.test(text)) &&
      (typeof s.minLength !== 'number' || [...text].length >= s.minLength) &&
      (typeof s.maxLength !== 'number' || [...text].length <= s.maxLength);
    const fitting = candidates.filter(fits);
    return fitting.length ? (this.random() < 0.7 ? fitting[0]! : this.pick(fitting)) : 'x';
  }

  private number(s: Schema, name: string, path: string, integer: boolean): number {
    if (/id$/i.test(name) || name === 'batch') {
      const ids = this.pools.ids(name, path);
      if (ids.length) return this.pick(ids);
    }
    const min = typeof s.minimum === 'number' ? s.minimum : 0;
    const max = typeof s.maximum === 'number' ? Math.min(s.maximum, min + 100) : min + 100;
    const value = min + this.random() * (max - min);
    return integer ? Math.round(value) : Math.round(value * 100) / 100;
  }

  /** Something no schema should let through to the database unharmed. */
  hostile(): unknown {
    return this.pick(hostile);
  }

  /** A body with one field broken (or an unknown one added, or the whole body replaced). */
  breakBody(body: unknown): unknown {
    const roll = this.random();
    if (roll < 0.1) return this.hostile();
    if (!body || typeof body !== 'object' || Array.isArray(body)) return this.hostile();
    const copy = { ...(body as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (roll < 0.2 || keys.length === 0) {
      copy[this.pick(['unexpected', 'isAdmin', 'scopeCode', '__proto__x'])] = this.hostile();
    } else {
      const key = this.pick(keys);
      const value = copy[key];
      copy[key] =
        value && typeof value === 'object' && !Array.isArray(value) && this.random() < 0.5 ? this.breakBody(value) : this.hostile();
    }
    return copy;
  }
}

/** A form's file as the fuzzer sends it: its name and bytes. */
export interface FormFile {
  field: string;
  name: string;
  content: Buffer;
}

/**
 * Files for an upload: `good` ones the route should take (within the callers' scope), and ones
 * that used to reach a library unguarded (an unclosed quote, a zip that is no spreadsheet, NUL
 * bytes, a lone header, nothing at all).
 */
export function uploadFiles(good: string[]): { good: Buffer[]; bad: Buffer[] } {
  return {
    good: good.map((text) => Buffer.from(`\uFEFF${text}`)),
    bad: [
      Buffer.alloc(0),
      Buffer.from('工单编号,受理时间,诉求内容\n"没有闭合,2022-06-15 10:00,x\n'),
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(300, 7)]),
      Buffer.from('\u0000\u0000\uFFFF'.repeat(100)),
      Buffer.from('工单编号,受理时间,诉求内容\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]),
    ],
  };
}

/** A multipart/form-data body: text fields, then the files. */
export function multipartBody(fields: Record<string, string>, files: FormFile[]): { payload: Buffer; contentType: string } {
  const boundary = '----mustanswer-fuzz-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A form field's value as text: what is not a string goes as its JSON. */
export const formValue = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** A query or path value as the URL carries it; a lone surrogate goes as the bytes a client could send. */
export function urlValue(value: unknown): string {
  const text =
    typeof value === 'string' ? value : value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80').replace(/[^%A-Za-z0-9]/g, (c) => encodeURIComponent(c));
  }
}
