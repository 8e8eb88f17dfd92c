import { PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { preparedName } from '../../src/db/prepared.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import * as appeals from '../../src/domains/appeals/service.ts';
import type { EventInput } from '../../src/domains/appeals/schemas.ts';
import { checkRollups } from '../../src/domains/evaluation/rollup.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/**
 * Steps taken at the same moment share one statement (appeals/step-queue.ts), each with its own
 * guard. Sharing must change nothing a clerk sees: each step lands on its own appeal with its own
 * event and audit entry, a step that lost a race is refused alone, and the rollups still equal a
 * recount, also when some steps of a statement count callbacks and others are refused.
 */
const filing = (n: number) => ({
  channel: 'phone' as const,
  kind: 'complaint' as const,
  categoryCode: n % 2 === 0 ? 'noise' : 'heating',
  description: `第 ${n} 号诉求：夜间施工噪音`,
  communityCode: n % 3 === 0 ? '110106008028' : '110105001024',
});

const dispatch: EventInput = { type: 'dispatch', unit: { name: '六里桥街道办事处', type: 'street_office' }, expectedVersion: 1 };
const respond: EventInput = { type: 'respond', expectedVersion: 2 };
const handle: EventInput = { type: 'handle', result: '已协调施工时间', expectedVersion: 3 };
const callback = (satisfied: boolean): EventInput => ({
  type: 'callback',
  contacted: true,
  solved: satisfied,
  satisfaction: satisfied ? 'satisfied' : 'unsatisfied',
  expectedVersion: 4,
});

async function settle<T>(work: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await work };
  } catch (error) {
    return { error };
  }
}

describe.each(backends)('steps taken at the same moment, on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('go in a few statements, each step on its own appeal with its event, audit entry and counts', async () => {
    const db = t.db.kysely;
    const filed = await Promise.all(Array.from({ length: 40 }, (_, n) => appeals.createAppeal(db, filing(n), systemViewer)));
    const ids = filed.map((a) => a.id);
    for (const step of [dispatch, respond, handle]) await Promise.all(ids.map((id) => appeals.appendEvent(db, id, step, systemViewer)));

    const texts: string[] = [];
    const compiler = new PostgresQueryCompiler();
    // The step statements the driver receives, as their text.
    const counting = db.withPlugin({
      transformQuery(args) {
        texts.push(compiler.compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      async transformResult(args) {
        return args.result;
      },
    });
    // Callbacks: every one moves the rollups, half of them satisfied.
    const answered = await Promise.all(ids.map((id, n) => appeals.appendEvent(counting, id, callback(n % 2 === 0), systemViewer)));
    const statements = texts.filter((text) => preparedName(text) !== undefined && text.includes('UPDATE appeal a SET'));
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.length).toBeLessThan(10);

    // Each answer is its own appeal's, with its whole timeline.
    for (const [n, appeal] of answered.entries()) {
      expect(appeal.id).toBe(ids[n]);
      expect(appeal.version).toBe(5);
      expect(appeal.satisfaction).toBe(n % 2 === 0 ? 'satisfied' : 'unsatisfied');
      expect(appeal.events.map((e) => e.type)).toEqual(['received', 'dispatch', 'respond', 'handle', 'callback']);
    }
    const stored = await sql<{ events: number; audits: number; satisfied: number }>`SELECT
        (SELECT count(*) FROM appeal_event WHERE appeal_id = ANY(${ids}::bigint[]))::int AS events,
        (SELECT count(*) FROM audit_log WHERE action = 'appeal.callback' AND entity_id = ANY(${ids.map(String)}::text[]))::int AS audits,
        (SELECT count(*) FROM appeal WHERE id = ANY(${ids}::bigint[]) AND satisfaction = 'satisfied')::int AS satisfied`.execute(db);
    expect(stored.rows[0]).toEqual({ events: 200, audits: 40, satisfied: 20 });
    expect(await checkRollups(db)).toEqual([]);
  });

  it('refuse a step that lost its race alone, and count only the steps written', async () => {
    const db = t.db.kysely;
    const filed = await Promise.all(Array.from({ length: 24 }, (_, n) => appeals.createAppeal(db, filing(500 + n), systemViewer)));
    const ids = filed.map((a) => a.id);
    for (const step of [dispatch, respond, handle]) await Promise.all(ids.map((id) => appeals.appendEvent(db, id, step, systemViewer)));
    // Two callbacks race for each of the first eight appeals: one satisfied, one not; one of each pair wins.
    const outcomes = await Promise.all([
      ...ids.map((id) => settle(appeals.appendEvent(db, id, callback(true), systemViewer))),
      ...ids.slice(0, 8).map((id) => settle(appeals.appendEvent(db, id, callback(false), systemViewer))),
    ]);
    const refused = outcomes.filter((o): o is { error: unknown } => 'error' in o);
    expect(refused).toHaveLength(8);
    for (const { error } of refused) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).kind).toBe('conflict');
    }
    const events = await sql<{ appeal_id: string; n: number }>`SELECT appeal_id, count(*)::int AS n FROM appeal_event
      WHERE appeal_id = ANY(${ids}::bigint[]) AND type = 'callback' GROUP BY appeal_id`.execute(db);
    expect(events.rows).toHaveLength(24);
    expect(events.rows.every((r) => r.n === 1)).toBe(true);
    expect(await checkRollups(db)).toEqual([]);
  });
});

/**
 * Steps taken together must not wait for an appeal another transaction holds while holding the
 * others: an import holds its appeals statement by statement until it commits, and a step that
 * held one of the import's next appeals while waiting for another would deadlock with it (and
 * fail the import). The held appeal's step waits alone; the steps beside it land meanwhile.
 * PostgreSQL only: PGlite has one connection, so no transaction holds a row while a step runs.
 */
describe.skipIf(!backends.includes('postgres'))('steps beside an appeal another transaction holds, on postgres', () => {
  const t = useTestDatabase('postgres');

  it('land the others while the held one waits alone, and never deadlock', async () => {
    const db = t.db.kysely;
    const filed = await Promise.all(Array.from({ length: 24 }, (_, n) => appeals.createAppeal(db, filing(700 + n), systemViewer)));
    const ids = filed.map((a) => a.id);
    for (const step of [dispatch, respond, handle]) await Promise.all(ids.map((id) => appeals.appendEvent(db, id, step, systemViewer)));
    const held = ids.at(-1)!;
    const others = ids.slice(0, -1);

    let heldStep: Promise<unknown> | undefined;
    await db.transaction().execute(async (importing) => {
      await sql`SELECT 1 FROM appeal WHERE id = ${held} FOR SHARE`.execute(importing);
      // Whether the held appeal's step goes alone or beside others, no lane waits for it.
      const otherSteps = others.map((id, n) => appeals.appendEvent(db, id, callback(n % 2 === 0), systemViewer));
      heldStep = settle(appeals.appendEvent(db, held, callback(true), systemViewer));
      const landed = await Promise.race([
        Promise.all(otherSteps).then(() => 'landed' as const),
        new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 15_000)),
      ]);
      expect(landed).toBe('landed');
      // As an import's next statement: the other appeals are free, not held by a step waiting for ours.
      await sql`SELECT 1 FROM appeal WHERE id = ANY(${others}::bigint[]) ORDER BY id FOR SHARE`.execute(importing);
    });
    expect(await heldStep).toMatchObject({ value: { id: held, version: 5 } });
    const callbacks = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeal_event
      WHERE appeal_id = ANY(${ids}::bigint[]) AND type = 'callback'`.execute(db);
    expect(callbacks.rows[0]!.n).toBe(24);
    expect(await checkRollups(db)).toEqual([]);
  });
});
