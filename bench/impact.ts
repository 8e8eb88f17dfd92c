/**
 * The impact benchmark (issue 18): on the demo database, the impact estimate of Fengtai's
 * governance-secretary program — a 50-community batch (batch 2 covers 50; the program as a whole
 * posts 50 communities in two cohorts) — with a bootstrap of 1,000 draws and both placebos, as
 * the API answers it. Goal: under 2 s.
 *
 *   npx tsx bench/impact.ts                  # builds the default demo (1.8 %) once in data/bench-impact-0.018
 *   npx tsx bench/impact.ts --scale 0.005    # a smaller demo
 *   npx tsx bench/impact.ts --runs 5
 *
 * The demo is built the first time into its own embedded database under data/ and reused after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPglite } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrator.ts';
import { buildDemoWorld, isEmptyForDemo } from '../src/demo/world.ts';
import { systemViewer } from '../src/domains/accounts/viewer.ts';
import { impactReport } from '../src/domains/impact/service.ts';
import { recordBenchmark } from './record.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const scale = Number(option('scale', '0.018'));
const runs = Number(option('runs', '5'));
const dir = path.resolve('data', `bench-impact-${scale}`);

const db = await openPglite({ dataDir: path.join(dir, 'pglite') });
await migrate(db);
if (await isEmptyForDemo(db)) {
  fs.mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  console.log(`building the demo at ${scale} in ${dir} …`);
  await buildDemoWorld(db, { scale, dataDir: dir, onStep: (s) => console.log(`  ${s}`) });
  console.log(`demo built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const program = await db.kysely.selectFrom('program').select('id').where('district_code', '=', '110106').executeTakeFirstOrThrow();
const batches = await db.kysely
  .selectFrom('batch')
  .select(['id', 'number'])
  .where('program_id', '=', program.id)
  .orderBy('number')
  .execute();
const fengtai = { ...systemViewer, role: 'org_department' as const, scopeCode: '110106' };

const cases = [
  { label: 'program (50 communities, cohorts 2021-12 and 2023-02)', input: { program: program.id } },
  { label: 'batch 2 (covers 50; 24 new, 26 carried over)', input: { program: program.id, batch: batches[1]!.id } },
  { label: 'batch 1 (26 communities)', input: { program: program.id, batch: batches[0]!.id } },
];
const table = [
  '| estimate | treated | comparison | pool | wall, median | wall, min | CPU, median | resolution effect [95 % CI] | naive change |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const c of cases) {
  const times: number[] = [];
  const cpu: number[] = [];
  let last: Awaited<ReturnType<typeof impactReport>> | undefined;
  await impactReport(db.kysely, { ...c.input, draws: 1000 }, fengtai); // warm-up: caches, JIT
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    last = await impactReport(db.kysely, { ...c.input, draws: 1000 }, fengtai);
    const used = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const r = last!.outcomes.find((o) => o.outcome === 'resolution')!;
  const pts = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}`);
  const row = `| ${c.label} | ${last!.treated.length} | ${last!.comparison.length} | ${last!.poolSize} | ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(2)} s | ${(times[0]! / 1000).toFixed(2)} s | ${(cpu[Math.floor(cpu.length / 2)]! / 1000).toFixed(2)} s | ${pts(r.overall.estimate)} [${pts(r.overall.low)}, ${pts(r.overall.high)}] points | ${pts(r.naive.change)} points |`;
  console.log(row);
  table.push(row);
}
const load = os.loadavg()[0]!.toFixed(1);
table.push(
  '',
  `Each estimate: matching, the difference-in-differences of four outcomes with 1,000 cluster-bootstrap draws each, and both placebos (1,000 draws each), as GET /api/v1/impact answers it; demo at ${scale} on the embedded database (PGlite), ${runs} runs after a warm-up. CPU is this process's (PGlite runs inside it, so the queries count too); load average ${load} on ${os.cpus().length} cores when it finished, so wall time is what a shared machine gives.`,
);
recordBenchmark('impact', `npx tsx bench/impact.ts --scale ${scale} --runs ${runs}`, table);
await db.close();
