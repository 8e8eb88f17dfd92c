/**
 * Where the server's CPU goes under bench/intake.ts's load (issue 15): a mustanswer server in this
 * process, on a database that bench/intake.ts stored (`--store-only`), is loaded by the same load
 * generator with 50 connections, first filing appeals spread over the city, then stepping them
 * through their lifecycle, each phase under node:inspector's CPU profiler. It prints each phase's
 * requests a second, p99 and the server's CPU per request, and the heaviest functions and packages
 * by time of their own; the profiles are kept (`--out`) for Chrome's DevTools or speedscope.
 * The profiler costs the server about a tenth of its throughput: compare runs of this script with
 * each other, and take the goals' figures from bench/intake.ts.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/profile.ts --database mustanswer_1m
 *   … --seconds 8 --out /tmp/profiles --top 30
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { openPostgres } from '../src/db/connection.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import * as accounts from '../src/domains/accounts/service.ts';
import type { LoadPlan } from './load-client.ts';
import { runLoad } from './load-runner.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const databaseName = option('database', 'mustanswer_1m');
const seconds = Number(option('seconds', '8'));
const out = option('out', path.join(process.cwd(), 'profiles'));
const top = Number(option('top', '25'));
if (!/^[a-z_][a-z0-9_]*$/.test(databaseName)) throw new Error('--database takes a plain lower-case name');
if (!(seconds > 0 && seconds <= 120)) throw new Error('--seconds takes 1 to 120');
if (!(top > 0 && top <= 200)) throw new Error('--top takes 1 to 200');
if (!process.env.DATABASE_URL)
  throw new Error('Set DATABASE_URL to the PostgreSQL server that holds --database (bench/intake.ts --store-only)');

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Time of its own per function and per package (node_modules' name, or the source folder), as shares of the phase. */
function summary(profile: CpuProfile): string[] {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const own = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    own.set(id, (own.get(id) ?? 0) + delta);
    total += delta;
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, time] of own) {
    const frame = frames.get(id)!;
    const file = frame.url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
    const name = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
    const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1];
    const where = inModules ?? (file.startsWith('node:') ? 'node' : file ? path.dirname(file) : frame.functionName);
    byPackage.set(where, (byPackage.get(where) ?? 0) + time);
  }
  const heaviest = (times: Map<string, number>) =>
    [...times]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => `  ${((time / total) * 100).toFixed(1).padStart(5)} %  ${name}`);
  // "(idle)" is the event loop waiting; "writev" mostly the wait while PostgreSQL, woken by the write, runs on the same core.
  return ['by package or folder:', ...heaviest(byPackage), 'by function:', ...heaviest(byFunction)];
}

const url = new URL(process.env.DATABASE_URL);
url.pathname = `/${databaseName}`;
const db = await openPostgres(url.toString());
const app = await buildApp({ db, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
const base = `http://127.0.0.1:${address.port}`;
const { user } = await accounts.createUser(
  db.kysely,
  { login: `profile-${Date.now()}`, role: 'admin', scope: '11', displayName: '性能剖析' },
  systemViewer,
);
const { token } = await accounts.createApiToken(db.kysely, user.id, 'profile', systemViewer);
const communities = (
  await sql<{ code: string }>`SELECT code FROM division WHERE level = 'community' AND code LIKE '11%'`.execute(db.kysely)
).rows.map((r) => r.code);
const before = Number((await sql<{ id: string }>`SELECT coalesce(max(id), 0) AS id FROM appeal`.execute(db.kysely)).rows[0]!.id);

fs.mkdirSync(out, { recursive: true });
const session = new Session();
session.connect();
await session.post('Profiler.enable');

async function phase(name: string, plan: LoadPlan): Promise<void> {
  await session.post('Profiler.start');
  const cpu = process.cpuUsage();
  const result = await runLoad(plan);
  const used = process.cpuUsage(cpu);
  const { profile } = await session.post('Profiler.stop');
  const file = path.join(out, `${name}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  const perRequest = (used.user + used.system) / 1000 / Math.max(result.requests, 1);
  console.log(
    `\n${name}: ${result.perSecond.toFixed(0)}/s, p99 ${result.p99} ms, ${result.non2xx + result.errors + result.timeouts} not 2xx, server CPU ${perRequest.toFixed(3)} ms a request (${file})`,
  );
  console.log(summary(profile as CpuProfile).join('\n'));
}

await phase('filings', { url: base, kind: 'create', connections: 50, seconds, token, communities });
const filed = (await sql<{ id: number }>`SELECT id FROM appeal WHERE id > ${before} ORDER BY random()`.execute(db.kysely)).rows.map((r) =>
  Number(r.id),
);
await phase('steps', { url: base, kind: 'events', connections: 50, seconds, token, appeals: filed });
session.disconnect();
await app.close();
await db.close();
