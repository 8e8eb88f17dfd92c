import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createApiToken, createUser } from '../../src/domains/accounts/service.ts';
import { roles, systemViewer, type Role } from '../../src/domains/accounts/viewer.ts';
import { createAppeal } from '../../src/domains/appeals/service.ts';
import type { RoutePolicy } from '../../src/http/policy.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { seedProgramsForMatrix, type ProgramFixture } from '../programs/matrix-fixtures.ts';
import { seedProjectsForMatrix, type ProjectFixture } from '../projects/matrix-fixtures.ts';
import {
  Generator,
  formValue,
  multipartBody,
  mulberry32,
  operationsOf,
  uploadFiles,
  urlValue,
  type FormFile,
  type Operation,
  type Schema,
} from './openapi-fuzz.ts';

/**
 * Issue 17: a fuzz test from the OpenAPI document. Every /api/v1 operation, called by every role
 * (and by nobody), with generated valid and broken inputs. The properties:
 *  1. never a 5xx;
 *  2. every error is RFC 9457 problem+json;
 *  3. never a division outside the caller's scope in an answer (a route that is not public).
 *
 * Size: FUZZ_RUNS inputs per operation and role (default 2: one valid, one broken, about 2,000
 * requests per database); `FUZZ_RUNS=50 npx vitest run test/security/fuzz.test.ts` for a long run,
 * FUZZ_SEED to replay one.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2);
const SEED = Number(process.env.FUZZ_SEED ?? 17);

/** Every caller is scoped to 六里桥街道, Fengtai. */
const SCOPE = '110106008';
const INSIDE = '110106008028'; // 京铁家园社区
const OUTSIDE = '110107009011'; // 高井路社区, Shijingshan

/** Division codes the fuzzer sends: inside, outside, ancestors, and ones that exist nowhere. */
const codes = [INSIDE, OUTSIDE, SCOPE, '110106', '110107009', '110107', '11', '110106008028000', '999999999999'];

/** Keys whose digit strings name a division. */
const divisionKey = /(^code$|Code$|^within$|^division$)/;

/** The scope's ancestors (province, city, district), in natural and 12-digit form: an answer may name them. */
const ancestors = [2, 4, 6].map((n) => SCOPE.slice(0, n)).flatMap((code) => [code, code.padEnd(12, '0')]);

/** A division code an answer names that lies outside the scope. */
function outsideScope(body: unknown, path = ''): string | undefined {
  if (Array.isArray(body)) {
    for (const [i, item] of body.entries()) {
      const found = outsideScope(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (
        divisionKey.test(key) &&
        typeof value === 'string' &&
        /^\d{2,12}$/.test(value) &&
        !value.startsWith(SCOPE) &&
        !ancestors.includes(value)
      ) {
        return `${path}.${key} = ${value}`;
      }
      const found = outsideScope(value, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

describe('the scope property', () => {
  it('flags a division outside the scope wherever it sits in an answer, and lets the scope’s ancestors pass', () => {
    expect(outsideScope({ items: [{ communityCode: INSIDE }, { communityCode: OUTSIDE }] })).toBe(`.items[1].communityCode = ${OUTSIDE}`);
    expect(outsideScope({ program: { districtCode: '110106' }, within: '110106000000', code: '11', scopeCode: SCOPE })).toBeUndefined();
    expect(outsideScope([{ code: '110107' }])).toBe('[0].code = 110107');
    expect(outsideScope({ categoryCode: 'parking', id: 110107 })).toBeUndefined();
  });
});

describe.each(backends)('fuzzing every route from the OpenAPI document on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  const tokens = new Map<Role, string>();
  let operations: Operation[] = [];
  let components: Record<string, Schema> = {};
  let policies = new Map<string, RoutePolicy>();
  let px: (community: string) => ProgramFixture;
  let pj: (community: string) => ProjectFixture;
  const appealIds: number[] = [];
  const userIds: number[] = [];

  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    await app.ready();
    for (const role of roles) {
      const { user } = await createUser(
        t.db.kysely,
        { login: `fuzz-${role.replace(/_/g, '-')}`, role, scope: SCOPE, password: 'a fuzzing long passphrase' },
        systemViewer,
      );
      tokens.set(role, (await createApiToken(t.db.kysely, user.id, 'fuzz', systemViewer)).token);
    }
    const secretaryId = (
      await t.db.kysely.selectFrom('app_user').select('id').where('login', '=', 'fuzz-secretary').executeTakeFirstOrThrow()
    ).id;
    px = await seedProgramsForMatrix(t.db, { inside: INSIDE, outside: OUTSIDE }, secretaryId);
    pj = await seedProjectsForMatrix(t.db, { inside: INSIDE, outside: OUTSIDE }, px);
    for (const community of [INSIDE, OUTSIDE]) {
      const appeal = await createAppeal(
        t.db.kysely,
        {
          channel: 'phone',
          kind: 'complaint',
          categoryCode: 'parking',
          description: '小区停车难',
          communityCode: community,
          reporterName: '李四',
          reporterPhone: '13911112222',
        },
        systemViewer,
      );
      appealIds.push(appeal.id);
    }
    for (const scope of [INSIDE, OUTSIDE]) {
      userIds.push(
        (
          await createUser(
            t.db.kysely,
            { login: `victim-${scope}`, role: 'viewer', scope, password: 'a victim long passphrase' },
            systemViewer,
          )
        ).user.id,
      );
    }
    const doc = app.swagger() as unknown as {
      paths: Record<string, Record<string, Schema>>;
      components?: { schemas?: Record<string, Schema> };
    };
    components = doc.components?.schemas ?? {};
    operations = operationsOf(doc).filter((op) => op.path.startsWith('/api/v1/'));
    policies = new Map(app.declaredRoutes.map((r) => [`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.policy]));
  });
  afterAll(async () => {
    await app.close();
  });

  /** Ids inside and outside the scope for a path parameter, and a few that exist nowhere. */
  function ids(param: string, path: string): number[] {
    const inside = px(INSIDE);
    const outside = px(OUTSIDE);
    const both = (pick: (f: ProgramFixture) => number) => [pick(inside), pick(outside)];
    const nowhere = [999_999, 2_147_483_647];
    if (path.startsWith('/api/v1/users')) return param === 'id' ? [...userIds, ...nowhere] : [1, ...nowhere];
    if (path.startsWith('/api/v1/appeals')) return [...appealIds, ...nowhere];
    if (path.startsWith('/api/v1/projects')) return [pj(INSIDE).projectId, pj(OUTSIDE).projectId, pj(INSIDE).milestoneId, ...nowhere];
    if (/batch/i.test(param) || path.startsWith('/api/v1/batches')) return [...both((f) => f.batchId), ...nowhere];
    if (/cadre/i.test(param) || path.startsWith('/api/v1/cadres'))
      return [...both((f) => f.cadreId), ...both((f) => f.otherCadreId), ...nowhere];
    if (/posting/i.test(param) || path.startsWith('/api/v1/postings')) return [...both((f) => f.postingId), ...nowhere];
    if (path.startsWith('/api/v1/apprenticeships')) return [...both((f) => f.apprenticeshipId), ...nowhere];
    if (/unit/i.test(param) || path.startsWith('/api/v1/units')) return [...both((f) => f.unitId), ...nowhere];
    if (/program/i.test(param) || path.startsWith('/api/v1/programs')) return [...both((f) => f.programId), ...nowhere];
    return [1, 2, ...nowhere];
  }

  /** Upload ids the previews answered, which the JSON import and preview are then sent. */
  const uploadIds: string[] = [];
  /** Exports the upload routes should take: one row each, inside the callers' scope. */
  let exported = 0;
  const goodExport = () =>
    `工单编号,受理时间,诉求类型,诉求内容,所属区,所属街道,所属社区\nFZU${++exported},2022-06-15 10:00,投诉,小区停车难,丰台区,六里桥街道,京铁家园社区\n`;

  /**
   * A multipart body from the operation's documented form: its text fields generated from their
   * schemas, its binary field a file; `broken`, one part of it is not what the form says.
   */
  function formOf(generator: Generator, op: Operation, broken: boolean): { payload: Buffer; contentType: string; shown: string } {
    const form = generator.resolve(op.form);
    const properties = (form.properties as Record<string, Schema> | undefined) ?? {};
    const required = new Set((form.required as string[] | undefined) ?? []);
    const files = uploadFiles([goodExport()]);
    const fields: Record<string, string> = {};
    const sent: FormFile[] = [];
    for (const [key, child] of Object.entries(properties)) {
      if (generator.resolve(child).format === 'binary') sent.push({ field: key, name: '导出.csv', content: generator.pick(files.good) });
      else if (required.has(key) || generator.random() < 0.5) fields[key] = formValue(generator.valid(child, key, op.path));
    }
    if (broken) {
      const roll = generator.random();
      const textFields = Object.keys(properties).filter((key) => !sent.some((f) => f.field === key));
      if (roll < 0.3 && sent.length) sent[0]!.content = generator.pick(files.bad);
      else if (roll < 0.4) sent.length = 0;
      else if (roll < 0.5 && sent.length)
        sent.push({ ...sent[0]!, name: generator.pick(['../../etc/passwd', '', 'a\u0000.csv', '=cmd.csv']) });
      else if (roll < 0.6 && sent.length) sent[0]!.name = generator.pick(['../../etc/passwd', '', '=cmd|x.csv', 'x'.repeat(400)]);
      else if (roll < 0.7) fields[generator.pick(['unexpected', 'uploadId', 'scopeCode'])] = formValue(generator.hostile());
      else if (textFields.length) fields[generator.pick(textFields)] = formValue(generator.hostile());
    }
    const { payload, contentType } = multipartBody(fields, sent);
    return {
      payload,
      contentType,
      shown: `multipart ${JSON.stringify(fields).slice(0, 150)} files ${sent.map((f) => `${f.field}:${f.name.slice(0, 20)}:${f.content.length}B`).join(',')}`,
    };
  }

  it('never answers 5xx, always answers errors as problem+json, never shows a division outside the caller’s scope', async () => {
    expect(operations.length).toBeGreaterThan(80);
    const forms = operations.filter((op) => op.form);
    // The upload routes document their multipart form, and the fuzzer sends it.
    expect(forms.map((op) => op.path).sort()).toEqual(['/api/v1/appeal-imports', '/api/v1/appeal-imports/preview']);
    const failures: string[] = [];
    const seen = (name: string) => (name === 'uploadId' ? uploadIds.slice(-3) : []);
    const generator = new Generator(mulberry32(SEED), components, { codes, ids, seen });
    const check = (res: Awaited<ReturnType<FastifyInstance['inject']>>, policy: RoutePolicy | undefined, where: string) => {
      if (res.statusCode >= 500) failures.push(`${res.statusCode} ${where}: ${res.body.slice(0, 300)}`);
      else if (res.statusCode >= 400) {
        const type = String(res.headers['content-type'] ?? '');
        const problem = type.includes('application/problem+json')
          ? (res.json() as { status?: number; title?: string; detail?: string; type?: string })
          : undefined;
        if (!problem || problem.status !== res.statusCode || !problem.title || !problem.type || typeof problem.detail !== 'string') {
          failures.push(`not problem+json ${res.statusCode} ${where}: ${type} ${res.body.slice(0, 200)}`);
        }
      } else if (policy?.kind !== 'public' && String(res.headers['content-type'] ?? '').includes('json')) {
        const leak = outsideScope(res.json());
        if (leak) failures.push(`outside the scope ${where}: ${leak}`);
      }
    };
    let sent = 0;
    let uploaded = 0;
    let uploadsTaken = 0;
    const callers: Array<Role | 'anonymous'> = ['anonymous', ...roles];
    for (const op of operations) {
      const policy = policies.get(`${op.method} ${op.path}`);
      for (const caller of callers) {
        for (let run = 0; run < RUNS; run++) {
          const broken = run % 2 === 1;
          // One part broken at a time: the path, the query or the body.
          const target = broken ? generator.pick(['path', 'query', 'body'] as const) : undefined;
          let url = op.path;
          const query: string[] = [];
          for (const param of op.parameters) {
            const value =
              broken && param.in === target && generator.random() < 0.7
                ? generator.hostile()
                : generator.valid(param.schema, param.name, op.path);
            if (param.in === 'path') url = url.replace(`{${param.name}}`, urlValue(value));
            else if (param.in === 'query' && (param.required || generator.random() < 0.6 || broken))
              query.push(`${param.name}=${urlValue(value)}`);
          }
          if (broken && target === 'query')
            query.push(`${generator.pick(['limit', 'cursor', 'q', 'from', 'to', 'unexpected'])}=${urlValue(generator.hostile())}`);
          if (query.length) url += `?${query.join('&')}`;
          const body = op.body ? generator.valid(op.body, '', op.path) : undefined;
          const payload = broken && target === 'body' ? generator.breakBody(body ?? {}) : body;
          const headers: Record<string, string> = caller === 'anonymous' ? {} : { authorization: `Bearer ${tokens.get(caller)}` };
          const hasBody = !['GET', 'DELETE'].includes(op.method) && payload !== undefined;
          const res = await app.inject({
            method: op.method as 'GET',
            url,
            headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
            ...(hasBody ? { payload: JSON.stringify(payload) } : {}),
          });
          sent++;
          check(res, policy, `${caller} ${op.method} ${url.slice(0, 200)}${hasBody ? ` ${JSON.stringify(payload).slice(0, 200)}` : ''}`);
          if (op.form) {
            const form = formOf(generator, op, broken);
            const upload = await app.inject({
              method: op.method as 'POST',
              url,
              headers: { ...headers, 'content-type': form.contentType },
              payload: form.payload,
            });
            sent++;
            uploaded++;
            if (upload.statusCode < 300 && typeof upload.json().uploadId === 'string') uploadIds.push(upload.json().uploadId);
            if (upload.statusCode < 300) uploadsTaken++;
            check(upload, policy, `${caller} ${op.method} ${url.slice(0, 200)} ${form.shown}`);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(operations.length * callers.length * RUNS - 1);
    expect(uploaded).toBe(forms.length * callers.length * RUNS);
    // Some uploads were taken (by the roles that import), so the form reached the import, not only the refusals.
    expect(uploadsTaken).toBeGreaterThan(0);
    expect(failures.slice(0, 30), `${failures.length} failures in ${sent} requests (seed ${SEED})`).toEqual([]);
  }, 600_000);
});
