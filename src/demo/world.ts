import { sql } from 'kysely';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/connection.ts';
import { systemViewer, type Viewer } from '../domains/accounts/viewer.ts';
import { countByLevel } from '../domains/geo/queries.ts';
import { loadProvince } from '../domains/geo/load.ts';
import { saveProfile } from '../domains/geo/service.ts';
import { warmUpReader } from '../domains/appeals/import/chunks.ts';
import { loadDemoAppeals, startDemoExports, type DemoAppealsResult, type DemoExports } from './appeals.ts';
import { JINGTIE, jingtieResidents } from './facts.ts';
import { recordDemoPrograms, type DemoPrograms } from './programs.ts';
import { createDemoUsers, type DemoLogin } from './users.ts';

export interface DemoOptions {
  /** Share of Beijing's real 12345 volume (default 0.02). */
  scale: number;
  /** Where the generated hotline export files are written. */
  dataDir: string;
  onStep?: (step: string) => void;
  onProgress?: (done: number, total: number) => void;
  /** The exports as startDemo began writing them; started here when not given. */
  exports?: DemoExports | undefined;
  /** Keep the generated hotline exports after their import (by default they are removed: their digests stay on the import records). */
  keepExports?: boolean;
}

export interface DemoWorld {
  appeals: number;
  programs: DemoPrograms;
  logins: DemoLogin[];
}

const demoViewer: Viewer = { ...systemViewer, actor: 'demo' };

/** Whether a database is empty enough to hold the demo: no appeals yet. */
export async function isEmptyForDemo(db: Database): Promise<boolean> {
  const row = await sql<{ n: number }>`SELECT count(*) AS n FROM (SELECT 1 FROM appeal LIMIT 1) AS any_appeal`.execute(db.kysely);
  return row.rows[0]!.n === 0;
}

/**
 * Starts what the demo can do before it has a database: its exports need none, so their writer
 * starts first (on the second core, while this one opens the database, migrates and loads the
 * divisions), and the reader that will parse them starts its worker. Neither then keeps the
 * import waiting. Hand the result to buildDemoWorld, or stop it.
 */
export function startDemo(scale: number, dataDir: string): DemoExports {
  const written = startDemoExports(scale, path.join(dataDir, 'demo-exports'));
  warmUpReader();
  return written;
}

/**
 * The seed article's world, built the way users build theirs: hotline exports written and
 * imported, then the programs recorded on the evidence the key-community lists give, through the
 * same services the API calls. Every figure is computed afterwards from these rows.
 */
export async function buildDemoWorld(db: Database, options: DemoOptions): Promise<DemoWorld> {
  const written = options.exports ?? startDemo(options.scale, options.dataDir);
  let appeals: DemoAppealsResult;
  try {
    if ((await countByLevel(db.kysely, '11')).community === 0) {
      options.onStep?.('区划 / divisions');
      await loadProvince(db.kysely, '11');
    }
    options.onStep?.('12345 诉求 / appeals');
    appeals = await loadDemoAppeals(db, written, demoViewer, { scale: options.scale, onProgress: options.onProgress });
  } finally {
    await written.stop();
  }
  // The exports were imported (each file's digest is on its import record); unless asked to keep
  // them they go, rather than leaving a few hundred MB of CSV beside the database.
  if (!options.keepExports) fs.rmSync(path.join(options.dataDir, 'demo-exports'), { recursive: true, force: true });
  // The article's one profile figure; every other community's profile is left for users to fill.
  await saveProfile(db.kysely, JINGTIE, { residents: jingtieResidents, notes: '大型社区，停车管理等历史遗留问题突出' }, demoViewer);
  options.onStep?.('书记项目 / programs');
  const programs = await recordDemoPrograms(db.kysely, demoViewer);
  options.onStep?.('演示账号 / demo logins');
  const logins = await createDemoUsers(db.kysely, programs.fengtai.tianHuilinCadreId, demoViewer);
  return { appeals: appeals.rows, programs, logins };
}
