/**
 * The evaluation benchmark (issue 5): a year of Beijing-scale appeals generated in SQL, then the
 * city-wide monthly ranking of all communities, one community's 12-month trend and a full rollup
 * rebuild. The ranking is timed against the same figures computed from the raw appeals in the
 * same run, and reported as a ratio, because these machines are noisy.
 *
 *   npx tsx bench/evaluation.ts --scale 0.1                # PostgreSQL from DATABASE_URL
 *   npx tsx bench/evaluation.ts --scale 0.04 --pglite      # PGlite (1 M rows at 0.04)
 *   npx tsx bench/evaluation.ts --scale 1 --reuse          # keep mustanswer_bench's appeals if it has this scale's
 *
 * Scale 1 = 24,000,000 appeals (Beijing's 2024 volume).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { loadProvince } from '../src/domains/geo/load.ts';
import { rebuildRollups } from '../src/domains/evaluation/rollup.ts';
import * as evaluation from '../src/domains/evaluation/service.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import { generateAppeals } from './generate.ts';
import { recordBenchmark } from './record.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const scale = Number(option('scale', '0.01'));
const runs = Number(option('runs', '30'));
const usePglite = flag('pglite');
/** Keep mustanswer_bench's appeals when it already holds this scale's (PostgreSQL): generating 24 M takes long. */
const reuse = flag('reuse');
const rows = Math.round(24_000_000 * scale);

function checkDisk(): void {
  // About 650 bytes per appeal with its indexes, twice over for the rollup build's work space.
  const needed = rows * 1300;
  const free = fs.statfsSync('/').bavail * fs.statfsSync('/').bsize;
  if (free < needed) throw new Error(`Need about ${(needed / 1e9).toFixed(1)} GB free, have ${(free / 1e9).toFixed(1)} GB`);
}

async function openBenchDatabase(): Promise<{ db: Database; label: string; drop: () => Promise<void> }> {
  if (usePglite) return { db: await openPglite(), label: 'PGlite (in memory)', drop: async () => undefined };
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL, or pass --pglite');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'mustanswer_bench'`)).rowCount === 1;
  if (!reuse || !exists) {
    await admin.query('DROP DATABASE IF EXISTS mustanswer_bench');
    await admin.query('CREATE DATABASE mustanswer_bench');
  }
  await admin.end();
  const benchUrl = new URL(url);
  benchUrl.pathname = '/mustanswer_bench';
  return { db: await openPostgres(benchUrl.toString()), label: 'PostgreSQL 15', drop: async () => undefined };
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sample(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push((await time(fn))[0]);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function generate(db: Database): Promise<void> {
  await generateAppeals(db, 0, rows);
}

/** The same month's per-community figures, computed from the raw appeals: the baseline. */
const rawRanking = (db: Database) =>
  sql`
  SELECT community_code, sum(v)::int AS volume, sum(c)::int AS callbacks, sum(s)::int AS solved
  FROM (
    SELECT community_code, 1 AS v, 0 AS c, 0 AS s FROM appeal
    WHERE received_at >= timestamptz '2023-06-01 00:00+08' AND received_at < timestamptz '2023-07-01 00:00+08'
    UNION ALL
    SELECT community_code, 0, 1, CASE WHEN solved THEN 1 ELSE 0 END FROM appeal
    WHERE last_callback_at >= timestamptz '2023-06-01 00:00+08' AND last_callback_at < timestamptz '2023-07-01 00:00+08'
  ) AS parts GROUP BY community_code ORDER BY volume DESC`.execute(db.kysely);

async function main(): Promise<void> {
  checkDisk();
  const { db, label } = await openBenchDatabase();
  console.log(`${label}: scale ${scale} = ${rows.toLocaleString()} appeals`);
  await migrate(db);
  await loadProvince(db.kysely, '11');
  const held = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM appeal`.execute(db.kysely)).rows[0]!.n);
  if (reuse && held === rows) {
    console.log(`reusing the ${held.toLocaleString()} appeals already generated`);
  } else {
    if (held > 0) await sql`TRUNCATE appeal, appeal_month_rollup, appeal_month_place, place_month_counts CASCADE`.execute(db.kysely);
    const [generateMs] = await time(() => generate(db));
    console.log(`generated in ${(generateMs / 1000).toFixed(1)} s`);
  }
  const [rebuildMs, rollupRows] = await time(() => db.kysely.transaction().execute((trx) => rebuildRollups(trx)));
  await sql`ANALYZE appeal_month_rollup`.execute(db.kysely);
  await sql`ANALYZE appeal_month_place`.execute(db.kysely);
  await sql`ANALYZE place_month_counts`.execute(db.kysely);
  console.log(`rollup rebuild: ${(rebuildMs / 1000).toFixed(2)} s, ${rollupRows.toLocaleString()} rows`);

  // Every community is ranked either way; the page a user asks for is the top 100, the whole list is all of them named.
  const query = { level: 'community' as const, month: '2023-06', metric: 'score' as const, order: 'top' as const, limit: 100 };
  const ranked = await evaluation.ranking(db.kysely, { ...query, limit: 10_000 }, systemViewer);
  const ranking = await sample(() => evaluation.ranking(db.kysely, query, systemViewer));
  const wholeList = await sample(() => evaluation.ranking(db.kysely, { ...query, limit: 10_000 }, systemViewer));
  const raw = await sample(() => rawRanking(db));
  const busiest = (await evaluation.ranking(db.kysely, { ...query, metric: 'volume', limit: 1 }, systemViewer)).items[0]!.code;
  const trend = await sample(() => evaluation.trend(db.kysely, { code: busiest, from: '2023-01', to: '2023-12' }, systemViewer));
  const keyList = await sample(() => evaluation.keyCommunityList(db.kysely, { month: '2023-12' }, systemViewer));

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const lines = [
    `| backend | appeals | rollup rows | rollup rebuild | ranking of ${ranked.total + ranked.skipped.length} communities, top 100 p50 / p95 | the whole ranked list p50 / p95 | same figures from raw appeals p50 / p95 | ratio raw / ranking (p95) | 12-month trend p95 | key-community list p95 |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${label} | ${rows.toLocaleString()} | ${rollupRows.toLocaleString()} | ${(rebuildMs / 1000).toFixed(1)} s | ${ms(ranking.p50)} / ${ms(ranking.p95)} | ${ms(wholeList.p50)} / ${ms(wholeList.p95)} | ${ms(raw.p50)} / ${ms(raw.p95)} | ${(raw.p95 / ranking.p95).toFixed(1)}× | ${ms(trend.p95)} | ${ms(keyList.p95)} |`,
  ];
  console.log(lines.join('\n'));
  recordBenchmark(
    `evaluation-${usePglite ? 'pglite' : 'postgres'}-${scale}`,
    `npx tsx bench/evaluation.ts --scale ${scale}${usePglite ? ' --pglite' : ''}${reuse ? ' --reuse' : ''} --runs ${runs}`,
    lines,
  );
  await db.close();
}

await main();
