import { PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { preparedName } from '../../src/db/prepared.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import * as appeals from '../../src/domains/appeals/service.ts';
import { checkRollups } from '../../src/domains/evaluation/rollup.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/**
 * Appeals filed at the same moment share one statement (appeals/filing-queue.ts). Sharing must
 * change nothing a filer sees: each gets its own appeal, or its own refusal when it alone is
 * wrong, and the rollups still equal a recount.
 */
const filing = (n: number, extra: object = {}) => ({
  channel: 'phone' as const,
  kind: 'complaint' as const,
  categoryCode: n % 2 === 0 ? 'noise' : 'heating',
  description: `第 ${n} 号诉求：楼下噪音扰民`,
  communityCode: n % 3 === 0 ? '110106008028' : '110105001024',
  ...extra,
});

async function settle<T>(work: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await work };
  } catch (error) {
    return { error };
  }
}

describe.each(backends)('appeals filed at the same moment, on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('go in a few statements, each appeal stored once with its event, audit entry and counts', async () => {
    const texts: string[] = [];
    const compiler = new PostgresQueryCompiler();
    // The filing statements the driver receives, as their text.
    const counting = t.db.kysely.withPlugin({
      transformQuery(args) {
        texts.push(compiler.compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    });
    const filed = await Promise.all(Array.from({ length: 40 }, (_, n) => appeals.createAppeal(counting, filing(n), systemViewer)));
    const statements = texts.filter((text) => preparedName(text) !== undefined && text.includes('INSERT INTO appeal ('));
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.length).toBeLessThan(10);

    const ids = filed.map((a) => a.id);
    expect(new Set(ids).size).toBe(40);
    expect(new Set(filed.map((a) => a.ticketNo)).size).toBe(40);
    // Each answer is its own filing's, not a neighbour's.
    for (const [n, appeal] of filed.entries()) {
      expect(appeal.description).toBe(filing(n).description);
      expect(appeal.communityCode).toBe(filing(n).communityCode);
      expect(appeal.events).toHaveLength(1);
    }
    const stored = await sql<{ appeals: number; events: number; audits: number }>`SELECT
        (SELECT count(*) FROM appeal WHERE id = ANY(${ids}::bigint[]))::int AS appeals,
        (SELECT count(*) FROM appeal_event WHERE appeal_id = ANY(${ids}::bigint[]))::int AS events,
        (SELECT count(*) FROM audit_log WHERE action = 'appeal.create' AND entity_id = ANY(${ids.map(String)}::text[]))::int AS audits`.execute(
      t.db.kysely,
    );
    expect(stored.rows[0]).toEqual({ appeals: 40, events: 40, audits: 40 });
    expect(await checkRollups(t.db.kysely)).toEqual([]);
  });

  it('answer a wrong filing alone, and let the others in its batch land', async () => {
    const db = t.db.kysely;
    const ticket = `12345-BATCH-${backend}`;
    const outcomes = await Promise.all([
      ...Array.from({ length: 12 }, (_, n) => settle(appeals.createAppeal(db, filing(100 + n), systemViewer))),
      settle(appeals.createAppeal(db, filing(200, { categoryCode: 'no.such.category' }), systemViewer)),
      settle(appeals.createAppeal(db, filing(201, { ticketNo: ticket }), systemViewer)),
      settle(appeals.createAppeal(db, filing(202, { ticketNo: ticket }), systemViewer)),
      settle(appeals.createAppeal(db, filing(203, { communityCode: undefined, streetCode: '110106008' }), systemViewer)),
      ...Array.from({ length: 12 }, (_, n) => settle(appeals.createAppeal(db, filing(300 + n), systemViewer))),
    ]);
    const refused = outcomes.filter((o): o is { error: unknown } => 'error' in o);
    expect(refused).toHaveLength(2);
    const [category, duplicate] = refused.map((o) => o.error);
    expect(category).toBeInstanceOf(AppError);
    expect((category as AppError).kind).toBe('invalid');
    expect(JSON.stringify((category as AppError).errors)).toContain('categoryCode');
    expect(duplicate).toBeInstanceOf(AppError);
    expect((duplicate as AppError).kind).toBe('conflict');

    const landed = outcomes.flatMap((o) => ('value' in o ? [o.value] : []));
    expect(landed).toHaveLength(26);
    expect(landed.filter((a) => a.ticketNo === ticket)).toHaveLength(1);
    const streetOnly = landed.find((a) => a.description === filing(203).description);
    const queued = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM appeal_unmatched WHERE appeal_id = ${streetOnly?.id ?? 0}`.execute(db);
    expect(queued.rows[0]?.n).toBe(1);
    expect(await checkRollups(db)).toEqual([]);
  });
});
