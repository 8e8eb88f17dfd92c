/**
 * The live write path on the embedded database at the demo's size (issue 15: "a POST under
 * 50 ms"). Opens a data directory holding a demo world (for example one that `mustanswer demo`
 * or bench/impact.ts built), files `--runs` appeals one after another through the HTTP API
 * (`POST /api/v1/appeals`, spread over Beijing's communities) and takes each through dispatch,
 * respond, handle and callback (`POST /api/v1/appeals/{id}/events`), and prints p50 and p99 of each.
 * PGlite is one process and one session, so there is no concurrency to measure: requests take turns.
 *
 *   npx tsx bench/intake-pglite.ts --data-dir data/bench-impact-0.018 [--runs 200]
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import * as accounts from '../src/domains/accounts/service.ts';
import { recordBenchmark } from './record.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const dataDir = option('data-dir');
if (!dataDir) throw new Error('--data-dir DIR: a data directory holding a demo world (its pglite/ folder inside)');
const runs = Number(option('runs', '200'));

const percentile = (samples: number[], p: number) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!;

const db = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
await migrate(db);
const stored = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM appeal`.execute(db.kysely)).rows[0]!.n);
const communities = (
  await sql<{ code: string }>`SELECT code FROM division WHERE level = 'community' AND code LIKE '11%'`.execute(db.kysely)
).rows.map((r) => r.code);
const app = await buildApp({ db, logger: false });
const { user } = await accounts.createUser(db.kysely, { login: `intake-${Date.now()}`, role: 'admin', scope: '11' }, systemViewer);
const { token } = await accounts.createApiToken(db.kysely, user.id, 'bench', systemViewer);
const headers = { authorization: `Bearer ${token}` };

const timed = async (url: string, payload: object): Promise<[number, { id?: number }]> => {
  const start = performance.now();
  const response = await app.inject({ method: 'POST', url, headers, payload });
  const ms = performance.now() - start;
  if (response.statusCode !== 201 && response.statusCode !== 200)
    throw new Error(`${url}: ${response.statusCode} ${response.body.slice(0, 200)}`);
  return [ms, response.json() as { id?: number }];
};

const creates: number[] = [];
const steps: number[] = [];
for (let i = 0; i < runs + 10; i++) {
  const [ms, appeal] = await timed('/api/v1/appeals', {
    channel: 'phone',
    kind: 'complaint',
    categoryCode: 'parking.shortage',
    description: '小区停车难，晚上回来没有车位',
    communityCode: communities[Math.floor(Math.random() * communities.length)],
  });
  const lifecycle = [
    { type: 'dispatch', expectedVersion: 1, unit: { name: '街道办事处', type: 'street_office' } },
    { type: 'respond', expectedVersion: 2 },
    { type: 'handle', expectedVersion: 3, result: '已协调' },
    { type: 'callback', expectedVersion: 4, contacted: true, solved: true, satisfaction: 'satisfied' },
  ];
  const stepTimes = [];
  for (const step of lifecycle) stepTimes.push((await timed(`/api/v1/appeals/${appeal.id}/events`, step))[0]);
  // The first few warm the caches and jieba's dictionary.
  if (i >= 10) {
    creates.push(ms);
    steps.push(...stepTimes);
  }
}
await app.close();
await db.close();

const ms = (x: number) => `${x.toFixed(1)} ms`;
const table = [
  '| request (PGlite, one at a time) | appeals stored | runs | p50 | p99 |',
  '|---|---|---|---|---|',
  `| POST /appeals | ${stored.toLocaleString('en')} | ${creates.length} | ${ms(percentile(creates, 50))} | ${ms(percentile(creates, 99))} |`,
  `| POST /appeals/{id}/events (dispatch, respond, handle, callback) | ${stored.toLocaleString('en')} | ${steps.length} | ${ms(percentile(steps, 50))} | ${ms(percentile(steps, 99))} |`,
];
console.log(table.join('\n'));
recordBenchmark('intake-pglite', `npx tsx bench/intake-pglite.ts --data-dir ${dataDir} --runs ${runs}`, table);
