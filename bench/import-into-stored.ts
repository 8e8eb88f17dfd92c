/**
 * What an import into a table that already holds many appeals costs, by the import's size (issue
 * 15): before imports counted their rollups by differences, each one recounted the place-months
 * it touched from the whole appeal table, so a small import into a big table read every appeal.
 * Stores `--stored` appeals (with their events and rollups), then imports `--runs` exports of
 * each size in `--rows` (new tickets from the demo's generator), timing each import; the server's
 * way on each database: one transaction on PostgreSQL, steps of 2,000 rows on PGlite.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/import-into-stored.ts --stored 1000000 --rows 300,2000,100000
 *   npx tsx bench/import-into-stored.ts --pglite --stored 100000 --rows 300,2000,20000
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { generateAppeals, loadCommunities } from '../src/demo/generator.ts';
import { writeHotlineFile } from '../src/demo/hotline-file.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import { importAppeals } from '../src/domains/appeals/import/service.ts';
import { rebuildRollups } from '../src/domains/evaluation/rollup.ts';
import { loadProvince } from '../src/domains/geo/load.ts';
import { generateAppeals as generateStored } from './generate.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const embedded = args.includes('--pglite');
const stored = Number(option('stored', embedded ? '100000' : '1000000'));
const sizes = option('rows', '300,2000').split(',').map(Number);
const runs = Number(option('runs', '3'));
const databaseUrl = process.env.DATABASE_URL;
if (!embedded && !databaseUrl) throw new Error('Set DATABASE_URL, or pass --pglite');

/** Runs `statements` on the server's default database (PostgreSQL). */
async function admin(...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const statement of statements) await client.query(statement);
  await client.end();
}

async function open(): Promise<Database> {
  if (embedded) return openPglite();
  await admin('DROP DATABASE IF EXISTS mustanswer_import_into_stored', 'CREATE DATABASE mustanswer_import_into_stored');
  const url = new URL(databaseUrl!);
  url.pathname = '/mustanswer_import_into_stored';
  return openPostgres(url.toString());
}

/** An export of `rows` new tickets, 2023, its tickets marked with `mark` so that no file repeats another's. */
async function exportFile(rows: number, mark: string): Promise<string> {
  const file = path.join(os.tmpdir(), `mustanswer-into-stored-${rows}-${mark}.csv`);
  if (!fs.existsSync(file)) {
    const communities = await loadCommunities('11');
    const appeals = generateAppeals({ count: rows, communities, seed: 100 + rows + mark.charCodeAt(0), from: '2023-01', to: '2023-12' });
    await writeHotlineFile(
      (function* () {
        for (const a of appeals) yield { ...a, ticketNo: `${mark}${a.ticketNo}` };
      })(),
      file,
      { encoding: 'utf8-bom' },
    );
  }
  return file;
}

const db = await open();
try {
  await migrate(db);
  await loadProvince(db.kysely, '11');
  const started = performance.now();
  await generateStored(db, 0, stored, { events: true });
  await db.kysely.transaction().execute((trx) => rebuildRollups(trx));
  await sql`ANALYZE`.execute(db.kysely);
  console.log(`${stored.toLocaleString('en')} appeals stored in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const lines = ['| rows imported | appeals stored | runs | seconds, median | ms per row |', '|---|---|---|---|---|'];
  for (const rows of sizes) {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const file = await exportFile(rows, String.fromCharCode(65 + run));
      const start = performance.now();
      const summary = await importAppeals(db, file, systemViewer, { inSteps: embedded });
      times.push((performance.now() - start) / 1000);
      if (summary.status !== 'done') throw new Error(`run ${run}: ${JSON.stringify(summary)}`);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    const line = `| ${rows.toLocaleString('en')} | ${stored.toLocaleString('en')} | ${runs} | ${median.toFixed(2)} | ${((median * 1000) / rows).toFixed(2)} |`;
    console.log(line, times.map((t) => t.toFixed(2)).join(' '), `load ${os.loadavg()[0]!.toFixed(1)}`);
    lines.push(line);
  }
  console.log(lines.join('\n'));
} finally {
  await db.close();
  if (!embedded) await admin('DROP DATABASE IF EXISTS mustanswer_import_into_stored');
}
