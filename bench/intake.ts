/**
 * The live write path benchmark (issue 15), on PostgreSQL, in one run:
 *   1. the baseline: a bare Fastify + pg server written here, one INSERT per POST;
 *   2. mustanswer's `POST /api/v1/appeals` (appeals spread over Beijing's communities, and all
 *      into one community: the hot cell) and a mix of lifecycle steps
 *      (`POST /api/v1/appeals/{id}/events`: dispatch, respond, handle, callback, close),
 * each with 1 and 50 connections (autocannon, in a process of its own), first with 10,000
 * appeals stored, then with `--appeals` (default 1,000,000; `--scale 1` = 24,000,000, Beijing's
 * year). It prints req/s, p50 and p99 of each and the ratios that the goals are stated in: to the
 * baseline at the same connections, and the single-connection p50 to its value at 10,000.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/intake.ts
 *   … --appeals 200000 --seconds 5          # a quick look
 *   … --scale 1 --reuse                     # 24 M, keeping the database's appeals between runs
 *   … --database mustanswer_intake_24m      # the database to keep them in (default mustanswer_intake)
 *   … --store-only                          # only store the appeals (hours at 24 M), to measure later on an idle machine
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { openPostgres, type Database } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { loadProvince } from '../src/domains/geo/load.ts';
import { rebuildRollups } from '../src/domains/evaluation/rollup.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import * as accounts from '../src/domains/accounts/service.ts';
import { generateAppeals } from './generate.ts';
import type { LoadPlan, LoadResult } from './load-client.ts';
import { runLoad } from './load-runner.ts';
import { recordBenchmark } from './record.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const scale = args.includes('--scale') ? Number(option('scale', '1')) : undefined;
const stored = scale !== undefined ? Math.round(24_000_000 * scale) : Number(option('appeals', '1000000'));
const small = 10_000;
const seconds = Number(option('seconds', '10'));
const reuse = args.includes('--reuse');
// Only the 10,000-stored phase (and the baseline): a quick look at throughput, which does not depend on the table's size.
const onlySmall = args.includes('--only-small');
// A database of its own per size lets a million and 24 million stay side by side between runs.
const storeOnly = args.includes('--store-only');
const databaseName = option('database', 'mustanswer_intake');
if (!/^[a-z_][a-z0-9_]*$/.test(databaseName)) throw new Error('--database takes a plain lower-case name');
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl)
  throw new Error(
    'Set DATABASE_URL to a PostgreSQL server; the benchmark creates its database (--database, default mustanswer_intake) there',
  );
if (!(stored > small)) throw new Error(`--appeals must be more than ${small}`);

function checkDisk(appeals: number): void {
  // About 1.3 kB per appeal with its event, indexes and rollups, and room for the rollup rebuild.
  const needed = appeals * 2_600;
  const stat = fs.statfsSync('/');
  if (stat.bavail * stat.bsize < needed) throw new Error(`Need about ${(needed / 1e9).toFixed(1)} GB free`);
}

async function openBenchDatabase(): Promise<Database> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [databaseName])).rowCount === 1;
  if (!reuse || !exists) {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName}`);
    await admin.query(`CREATE DATABASE ${databaseName}`);
  }
  await admin.end();
  const url = new URL(databaseUrl!);
  url.pathname = `/${databaseName}`;
  return openPostgres(url.toString());
}

/** CPU seconds used so far by each PostgreSQL process on this machine (server and backends), by pid, from /proc. */
function postgresCpuSeconds(): Map<string, number> {
  const tick = 100; // USER_HZ on Linux
  const used = new Map<string, number>();
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const fields = stat.slice(close + 2).split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / tick);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return used;
}

/** What the PostgreSQL processes used between two readings; one that ended in between is not counted. */
function postgresCpuSince(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpuSeconds()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** Load with the CPU that this process (the server under test) and PostgreSQL used meanwhile, in cores. */
async function load(plan: LoadPlan): Promise<LoadResult & { serverCores: number; loopBusy: number; postgresCores: number }> {
  const started = Date.now();
  const serverBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const postgresBefore = postgresCpuSeconds();
  const result = await runLoad(plan);
  const wall = (Date.now() - started) / 1000;
  const server = process.cpuUsage(serverBefore);
  return {
    ...result,
    serverCores: (server.user + server.system) / 1e6 / wall,
    loopBusy: performance.eventLoopUtilization(loopBefore).utilization,
    postgresCores: postgresCpuSince(postgresBefore) / wall,
  };
}

/** The baseline: what this machine does with one INSERT per POST and nothing else. */
async function baselineServer(db: Database, url: string) {
  await sql`DROP TABLE IF EXISTS baseline_appeal`.execute(db.kysely);
  await sql`CREATE TABLE baseline_appeal (id bigserial PRIMARY KEY, ticket_no text NOT NULL UNIQUE, description text NOT NULL,
    community_code text NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`.execute(db.kysely);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const app = Fastify();
  app.post<{ Body: { ticketNo: string; description: string; communityCode: string } }>('/appeals', async (request, reply) => {
    const { ticketNo, description, communityCode } = request.body;
    const result = await pool.query(
      'INSERT INTO baseline_appeal (ticket_no, description, community_code) VALUES ($1, $2, $3) RETURNING id',
      [ticketNo, description, communityCode],
    );
    return reply.code(201).send({ id: result.rows[0].id });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await pool.end();
    },
  };
}

interface Row {
  what: string;
  storedAppeals: number;
  connections: number;
  result: LoadResult & { serverCores: number; loopBusy: number; postgresCores: number };
}

async function measureMustanswer(db: Database, url: string, token: string, storedNow: number, rows: Row[]): Promise<void> {
  const communities = (
    await sql<{ code: string }>`SELECT code FROM division WHERE level = 'community' AND code LIKE '11%'`.execute(db.kysely)
  ).rows.map((r) => r.code);
  const before = Number((await sql<{ id: string }>`SELECT coalesce(max(id), 0) AS id FROM appeal`.execute(db.kysely)).rows[0]!.id);
  for (const connections of [1, 50]) {
    rows.push({
      what: 'POST /appeals, spread over the city',
      storedAppeals: storedNow,
      connections,
      result: await load({ url, kind: 'create', connections, seconds, token, communities }),
    });
  }
  rows.push({
    what: 'POST /appeals, one community (hot cell)',
    storedAppeals: storedNow,
    connections: 50,
    result: await load({ url, kind: 'create', connections: 50, seconds, token, communities: ['110106008028'] }),
  });
  // The appeals just filed, stepped through their lifecycle: every request a different appeal's next step.
  const filed = (await sql<{ id: number }>`SELECT id FROM appeal WHERE id > ${before} ORDER BY random()`.execute(db.kysely)).rows.map((r) =>
    Number(r.id),
  );
  const half = Math.floor(filed.length / 2);
  for (const [connections, appeals] of [
    [1, filed.slice(0, half)],
    [50, filed.slice(half)],
  ] as const) {
    rows.push({
      what: 'POST /appeals/{id}/events, a lifecycle mix',
      storedAppeals: storedNow,
      connections,
      result: await load({ url, kind: 'events', connections, seconds, token, appeals: [...appeals] }),
    });
  }
}

async function storeUpTo(db: Database, count: number): Promise<void> {
  const held = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM appeal WHERE ticket_no LIKE 'B%'`.execute(db.kysely)).rows[0]!.n);
  if (held >= count) return;
  checkDisk(count - held);
  const started = Date.now();
  await generateAppeals(db, held, count, { events: true });
  await db.kysely.transaction().execute((trx) => rebuildRollups(trx));
  await sql`VACUUM ANALYZE`.execute(db.kysely);
  console.log(`stored ${count.toLocaleString()} appeals in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  await migrate(db);
  if (Number((await sql<{ n: string }>`SELECT count(*) AS n FROM division`.execute(db.kysely)).rows[0]!.n) === 0)
    await loadProvince(db.kysely, '11');
  if (storeOnly) {
    await storeUpTo(db, stored);
    return db.close();
  }
  if (!reuse) await storeUpTo(db, small);
  const benchUrl = new URL(databaseUrl!);
  benchUrl.pathname = `/${databaseName}`;

  const rows: Row[] = [];
  const baseline = await baselineServer(db, benchUrl.toString());
  for (const connections of [1, 50]) {
    rows.push({
      what: 'baseline: bare Fastify + pg, one INSERT per POST',
      storedAppeals: 0,
      connections,
      result: await load({ url: baseline.url, kind: 'baseline', connections, seconds }),
    });
  }
  await baseline.close();

  const app = await buildApp({ db, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const url = `http://127.0.0.1:${address.port}`;
  const login = `intake-${Date.now()}`;
  const { user } = await accounts.createUser(db.kysely, { login, role: 'admin', scope: '11', displayName: '基准测试' }, systemViewer);
  const { token } = await accounts.createApiToken(db.kysely, user.id, 'bench', systemViewer);

  if (!reuse) await measureMustanswer(db, url, token, small, rows);
  await app.close();
  if (onlySmall) return report(db, rows);
  await storeUpTo(db, stored);
  const again = await buildApp({ db, logger: false });
  await again.listen({ port: address.port, host: '127.0.0.1' });
  await measureMustanswer(db, url, token, stored, rows);
  await again.close();
  await report(db, rows);
}

async function report(db: Database, rows: Row[]): Promise<void> {
  const base = (connections: number) => rows.find((r) => r.storedAppeals === 0 && r.connections === connections)!.result;
  const atSmall = (row: Row) =>
    rows.find((r) => r.what === row.what && r.connections === row.connections && r.storedAppeals === small)?.result;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const table = [
    '| what | appeals stored | connections | req/s | p50 | p99 | non-2xx | ÷ baseline req/s | p50 ÷ p50 at 10,000 | server cores (event loop busy) | PostgreSQL cores |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => {
      const r = row.result;
      const ratio = row.storedAppeals === 0 ? '1' : (r.perSecond / base(row.connections).perSecond).toFixed(2);
      const growth = row.storedAppeals > small && atSmall(row) ? (r.p50 / Math.max(atSmall(row)!.p50, 1)).toFixed(2) : '';
      return `| ${row.what} | ${row.storedAppeals.toLocaleString('en')} | ${row.connections} | ${r.perSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.non2xx + r.errors + r.timeouts} | ${ratio} | ${growth} | ${r.serverCores.toFixed(2)} (${(r.loopBusy * 100).toFixed(0)} %) | ${r.postgresCores.toFixed(2)} |`;
    }),
  ];
  console.log(table.join('\n'));
  const size = onlySmall ? '--only-small' : scale !== undefined ? `--scale ${scale}` : `--appeals ${stored}`;
  recordBenchmark(
    onlySmall ? `intake-${small}` : `intake-${stored}`,
    `DATABASE_URL=… npx tsx bench/intake.ts ${size} --seconds ${seconds}${reuse ? ' --reuse' : ''}${databaseName === 'mustanswer_intake' ? '' : ` --database ${databaseName}`}`,
    table,
  );
  await db.close();
}

await main();
