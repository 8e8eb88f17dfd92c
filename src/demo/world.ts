import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../db/connection.ts';
import { systemViewer, type Viewer } from '../domains/accounts/viewer.ts';
import { countByLevel } from '../domains/geo/queries.ts';
import { loadProvince } from '../domains/geo/load.ts';
import { saveProfile } from '../domains/geo/service.ts';
import { loadDemoAppeals } from './appeals.ts';
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
 * The seed article's world, built the way users build theirs: hotline exports written and
 * imported, then the programs recorded on the evidence the key-community lists give, through the
 * same services the API calls. Every figure is computed afterwards from these rows.
 */
export async function buildDemoWorld(db: Database, options: DemoOptions): Promise<DemoWorld> {
  if ((await countByLevel(db.kysely, '11')).community === 0) {
    options.onStep?.('区划 / divisions');
    await loadProvince(db.kysely, '11');
  }
  options.onStep?.('12345 诉求 / appeals');
  const appeals = await loadDemoAppeals(db, demoViewer, { scale: options.scale, dir: path.join(options.dataDir, 'demo-exports'), onProgress: options.onProgress });
  // PGlite runs no autovacuum, so nothing gathers statistics after an import; without them the
  // planner guesses badly (the city's latest day with appeals read a whole month of appeals
  // rather than one index entry). PostgreSQL's autovacuum does this on its own.
  await sql`ANALYZE`.execute(db.kysely);
  // The article's one profile figure; every other community's profile is left for users to fill.
  await saveProfile(db.kysely, JINGTIE, { residents: jingtieResidents, notes: '大型社区，停车管理等历史遗留问题突出' }, demoViewer);
  options.onStep?.('书记项目 / programs');
  const programs = await recordDemoPrograms(db.kysely, demoViewer);
  options.onStep?.('演示账号 / demo logins');
  const logins = await createDemoUsers(db.kysely, demoViewer, programs.fengtai.tianHuilinCadreId);
  return { appeals: appeals.rows, programs, logins };
}
