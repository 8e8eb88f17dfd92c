/**
 * The import benchmark (issue 4): a synthetic hotline export of `scale` million rows, loaded on
 * PostgreSQL (DATABASE_URL) three ways in the same run, then by mustanswer on PGlite:
 *   (a) raw `psql \copy` of the same CSV into a bare table of text columns;
 *   (b) raw `psql \copy` of the same appeals, as the appeal table stores them, into a table with
 *       appeal's columns, indexes (GIN on the search words included) and constraints (its foreign
 *       keys too);
 *   (c) `mustanswer import`: parse, normalise, match communities, cut search words, COPY into
 *       staging, insert with one event each, refresh the rollups — one transaction.
 * Reported: rows/s of each and the ratios c/a and c/b (the goal is c/b ≥ 0.7).
 *
 *   npx tsx bench/import.ts --scale 0.01                 # 10,000 rows
 *   npx tsx bench/import.ts --scale 0.1 --pglite-scale 0.02
 *
 * Scale 1 = 1,000,000 rows. --pglite-scale defaults to the smaller of scale and 0.02 (PGlite is
 * one process and a tenth of the speed); 0 skips it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { loadProvince } from '../src/domains/geo/load.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import { generateAppeals, loadCommunities } from '../src/demo/generator.ts';
import { hotlineColumns, writeHotlineFile } from '../src/demo/hotline-file.ts';
import { importAppeals } from '../src/domains/appeals/import/service.ts';
import type { ImportSummary } from '../src/domains/appeals/import/schemas.ts';
import { recordBenchmark } from './record.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const scale = Number(option('scale', '0.01'));
const pgliteScale = Number(option('pglite-scale', String(Math.min(scale, 0.02))));
const rows = Math.round(1_000_000 * scale);
const pgliteRows = Math.round(1_000_000 * pgliteScale);
const command = `npx tsx bench/import.ts ${args.join(' ')}`.trim();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-bench-import-'));

function checkDisk(): void {
  // Per row: ~0.45 KB of CSV, ~2.5 KB in PostgreSQL (appeal, event, indexes, the bench copies), the appeal-shaped copy file.
  const needed = rows * 4_000 + pgliteRows * 3_000;
  const stat = fs.statfsSync(work);
  const free = stat.bavail * stat.bsize;
  console.log(`disk: need ≈ ${(needed / 1e9).toFixed(2)} GB, free ${(free / 1e9).toFixed(1)} GB`);
  if (free < needed * 1.5) throw new Error(`Not enough free disk for scale ${scale}`);
}

const seconds = (ms: number) => ms / 1000;
async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [seconds(performance.now() - start), result];
}

function psql(url: string, script: string): void {
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function generate(count: number, file: string): Promise<number> {
  const communities = await loadCommunities('11');
  const [s] = await timed(() => writeHotlineFile(generateAppeals({ count, communities, seed: 2023 }), file, { encoding: 'utf8-bom' }));
  return s;
}

async function freshPostgres(url: string): Promise<{ db: Database; url: string; drop: () => Promise<void> }> {
  const name = `mustanswer_bench_import_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${name}`;
  const db = await openPostgres(benchUrl.toString());
  return {
    db,
    url: benchUrl.toString(),
    drop: async () => {
      await db.close();
      const again = new pg.Client({ connectionString: url });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name}`);
      await again.end();
    },
  };
}

const appealColumns = [
  'ticket_no',
  'channel',
  'received_at',
  'kind',
  'category_code',
  'description',
  'address',
  'community_code',
  'street_code',
  'district_code',
  'reporter_name',
  'reporter_phone',
  'urgency',
  'historical',
  'duplicate_of',
  'status',
  'dispatched_unit',
  'dispatched_unit_type',
  'dispatched_at',
  'response_due_at',
  'handling_due_at',
  'responded_at',
  'handled_at',
  'contacted',
  'solved',
  'satisfaction',
  'last_callback_at',
  'closed_at',
  'last_event_at',
  'version',
  'search_words',
  'created_at',
  'created_by',
].join(', ');

async function onPostgres(url: string, csv: string) {
  const pgdb = await freshPostgres(url);
  try {
    await migrate(pgdb.db);
    await loadProvince(pgdb.db.kysely, '11');
    // (a) the same CSV into a bare table of text columns.
    psql(pgdb.url, `CREATE TABLE bench_raw (${hotlineColumns.map((c) => `${c.toLowerCase()} text`).join(', ')})`);
    const [rawSeconds] = await timed(() => psql(pgdb.url, `\\copy bench_raw FROM '${csv}' WITH (FORMAT csv, HEADER true)`));
    // (c) mustanswer's import.
    const [importSeconds, summary] = await timed(() => importAppeals(pgdb.db, csv, { ...systemViewer, actor: 'bench' }));
    // (b) the same appeals as stored, into a table with appeal's indexes and constraints.
    const shaped = path.join(work, 'appeal-shaped.tsv');
    psql(pgdb.url, `\\copy (SELECT ${appealColumns} FROM appeal ORDER BY id) TO '${shaped}'`);
    psql(
      pgdb.url,
      `CREATE TABLE bench_appeal (LIKE appeal INCLUDING ALL);
      ALTER TABLE bench_appeal ADD FOREIGN KEY (category_code) REFERENCES appeal_category (code),
        ADD FOREIGN KEY (community_code) REFERENCES division (code), ADD FOREIGN KEY (street_code) REFERENCES division (code),
        ADD FOREIGN KEY (district_code) REFERENCES division (code), ADD FOREIGN KEY (duplicate_of) REFERENCES bench_appeal (id)`,
    );
    const [indexedSeconds] = await timed(() => psql(pgdb.url, `\\copy bench_appeal (${appealColumns}) FROM '${shaped}'`));
    fs.rmSync(shaped, { force: true });
    return { rawSeconds, indexedSeconds, importSeconds, summary };
  } finally {
    await pgdb.drop();
  }
}

async function onPglite(csv: string): Promise<{ seconds: number; summary: ImportSummary }> {
  const dataDir = path.join(work, 'pglite');
  const db = await openPglite({ dataDir });
  try {
    await migrate(db);
    await loadProvince(db.kysely, '11');
    const [s, summary] = await timed(() => importAppeals(db, csv, { ...systemViewer, actor: 'bench' }));
    return { seconds: s, summary };
  } finally {
    await db.close();
  }
}

const perSecond = (n: number, s: number) => Math.round(n / s).toLocaleString('en-US');

async function main(): Promise<void> {
  checkDisk();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server (the benchmark creates and drops a database of its own)');
  const csv = path.join(work, 'appeals.csv');
  const genSeconds = await generate(rows, csv);
  console.log(`generated ${rows} rows (${(fs.statSync(csv).size / 1e6).toFixed(0)} MB) in ${genSeconds.toFixed(1)} s`);
  const p = await onPostgres(url, csv);
  if (p.summary.inserted !== rows) throw new Error(`imported ${p.summary.inserted} of ${rows}`);
  console.log(
    `PostgreSQL: raw copy ${p.rawSeconds.toFixed(1)} s, indexed copy ${p.indexedSeconds.toFixed(1)} s, import ${p.importSeconds.toFixed(1)} s`,
  );
  let lite: { seconds: number; summary: ImportSummary } | undefined;
  if (pgliteRows > 0) {
    const small = path.join(work, 'appeals-pglite.csv');
    await generate(pgliteRows, small);
    lite = await onPglite(small);
    console.log(`PGlite: import ${lite.seconds.toFixed(1)} s`);
  }
  const table = [
    '| what | rows | seconds | rows/s |',
    '|---|---|---|---|',
    `| generate the CSV (${(fs.statSync(csv).size / 1e6).toFixed(0)} MB) | ${rows.toLocaleString('en-US')} | ${genSeconds.toFixed(1)} | ${perSecond(rows, genSeconds)} |`,
    `| (a) PostgreSQL 15: \`psql \\copy\` of the CSV into a bare table | ${rows.toLocaleString('en-US')} | ${p.rawSeconds.toFixed(1)} | ${perSecond(rows, p.rawSeconds)} |`,
    `| (b) PostgreSQL 15: \`psql \\copy\` of the same appeals into a table with appeal's indexes and constraints | ${rows.toLocaleString('en-US')} | ${p.indexedSeconds.toFixed(1)} | ${perSecond(rows, p.indexedSeconds)} |`,
    `| (c) PostgreSQL 15: \`mustanswer import\` (events, unmatched queue, rollups, one transaction) | ${rows.toLocaleString('en-US')} | ${p.importSeconds.toFixed(1)} | ${perSecond(rows, p.importSeconds)} |`,
    ...(lite
      ? [
          `| PGlite (data directory on disk): \`mustanswer import\` | ${pgliteRows.toLocaleString('en-US')} | ${lite.seconds.toFixed(1)} | ${perSecond(pgliteRows, lite.seconds)} |`,
        ]
      : []),
    '',
    `Speed ratios (rows/s): **c/a = ${(p.rawSeconds / p.importSeconds).toFixed(2)}**, **c/b = ${(p.indexedSeconds / p.importSeconds).toFixed(2)}** (goal c/b ≥ 0.7).`,
  ];
  recordBenchmark(`import-${scale}`, `DATABASE_URL=postgres://… ${command}`, table);
  console.log(table.join('\n'));
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(work, { recursive: true, force: true }));
