import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.ts';
import { systemViewer } from '../../../src/domains/accounts/viewer.ts';
import { generateAppeals, loadCommunities, type GeneratorCommunity } from '../../../src/demo/generator.ts';
import { writeHotlineFile } from '../../../src/demo/hotline-file.ts';
import { importAppealFiles, importAppeals, type ImportOptions } from '../../../src/domains/appeals/import/service.ts';
import { checkRollups } from '../../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../../support/databases.ts';
import { dir } from './fixtures.ts';

/**
 * The bulk path (appeal's secondary indexes and the foreign keys of appeal and appeal_event
 * dropped while the rows go in, built again before the commit) must leave exactly what the
 * ordinary path leaves: the same appeals, events, queue, problems and rollups.
 */
const importer = { ...systemViewer, actor: 'bulk-test' };
const COUNT = 1_500;
/** Outcomes known by the first export: about half the window; the second knows them all. */
const firstNow = new Date('2022-06-01T00:00:00Z');
const now = new Date('2024-01-01T00:00:00Z');

async function exportFile(name: string, communities: GeneratorCommunity[], outcomesUntil?: Date, seed = 'bulk-test'): Promise<string> {
  const file = path.join(dir, name);
  // The seed decides the tickets too: another seed, other tickets.
  const appeals = generateAppeals({ count: COUNT, seed, communities, ...(outcomesUntil ? { now: outcomesUntil } : {}) });
  // Messy: other time formats, repeated and broken rows, communities nobody can match.
  await writeHotlineFile(appeals, file, { messy: true, seed: 'bulk-test' });
  return file;
}

/** Everything an import writes, without what differs by when it ran (created_at, recorded_at, import ids). */
async function stored(db: Database) {
  const k = db.kysely;
  const appeals = await sql`SELECT ticket_no, channel, received_at, kind, category_code, description, address, community_code, street_code,
      district_code, reporter_name, reporter_phone, urgency, historical, status, dispatched_unit, dispatched_unit_type, dispatched_at,
      response_due_at, handling_due_at, responded_at, handled_at, contacted, solved, satisfaction, last_callback_at, closed_at,
      last_event_at, version, search_words, created_by
    FROM appeal ORDER BY ticket_no`.execute(k);
  const events = await sql`SELECT a.ticket_no, e.seq, e.type, e.at, e.actor, e.data FROM appeal_event e JOIN appeal a ON a.id = e.appeal_id
    ORDER BY a.ticket_no, e.seq`.execute(k);
  const queue = await sql`SELECT a.ticket_no, u.given_street, u.given_community, u.reason, u.resolved_at IS NULL AS open, u.community_code
    FROM appeal_unmatched u JOIN appeal a ON a.id = u.appeal_id ORDER BY a.ticket_no`.execute(k);
  const problems = await sql`SELECT row_no, column_name, value, ticket_no, severity, reason_zh FROM appeal_import_problem
    ORDER BY import_id, row_no, column_name, severity, reason_zh`.execute(k);
  const rollup =
    await sql`SELECT * FROM appeal_month_rollup ORDER BY month, district_code, street_code, community_code, category_code, kind`.execute(k);
  const place = await sql`SELECT * FROM appeal_month_place ORDER BY month, district_code, street_code, community_code, kind`.execute(k);
  const counts = await sql`SELECT * FROM place_month_counts ORDER BY month, district_code, street_code, community_code`.execute(k);
  return {
    appeals: appeals.rows,
    events: events.rows,
    queue: queue.rows,
    problems: problems.rows,
    rollup: rollup.rows,
    place: place.rows,
    counts: counts.rows,
  };
}

/** appeal's and appeal_event's indexes and constraints, as the catalog defines them. */
async function schemaOf(db: Database) {
  const indexes = await sql<{
    def: string;
  }>`SELECT indexdef AS def FROM pg_indexes WHERE tablename IN ('appeal', 'appeal_event') ORDER BY 1`.execute(db.kysely);
  const constraints = await sql<{
    def: string;
  }>`SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS def
    FROM pg_constraint WHERE conrelid IN ('appeal'::regclass, 'appeal_event'::regclass) ORDER BY 1`.execute(db.kysely);
  return [...indexes.rows, ...constraints.rows].map((r) => r.def);
}

const summaryCounts = ({
  rowsTotal,
  inserted,
  updated,
  unchanged,
  unmatched,
  badRows,
  warnings,
}: Awaited<ReturnType<typeof importAppeals>>) => ({ rowsTotal, inserted, updated, unchanged, unmatched, badRows, warnings });

describe.each(backends)('bulk imports on %s', (backend) => {
  const ordinary = useTestDatabase(backend);
  const bulk = useTestDatabase(backend);
  let first: string;
  let second: string;
  let schema: string[];

  beforeAll(async () => {
    const communities = await loadCommunities('11', '110106');
    first = await exportFile(`bulk-first-${backend}.csv`, communities, firstNow);
    second = await exportFile(`bulk-second-${backend}.csv`, communities);
    schema = await schemaOf(bulk.db);
    expect(schema.some((d) => d.includes('USING gin'))).toBe(true);
    expect(schema.some((d) => d.includes('FOREIGN KEY'))).toBe(true);
  });

  const both = async (file: string, options: ImportOptions) => {
    const a = await importAppeals(ordinary.db, file, importer, { ...options, now, bulk: false });
    const b = await importAppeals(bulk.db, file, importer, { ...options, now, bulk: true });
    expect(summaryCounts(b)).toEqual(summaryCounts(a));
    expect(await stored(bulk.db)).toEqual(await stored(ordinary.db));
    expect(await checkRollups(bulk.db.kysely)).toEqual([]);
    expect(await schemaOf(bulk.db)).toEqual(schema);
    return b;
  };

  it('lands the same appeals, events, queue, problems and rollups as the ordinary path, into an empty table and a full one', async () => {
    const loaded = await both(first, { chunkRows: 400 });
    expect(loaded).toMatchObject({ status: 'done', inserted: expect.any(Number), badRows: expect.any(Number) });
    expect(loaded.inserted).toBeGreaterThan(COUNT * 0.95);
    expect(loaded.badRows).toBeGreaterThan(0);
    expect(loaded.unmatched).toBeGreaterThan(0);
    // A newer export of the same tickets: outcomes change, each with an event of its own.
    const newer = await both(second, { chunkRows: 400, parallel: true });
    expect(newer.updated).toBeGreaterThan(0);
    // And once more: nothing changes.
    const again = await both(second, { chunkRows: 700 });
    expect(again).toMatchObject({ inserted: 0, updated: 0 });
  });

  // A first load skips looking up the tickets of a chunk its reader has not seen before in the
  // batch (none can be stored yet); a newer export of the same tickets in the same batch must
  // still find them, on this thread and in the reader's worker.
  const apart = useTestDatabase(backend);
  const batchedHere = useTestDatabase(backend);
  const batchedInWorker = useTestDatabase(backend);

  it('lands a first load of two exports as one batch, the second newer for the same tickets, as the two imported one after the other', async () => {
    const options = { now, bulk: true, chunkRows: 400 };
    const one = await importAppeals(apart.db, first, importer, options);
    const two = await importAppeals(apart.db, second, importer, options);
    expect(two.updated).toBeGreaterThan(0);
    for (const [batched, parallel] of [
      [batchedHere, false],
      [batchedInWorker, true],
    ] as const) {
      const summaries = await importAppealFiles(batched.db, [{ file: first }, { file: second }], importer, { ...options, parallel });
      expect(summaries.map(summaryCounts)).toEqual([summaryCounts(one), summaryCounts(two)]);
      expect(await stored(batched.db)).toEqual(await stored(apart.db));
      expect(await checkRollups(batched.db.kysely)).toEqual([]);
    }
  });

  it('leaves the indexes, keys and rows as they were after a failure halfway through a bulk load', async () => {
    const before = await stored(bulk.db);
    let chunks = 0;
    const file = await exportFile(`bulk-crash-${backend}.csv`, await loadCommunities('11', '110107'), undefined, 'bulk-crash');
    await expect(
      importAppeals(bulk.db, file, importer, {
        now,
        bulk: true,
        chunkRows: 300,
        onProgress: () => {
          if (++chunks === 2) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(await schemaOf(bulk.db)).toEqual(schema);
    const after = await stored(bulk.db);
    expect(after.appeals).toEqual(before.appeals);
    expect(after.events).toEqual(before.events);
    expect(after.rollup).toEqual(before.rollup);
    // The rerun lands it whole, once: as the ordinary path lands it.
    const rerun = await both(file, { chunkRows: 300 });
    expect(rerun.inserted).toBeGreaterThan(COUNT / 2);
  });
});
