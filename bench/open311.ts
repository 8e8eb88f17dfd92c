/**
 * The Open311 benchmark (issue 19): appeals generated in SQL over the year up to now (one
 * import event each, and a step taken in mustanswer on one in ten), then the reads third-party
 * clients make most — requests in the default 90-day window for the city, a district and a
 * street, requests by id, the updates of the last day — and filing through POST, each timed
 * through the app as a client sees it.
 *
 *   npx tsx bench/open311.ts --rows 1000000          # PostgreSQL from DATABASE_URL
 *   npx tsx bench/open311.ts --rows 200000 --pglite  # PGlite, in memory
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { openPglite, openPostgres, type Database } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { loadProvince } from '../src/domains/geo/load.ts';
import { issueClient } from '../src/domains/open311/keys.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import { recordBenchmark } from './record.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const rows = Number(option('rows', '200000'));
const runs = Number(option('runs', '20'));
const usePglite = args.includes('--pglite');

async function open(): Promise<{ db: Database; label: string }> {
  if (usePglite) return { db: await openPglite(), label: 'PGlite (in memory)' };
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL, or pass --pglite');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS mustanswer_bench_open311');
  await admin.query('CREATE DATABASE mustanswer_bench_open311');
  await admin.end();
  const benchUrl = new URL(url);
  benchUrl.pathname = '/mustanswer_bench_open311';
  return { db: await openPostgres(benchUrl.toString()), label: 'PostgreSQL 15' };
}

async function generate(db: Database): Promise<void> {
  await sql`CREATE TEMP TABLE bench_community AS SELECT code, row_number() OVER (ORDER BY code) AS n FROM division WHERE level = 'community' AND code LIKE '11%'`.execute(
    db.kysely,
  );
  const communities = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM bench_community`.execute(db.kysely)).rows[0]!.n);
  const chunk = 250_000;
  for (let start = 0; start < rows; start += chunk) {
    const n = Math.min(chunk, rows - start);
    await sql`
      INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                          status, dispatched_unit, dispatched_unit_type, handling_due_at, last_event_at, version, created_by)
      SELECT 'B' || g, 'phone', t.received, 'complaint',
             (ARRAY['parking.illegal','heating.insufficient','noise.construction','water.outage','sanitation.garbage'])[1 + (g % 5)::int],
             '基准测试 3号楼2单元501', c.code, left(c.code, 9), left(c.code, 6),
             CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'dispatched' END, '街道办事处', 'street_office', t.received + interval '7 days',
             t.received, CASE WHEN g % 10 = 0 THEN 2 ELSE 1 END, 'bench'
      FROM generate_series(${start + 1}::bigint, ${start + n}::bigint) AS g
      CROSS JOIN LATERAL (SELECT now() - (g % 525600) * interval '1 minute' AS received) AS t
      JOIN bench_community c ON c.n = 1 + (g * 7919) % ${communities}`.execute(db.kysely);
    process.stderr.write(`\r  generated ${Math.min(start + n, rows).toLocaleString()} / ${rows.toLocaleString()}`);
  }
  process.stderr.write('\n');
  // Every appeal came in by import; one in ten has had a step taken in mustanswer since.
  await sql`INSERT INTO appeal_event (appeal_id, seq, type, at, actor, data) SELECT id, 1, 'imported', received_at, 'bench', '{}'::jsonb FROM appeal`.execute(
    db.kysely,
  );
  await sql`INSERT INTO appeal_event (appeal_id, seq, type, at, actor, data)
            SELECT id, 2, 'dispatch', received_at + interval '1 hour', 'bench', '{"unit":{"name":"街道办事处","type":"street_office"}}'::jsonb FROM appeal WHERE version = 2`.execute(
    db.kysely,
  );
  await sql`ANALYZE appeal, appeal_event`.execute(db.kysely);
}

function stats(samples: number[]): { median: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]! };
}

async function main(): Promise<void> {
  const { db, label } = await open();
  try {
    const t0 = performance.now();
    await migrate(db);
    await loadProvince(db.kysely, '11');
    await generate(db);
    process.stderr.write(`  loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    const app = await buildApp({ db, webDist: '/nonexistent' });
    const { apiKey } = await issueClient(
      db.kysely,
      { name: 'bench-app', role: 'hotline_office', scope: '11', perMinute: 10_000 },
      systemViewer,
    );
    const ids = (
      await sql<{ ticket_no: string }>`SELECT ticket_no FROM appeal WHERE district_code = '110106' ORDER BY id LIMIT 10`.execute(db.kysely)
    ).rows.map((r) => r.ticket_no);
    const since = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    const cases: Array<{ name: string; run: () => Promise<{ status: number; items: number }> }> = [];
    const getCase = (name: string, url: string) =>
      cases.push({
        name,
        run: async () => {
          const res = await app.inject(url);
          const items = url.includes('.json') ? (JSON.parse(res.body) as unknown[]).length : (res.body.match(/<request>/g) ?? []).length;
          return { status: res.statusCode, items };
        },
      });
    getCase('GET requests.json, city, default 90 days', '/open311/v2/requests.json?jurisdiction_id=11');
    getCase('GET requests.xml, city, default 90 days', '/open311/v2/requests.xml?jurisdiction_id=11');
    getCase('GET requests.json, Fengtai, default 90 days', '/open311/v2/requests.json?jurisdiction_id=110106');
    getCase('GET requests.json, Liuliqiao street, status=open', '/open311/v2/requests.json?jurisdiction_id=110106008&status=open');
    getCase('GET requests.json, 10 ids', `/open311/v2/requests.json?jurisdiction_id=110106&service_request_id=${ids.join(',')}`);
    getCase(
      'GET servicerequestupdates.json, Fengtai, last day',
      `/open311/v2/servicerequestupdates.json?jurisdiction_id=110106&start_date=${since}`,
    );
    let filed = 0;
    cases.push({
      name: 'POST requests.json (files an appeal)',
      run: async () => {
        const res = await app.inject({
          method: 'POST',
          url: '/open311/v2/requests.json',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({
            api_key: apiKey,
            service_code: 'parking.illegal',
            address_string: `丰台区六里桥街道京铁家园社区 ${++filed}`,
            description: '基准测试',
          }).toString(),
        });
        return { status: res.statusCode, items: 1 };
      },
    });

    const table = ['| request | items | median ms | p95 ms |', '|---|---:|---:|---:|'];
    for (const c of cases) {
      await c.run(); // warm
      const samples: number[] = [];
      let last = { status: 0, items: 0 };
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        last = await c.run();
        samples.push(performance.now() - start);
        if (last.status !== 200) throw new Error(`${c.name}: HTTP ${last.status}`);
      }
      const { median, p95 } = stats(samples);
      table.push(`| ${c.name} | ${last.items} | ${median.toFixed(1)} | ${p95.toFixed(1)} |`);
      process.stderr.write(`  ${c.name}: ${median.toFixed(1)} ms median\n`);
    }
    const plan = (
      await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT e.seq FROM appeal_event e JOIN appeal a ON a.id = e.appeal_id
      WHERE a.district_code = '110106' AND e.type <> 'imported' AND e.at >= now() - interval '1 day' AND e.at <= now() ORDER BY e.at LIMIT 1000`.execute(
        db.kysely,
      )
    ).rows;
    const usesIndex = plan.some((r) => r['QUERY PLAN'].includes('appeal_event_step_at_idx'));
    table.push(
      '',
      `${rows.toLocaleString('en')} appeals on ${label}, ${runs} runs each through app.inject, load average ${os.loadavg()[0]!.toFixed(1)} at the end; the updates query ${usesIndex ? 'reads the partial index appeal_event_step_at_idx' : 'does NOT use appeal_event_step_at_idx'}.`,
    );
    console.log(table.join('\n'));
    recordBenchmark(
      `open311-${usePglite ? 'pglite' : 'postgres'}`,
      `npx tsx bench/open311.ts --rows ${rows}${usePglite ? ' --pglite' : ''}`,
      table,
    );
    await app.close();
  } finally {
    await db.close();
  }
}

await main();
