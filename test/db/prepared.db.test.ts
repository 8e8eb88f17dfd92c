import {
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PostgresQueryCompiler,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { PREPARED_LIMIT, prepared, preparedName, preparedRead } from '../../src/db/prepared.ts';
import type { DivisionLevel, Tables } from '../../src/db/tables.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import * as appeals from '../../src/domains/appeals/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/**
 * The hot writes are prepared once per PostgreSQL connection (src/db/prepared.ts). That only
 * pays, and only stays bounded, if a write's statement text is the same whatever its input: a
 * description of two words and one of twenty, an address or none, must send the same text.
 */
class MarkedStatements implements KyselyPlugin {
  readonly texts: string[] = [];
  readonly #compiler = new PostgresQueryCompiler();
  transformQuery(args: PluginTransformQueryArgs) {
    const text = this.#compiler.compileQuery(args.node, args.queryId).sql;
    if (preparedName(text)) this.texts.push(text);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

describe.each(backends)('prepared write statements, on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('sends one statement text per kind of write, whatever the input', async () => {
    const marked = new MarkedStatements();
    const db = t.db.kysely.withPlugin(marked);
    const file = (description: string, extra: object = {}) =>
      appeals.createAppeal(
        db,
        { channel: 'phone', kind: 'complaint', categoryCode: 'noise', description, communityCode: '110106008028', ...extra },
        systemViewer,
      );
    const short = await file('噪音');
    await file('楼下饭馆油烟和噪音扰民，晚上十一点以后还在营业，居民多次反映没有结果', { address: '某某小区3号楼' });
    await file('施工噪音', { reporterName: '张三', reporterPhone: '13911112222' });
    expect(marked.texts).toHaveLength(3);
    expect(new Set(marked.texts).size).toBe(1);

    const step = (id: number, input: object) => appeals.appendEvent(db, id, input as never, systemViewer);
    const other = await file('夜间施工噪音扰民');
    marked.texts.length = 0;
    await step(short.id, { type: 'dispatch', unit: { name: '六里桥街道办事处', type: 'street_office' }, expectedVersion: 1 });
    await step(other.id, { type: 'dispatch', unit: { name: '丰台区城管执法局', type: 'department' }, note: '转城管', expectedVersion: 1 });
    expect(marked.texts).toHaveLength(2);
    expect(new Set(marked.texts).size).toBe(1);
  });

  it('builds a read once, and gives each call its own arguments', async () => {
    let builds = 0;
    const district = preparedRead((db: Kysely<Tables>, code: string, level: DivisionLevel) => {
      builds++;
      return db.selectFrom('division').select(['code', 'name']).where('code', '=', code).where('level', '=', level);
    });
    expect(await district(t.db.kysely, '110106', 'district')).toEqual([{ code: '110106', name: '丰台区' }]);
    expect(await district(t.db.kysely, '110108', 'district')).toEqual([{ code: '110108', name: '海淀区' }]);
    expect(await district(t.db.kysely, '110108', 'street')).toEqual([]);
    expect(builds).toBe(1);
    // With a plugin, each call is built with its own values, and the plugin sees each.
    const seen: unknown[][] = [];
    const recorded = t.db.kysely.withPlugin({
      transformQuery: (args) => {
        seen.push([...new PostgresQueryCompiler().compileQuery(args.node, args.queryId).parameters]);
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    expect(await district(recorded, '110106', 'district')).toHaveLength(1);
    expect(await district(recorded, '110108', 'district')).toHaveLength(1);
    expect(builds).toBe(3);
    expect(seen).toEqual([
      ['110106', 'district'],
      ['110108', 'district'],
    ]);
  });

  it('refuses a read that puts an argument anywhere but in a value', async () => {
    // Built once, the pattern would keep the first caller's text for every later caller.
    const named = preparedRead((db: Kysely<Tables>, part: string) =>
      db.selectFrom('division').select('code').where('name', 'like', `%${part}%`),
    );
    await expect(named(t.db.kysely, '丰台')).rejects.toThrow('argument 0 is not a value of the query');
  });

  it.runIf(backend === 'postgres')('prepares the reads a step makes, whatever its appeal', async () => {
    await t.db.withConnection(async ({ kysely }) => {
      const preparedTexts = async () =>
        (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'ma\\_%'`.execute(kysely)).rows
          .map((r) => r.statement)
          .sort();
      const file = (categoryCode: string) =>
        appeals.createAppeal(
          kysely,
          { channel: 'phone', kind: 'complaint', categoryCode, description: '噪音', communityCode: '110106008028' },
          systemViewer,
        );
      const dispatch = (id: number) =>
        appeals.appendEvent(
          kysely,
          id,
          { type: 'dispatch', unit: { name: '六里桥街道办事处', type: 'street_office' }, expectedVersion: 1 },
          systemViewer,
        );
      // Categories at different depths: their deadline rules are looked up by lineages of one and two codes.
      const shallow = await file('noise');
      const deep = await file('parking.shortage');
      await dispatch(shallow.id);
      const texts = await preparedTexts();
      expect(texts.filter((text) => /from "appeal"[\s\S]*"appeal"."id" = ANY\(\$1::bigint\[\]\)/.test(text))).toHaveLength(1);
      expect(texts.filter((text) => /from "deadline_rule"/.test(text))).toHaveLength(1);
      await dispatch(deep.id);
      expect(await preparedTexts()).toEqual(texts);
      expect((await appeals.getAppeal(kysely, deep.id, systemViewer)).events.map((e) => e.type)).toEqual(['received', 'dispatch']);
    });
  });

  it.runIf(backend === 'postgres')('prepares a marked statement once on its connection, and no more than the limit', async () => {
    await t.db.withConnection(async ({ kysely }) => {
      const preparedHere = async () =>
        (await sql<{ name: string }>`SELECT name FROM pg_prepared_statements WHERE name LIKE 'ma\\_%'`.execute(kysely)).rows.map(
          (r) => r.name,
        );
      const before = (await preparedHere()).length;
      for (let i = 0; i < 3; i++) await prepared(sql`SELECT ${i}::int AS n`).execute(kysely);
      expect(await preparedHere()).toHaveLength(before + 1);
      // An unmarked statement is not prepared.
      await sql`SELECT ${1}::int AS n, 'plain' AS kind`.execute(kysely);
      expect(await preparedHere()).toHaveLength(before + 1);
      // Statements whose text varies are capped: past the limit they run unnamed, and still answer.
      for (let i = 0; i < PREPARED_LIMIT + 10; i++) {
        const row = (await prepared(sql<{ n: number }>`SELECT ${i}::int + ${sql.lit(i)} AS n`).execute(kysely)).rows[0];
        expect(row?.n).toBe(2 * i);
      }
      expect(await preparedHere()).toHaveLength(PREPARED_LIMIT);
    });
  });
});
