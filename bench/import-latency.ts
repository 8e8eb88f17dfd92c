/**
 * Does the server stay responsive while a big import runs (issue 15)? A mustanswer server runs
 * in a process of its own on PostgreSQL holding 100,000 appeals; this script samples `GET /api/v1/health` and a list page
 * (`GET /api/v1/appeals?limit=20`) every 50 ms, first with the server idle, then while a hotline
 * export of `--rows` rows (default 1,000,000) is uploaded to `POST /api/v1/appeal-imports`, and
 * (with `--cli`) while the CLI imports another in a third process. It prints p50 and p99 of
 * each, and the longest wait; the goal is health and reads p99 under 200 ms during the import.
 * On the embedded database the server imports an upload in steps (import/service.ts inSteps);
 * BENCHMARKS.md "PGlite: the server during an upload" compares it with the one transaction before.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/import-latency.ts [--rows 1000000] [--cli]
 *   npx tsx bench/import-latency.ts --pglite --rows 100000   # the embedded database, in a new data directory
 *   npx tsx bench/import-latency.ts --pglite --rows 140000 --one-at-a-time   # BENCHMARKS.md "PGlite: the server during an upload"
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, openPostgres, type Database } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { loadProvince } from '../src/domains/geo/load.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import * as accounts from '../src/domains/accounts/service.ts';
import { generateAppeals, loadCommunities } from '../src/demo/generator.ts';
import { writeHotlineFile } from '../src/demo/hotline-file.ts';
import { rebuildRollups } from '../src/domains/evaluation/rollup.ts';
import { generateAppeals as generateStored } from './generate.ts';
import { recordBenchmark } from './record.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const rows = Number(option('rows', '1000000'));
const withCli = args.includes('--cli');
/**
 * Each sampler waits for its answer before asking again, instead of asking every 50 ms whatever
 * happens: what one request waits during the import, without the samples themselves piling up on
 * a server whose one thread the import already keeps busy (PGlite).
 */
const oneAtATime = args.includes('--one-at-a-time');
/** The embedded database instead: one process, so no CLI beside the server (PGlite is one session). */
const embedded = args.includes('--pglite');
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl && !embedded)
  throw new Error('Set DATABASE_URL (the benchmark creates the database mustanswer_import_latency there), or pass --pglite');
if (embedded && withCli) throw new Error('--cli needs PostgreSQL: an embedded database is held by the server');
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'src', 'cli', 'main.ts');

async function exportFile(seed: number): Promise<string> {
  const file = path.join(os.tmpdir(), `mustanswer-latency-${rows}-${seed}.csv`);
  if (!fs.existsSync(file)) {
    const communities = await loadCommunities('11');
    await writeHotlineFile(generateAppeals({ count: rows, communities, seed, from: '2023-01-01', to: '2023-12-31' }), file, {
      encoding: 'utf8-bom',
    });
  }
  return file;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * One GET on a connection of its own, as separate users' requests come: fetch would reuse its
 * keep-alive connections, and with the upload's waiting for its answer, samples queued in the
 * client behind busy connections for minutes (the server saw none of them slow). Resolves with
 * the status once the body is read.
 */
function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false, timeout: 180_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

/** Samples health and a list page every 50 ms until `until` settles; returns each one's latencies. */
async function sample(base: string, token: string, until: Promise<unknown>): Promise<{ health: number[]; list: number[]; failed: number }> {
  const health: number[] = [];
  const list: number[] = [];
  let failed = 0;
  let done = false;
  void until.finally(() => (done = true));
  const time = async (url: string, into: number[], headers: Record<string, string> = {}) => {
    const start = performance.now();
    try {
      const status = await get(url, headers);
      if (status !== 200) failed++;
    } catch {
      failed++;
    }
    into.push(performance.now() - start);
  };
  if (oneAtATime) {
    // A load balancer's probe and one clerk paging: each asks again 50 ms after its answer.
    const probe = async (url: string, into: number[], headers?: Record<string, string>) => {
      while (!done) {
        await time(url, into, headers);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await Promise.all([
      probe(`${base}/api/v1/health`, health),
      probe(`${base}/api/v1/appeals?limit=20`, list, { authorization: `Bearer ${token}` }),
    ]);
    return { health, list, failed };
  }
  const pending: Array<Promise<void>> = [];
  while (!done) {
    // Health as a load balancer asks it (no login); the list as a clerk's token reads it.
    pending.push(
      time(`${base}/api/v1/health`, health),
      time(`${base}/api/v1/appeals?limit=20`, list, { authorization: `Bearer ${token}` }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await Promise.all(pending);
  return { health, list, failed };
}

function run(command: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout!.on('data', () => undefined);
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  return { child, exited };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latency-'));
  let serverEnv: NodeJS.ProcessEnv = { DATA_DIR: dataDir };
  let db: Database;
  if (embedded) {
    db = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
  } else {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS mustanswer_import_latency');
    await admin.query('CREATE DATABASE mustanswer_import_latency');
    await admin.end();
    const url = new URL(databaseUrl!);
    url.pathname = '/mustanswer_import_latency';
    serverEnv = { ...serverEnv, DATABASE_URL: url.toString() };
    db = await openPostgres(url.toString());
  }
  await migrate(db);
  await loadProvince(db.kysely, '11');
  // Appeals already stored, as on any day but the first: a first load into an empty table is a
  // bulk load that holds the table locked (import/service.ts wantsBulk), which no one waits on then.
  await generateStored(db, 0, 100_000, { events: true });
  await db.kysely.transaction().execute((trx) => rebuildRollups(trx));
  const { user } = await accounts.createUser(db.kysely, { login: 'latency', role: 'admin', scope: '11' }, systemViewer);
  const { token } = await accounts.createApiToken(db.kysely, user.id, 'bench', systemViewer);
  await db.close();

  const [uploaded, byCli] = await Promise.all([exportFile(2023), withCli ? exportFile(2024) : Promise.resolve(undefined)]);
  const port = 3900 + Math.floor(Math.random() * 90);
  const base = `http://127.0.0.1:${port}`;
  const server = run([cli, 'serve', '--no-demo', '--port', String(port)], { ...serverEnv, LOG_LEVEL: 'warn' });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) break;
    } catch {
      if (i > 600) throw new Error('the server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const results: Array<{ phase: string; seconds: number; health: number[]; list: number[]; failed: number; load: number }> = [];
  const idleStart = performance.now();
  results.push({
    phase: 'idle',
    ...(await sample(base, token, new Promise((resolve) => setTimeout(resolve, 10_000)))),
    seconds: (performance.now() - idleStart) / 1000,
    load: os.loadavg()[0]!,
  });

  const apiStart = performance.now();
  const upload = (async () => {
    const form = new FormData();
    form.set('file', new Blob([fs.readFileSync(uploaded)]), path.basename(uploaded));
    const response = await fetch(`${base}/api/v1/appeal-imports`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 201) throw new Error(`the import answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  })();
  const duringApi = await sample(base, token, upload);
  await upload;
  results.push({
    phase: `import of ${rows.toLocaleString('en')} rows through the API`,
    ...duringApi,
    seconds: (performance.now() - apiStart) / 1000,
    load: os.loadavg()[0]!,
  });

  if (byCli) {
    const cliStart = performance.now();
    const importing = run([cli, 'import', 'appeals', byCli], serverEnv);
    const duringCli = await sample(base, token, importing.exited);
    if ((await importing.exited) !== 0) throw new Error('the CLI import failed');
    results.push({
      phase: `import of ${rows.toLocaleString('en')} rows by the CLI`,
      ...duringCli,
      seconds: (performance.now() - cliStart) / 1000,
      load: os.loadavg()[0]!,
    });
  }
  server.child.kill('SIGTERM');
  await server.exited;

  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const spread = (samples: number[]) => `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 99))} / ${ms(Math.max(...samples))}`;
  const table = [
    // The load average (1 min) as the phase ended: these two cores are shared, and it moves every figure.
    '| phase | seconds | health p50 / p99 / max | list page p50 / p99 / max | failed samples | load average |',
    '|---|---|---|---|---|---|',
    ...results.map(
      (r) => `| ${r.phase} | ${r.seconds.toFixed(0)} | ${spread(r.health)} | ${spread(r.list)} | ${r.failed} | ${r.load.toFixed(1)} |`,
    ),
  ];
  console.log(table.join('\n'));
  recordBenchmark(
    `import-latency-${embedded ? 'pglite-' : ''}${rows}${oneAtATime ? '-one-at-a-time' : ''}`,
    `${embedded ? '' : 'DATABASE_URL=… '}npx tsx bench/import-latency.ts --rows ${rows}${withCli ? ' --cli' : ''}${embedded ? ' --pglite' : ''}${oneAtATime ? ' --one-at-a-time' : ''}`,
    table,
  );
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
