import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import * as appeals from '../../src/domains/appeals/service.ts';
import { matchUnmatched } from '../../src/domains/appeals/import/service.ts';
import type { EventInput } from '../../src/domains/appeals/schemas.ts';
import { defaultEvaluationConfig } from '../../src/domains/evaluation/config.ts';
import { checkRollups, sweepOverdue } from '../../src/domains/evaluation/rollup.ts';
import { updateConfig } from '../../src/domains/evaluation/service.ts';
import type { Tables } from '../../src/db/tables.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/**
 * Fifty writers at once (issue 15): each files appeals and takes them through their lifecycle,
 * some race each other for the same appeal or the same queue row, and the rollups, moved by
 * differences, must still equal a recount from the appeals afterwards. On PostgreSQL the writers
 * run in up to ten transactions at a time (the pool), so row locks, deadlocks and lost updates
 * would show; on PGlite they take turns, which the same properties must survive.
 */
const CLIENTS = 50;
const now = new Date('2023-03-31T00:00:00Z');

type Outcome = { ok: true } | { ok: false; kind: string; reason: string };

/** Runs a write; a refusal the service meant (409 conflict) is an outcome, anything else fails the test. */
async function attempt(write: () => Promise<unknown>): Promise<Outcome> {
  try {
    await write();
    return { ok: true };
  } catch (error) {
    if (error instanceof AppError && error.kind === 'conflict') return { ok: false, kind: error.kind, reason: error.en };
    throw error;
  }
}

/** A deterministic stream of numbers per client, so a failure can be replayed. */
function randomFor(seed: number): () => number {
  let state = seed * 2654435761 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 1_000_000) / 1_000_000;
  };
}

async function communities(db: Kysely<Tables>, within: string, count: number): Promise<string[]> {
  const rows = await sql<{
    code: string;
  }>`SELECT code FROM division WHERE level = 'community' AND code LIKE ${`${within}%`} ORDER BY code LIMIT ${count}`.execute(db);
  return rows.rows.map((r) => r.code);
}

/** One client's life: files appeals and takes each through dispatch, response, handling, callbacks (in two months), reopening and closing. */
async function client(db: Kysely<Tables>, prefix: string, n: number, places: string[], tickets: string[]): Promise<Outcome[]> {
  const random = randomFor(n + 1);
  const outcomes: Outcome[] = [];
  for (let i = 0; i < 2; i++) {
    const community = places[Math.floor(random() * places.length)]!;
    const ticketNo = `${prefix}-${n}-${i}`;
    const created = await appeals.createAppeal(
      db,
      {
        ticketNo,
        channel: 'phone',
        kind: random() < 0.8 ? 'complaint' : 'consultation',
        categoryCode: random() < 0.5 ? 'parking.shortage' : 'heating',
        description: '并发写入测试',
        communityCode: community,
        receivedAt: `2023-01-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}T02:00:00Z`,
      },
      systemViewer,
      { now },
    );
    tickets.push(ticketNo);
    const steps: EventInput[] = [
      { type: 'dispatch', expectedVersion: 1, unit: { name: '街道办事处', type: 'street_office' }, at: '2023-02-01T01:00:00Z' },
      { type: 'respond', expectedVersion: 2, at: random() < 0.3 ? '2023-02-01T20:00:00Z' : '2023-02-01T02:00:00Z' },
      { type: 'handle', expectedVersion: 3, result: '已办理', at: '2023-02-02T01:00:00Z' },
      {
        type: 'callback',
        expectedVersion: 4,
        contacted: true,
        solved: random() < 0.7,
        satisfaction: 'basically',
        at: '2023-02-10T01:00:00Z',
      },
      { type: 'reopen', expectedVersion: 5, reason: '仍未解决', to: 'dispatched', at: '2023-02-11T01:00:00Z' },
      { type: 'respond', expectedVersion: 6, at: '2023-02-11T02:00:00Z' },
      { type: 'handle', expectedVersion: 7, result: '再次办理', at: '2023-03-01T01:00:00Z' },
      // A later callback in March: the callback figures move from February to March.
      { type: 'callback', expectedVersion: 8, contacted: true, solved: true, satisfaction: 'satisfied', at: '2023-03-02T01:00:00Z' },
      { type: 'close', expectedVersion: 9, at: '2023-03-03T01:00:00Z' },
    ];
    const stop = 3 + Math.floor(random() * (steps.length - 2));
    for (const step of steps.slice(0, stop))
      outcomes.push(await attempt(() => appeals.appendEvent(db, created.id, step, systemViewer, { now })));
  }
  return outcomes;
}

describe.each(backends)('fifty concurrent writers on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('spread over a district: every appeal stored once, every step once, the rollups equal a recount', { timeout: 120_000 }, async () => {
    const db = t.db.kysely;
    const places = await communities(db, '110106', 40);
    const tickets: string[] = [];
    const outcomes = (await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(db, 'SPREAD', n, places, tickets)))).flat();
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    const stored = await sql<{
      ticket_no: string;
      n: number;
    }>`SELECT ticket_no, count(*)::int AS n FROM appeal WHERE ticket_no LIKE 'SPREAD-%' GROUP BY ticket_no`.execute(db);
    expect(stored.rows).toHaveLength(tickets.length);
    expect(stored.rows.every((r) => r.n === 1)).toBe(true);
    // Every acknowledged step is one event, and the stored version is the last of them.
    const events = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM appeal_event e JOIN appeal a ON a.id = e.appeal_id WHERE a.ticket_no LIKE 'SPREAD-%'`.execute(db);
    expect(events.rows[0]!.n).toBe(tickets.length + outcomes.length);
    expect(await checkRollups(db)).toEqual([]);
  });

  it('in one community-month (the hot cell), with races for the same appeal and the same queue row', { timeout: 120_000 }, async () => {
    const db = t.db.kysely;
    const [hot] = await communities(db, '110106008028', 1);
    const tickets: string[] = [];
    // Fifty writers into one community, one category, one month, plus pairs racing for one appeal.
    const shared = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        appeals.createAppeal(
          db,
          {
            ticketNo: `S-${i}`,
            channel: 'phone',
            kind: 'complaint',
            categoryCode: 'heating',
            description: '暖气不热',
            communityCode: hot!,
            receivedAt: '2023-01-15T02:00:00Z',
          },
          systemViewer,
          { now },
        ),
      ),
    );
    const races = shared.flatMap((appeal) =>
      [0, 1].map(() =>
        attempt(() =>
          appeals.appendEvent(
            db,
            appeal.id,
            { type: 'dispatch', expectedVersion: 1, unit: { name: '六里桥街道办事处', type: 'street_office' }, at: '2023-01-15T03:00:00Z' },
            systemViewer,
            { now },
          ),
        ),
      ),
    );
    // Appeals that named only their district, matched from the queue by two people at once.
    const waiting = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        appeals.createAppeal(
          db,
          {
            ticketNo: `U-${i}`,
            channel: 'phone',
            kind: 'complaint',
            categoryCode: 'heating',
            description: '暖气不热',
            districtCode: '110106',
            receivedAt: '2023-01-16T02:00:00Z',
          },
          systemViewer,
          { now },
        ),
      ),
    );
    // Filed naming only their district, they wait in the unmatched queue.
    const queue = await Promise.all(
      waiting.map(
        async (appeal) =>
          (await sql<{ id: number }>`SELECT id FROM appeal_unmatched WHERE appeal_id = ${appeal.id}`.execute(db)).rows[0]!.id,
      ),
    );
    const matches = queue.flatMap((id) => [0, 1].map(() => attempt(() => matchUnmatched(db, id, hot!, systemViewer))));
    const writers = Array.from({ length: CLIENTS }, (_, n) => client(db, 'HOT', n, [hot!], tickets));
    const [raced, matched, written] = await Promise.all([Promise.all(races), Promise.all(matches), Promise.all(writers)]);

    // Of each pair exactly one won; the other was told why (409), never a 500.
    expect(raced.filter((o) => o.ok)).toHaveLength(shared.length);
    expect(matched.filter((o) => o.ok)).toHaveLength(queue.length);
    expect(written.flat().filter((o) => !o.ok)).toEqual([]);
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeal WHERE ticket_no LIKE 'HOT-%'`.execute(db);
    expect(stored.rows[0]!.n).toBe(tickets.length);
    expect(await checkRollups(db)).toEqual([]);
    const cell = await sql<{
      volume: number;
    }>`SELECT sum(volume)::int AS volume FROM place_month_counts WHERE community_code = ${hot!} AND month = date '2023-01-01'`.execute(db);
    const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeal WHERE community_code = ${hot!}
      AND received_at >= timestamptz '2023-01-01 00:00+08' AND received_at < timestamptz '2023-02-01 00:00+08'`.execute(db);
    expect(cell.rows[0]!.volume).toBe(counted.rows[0]!.n);
  });

  it('while the rules change under them: periods from the 26th, kinds taken off a rate, and back', { timeout: 120_000 }, async () => {
    const db = t.db.kysely;
    const places = await communities(db, '110106', 20);
    const tickets: string[] = [];
    // Writers count by the rules they last saw; each change of rules lands between their writes.
    const fromThe26th = { ...defaultEvaluationConfig, periodStartDay: 26 };
    const narrower = { ...fromThe26th, ratesByKind: { ...defaultEvaluationConfig.ratesByKind, complaint: ['response'] } };
    const changes = (async () => {
      for (const rules of [fromThe26th, narrower, defaultEvaluationConfig, fromThe26th]) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await updateConfig(db, rules, systemViewer);
      }
    })();
    const outcomes = (
      await Promise.all([...Array.from({ length: 20 }, (_, n) => client(db, 'RULES', n, places, tickets)), changes.then(() => [])])
    ).flat();
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(await checkRollups(db)).toEqual([]);
    // Counted in periods from the 26th: 2023-01-27 lies in February's period.
    const late = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM appeal_month_rollup WHERE month = date '2023-02-01' AND community_code = ANY(${places})`.execute(db);
    expect(late.rows[0]!.n).toBeGreaterThan(0);

    // A writer that counted by one set of rules, then writes after they changed: it must not count by the old.
    await updateConfig(db, defaultEvaluationConfig, systemViewer);
    const file = (ticketNo: string, receivedAt: string) =>
      appeals.createAppeal(
        db,
        {
          ticketNo,
          channel: 'phone',
          kind: 'complaint',
          categoryCode: 'heating',
          description: '暖气不热',
          communityCode: places[0]!,
          receivedAt,
        },
        systemViewer,
        { now },
      );
    await file('RULES-before', '2023-01-05T02:00:00Z');
    await updateConfig(db, fromThe26th, systemViewer);
    await file('RULES-after', '2023-01-27T02:00:00Z');
    expect(await checkRollups(db)).toEqual([]);
    await updateConfig(db, defaultEvaluationConfig, systemViewer);
    expect(await checkRollups(db)).toEqual([]);
  });

  it('counts a deadline that passes between writes once, through the sweep', async () => {
    const db = t.db.kysely;
    const filedAt = new Date();
    const hour = 3_600_000;
    const appeal = await appeals.createAppeal(
      db,
      {
        channel: 'phone',
        kind: 'complaint',
        categoryCode: 'water',
        description: '没水了',
        communityCode: '110106008028',
        receivedAt: filedAt.toISOString(),
      },
      systemViewer,
    );
    await appeals.appendEvent(
      db,
      appeal.id,
      { type: 'dispatch', expectedVersion: 1, unit: { name: '自来水公司', type: 'utility' } },
      systemViewer,
    );
    const overdue = async () =>
      (
        await sql<{ n: number }>`SELECT coalesce(sum(overdue), 0)::int AS n FROM place_month_counts WHERE community_code = '110106008028'
      AND month = date_trunc('month', ${filedAt}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`.execute(db)
      ).rows[0]!.n;
    const before = await overdue();
    // Within the response time nothing is due; days later the response is, once however often the sweep runs.
    expect(await sweepOverdue(db, new Date(filedAt.getTime() + hour))).toBe(0);
    expect(await sweepOverdue(db, new Date(filedAt.getTime() + 30 * 24 * hour))).toBe(1);
    expect(await sweepOverdue(db, new Date(filedAt.getTime() + 31 * 24 * hour))).toBe(0);
    expect(await overdue()).toBe(before + 1);
    expect(await checkRollups(db)).toEqual([]);
    // A late response keeps it overdue (it was late); the rollups still equal a recount.
    await appeals.appendEvent(db, appeal.id, { type: 'respond', expectedVersion: 2 }, systemViewer, {
      now: new Date(filedAt.getTime() + 30 * 24 * hour),
    });
    expect(await overdue()).toBe(before + 1);
    expect(await checkRollups(db)).toEqual([]);
  });
});

/**
 * The sweep holds the appeals it turns overdue while it counts them: waiting meanwhile for one an
 * import holds (the import locks its appeals statement by statement until it commits) could
 * deadlock with that import. It skips a held appeal instead, and a later sweep counts it.
 * PostgreSQL only: on PGlite's one connection nothing else holds a row while the sweep runs.
 */
describe.skipIf(!backends.includes('postgres'))('the overdue sweep beside an appeal another transaction holds, on postgres', () => {
  const t = useTestDatabase('postgres');

  it('skips it without waiting, and counts it at the next sweep', async () => {
    const db = t.db.kysely;
    const filedAt = new Date();
    const day = 24 * 3_600_000;
    const filed = await appeals.createAppeal(
      db,
      { channel: 'phone', kind: 'complaint', categoryCode: 'water', description: '停水三天', communityCode: '110106008028' },
      systemViewer,
    );
    await appeals.appendEvent(
      db,
      filed.id,
      { type: 'dispatch', expectedVersion: 1, unit: { name: '自来水公司', type: 'utility' } },
      systemViewer,
    );

    await db.transaction().execute(async (importing) => {
      await sql`SELECT 1 FROM appeal WHERE id = ${filed.id} FOR SHARE`.execute(importing);
      const swept = await Promise.race([
        sweepOverdue(db, new Date(filedAt.getTime() + 30 * day)),
        new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 10_000)),
      ]);
      expect(swept).toBe(0);
    });
    expect(await sweepOverdue(db, new Date(filedAt.getTime() + 30 * day + 60_000))).toBe(1);
    expect(await checkRollups(db)).toEqual([]);
  });
});
