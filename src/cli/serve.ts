import type { Config } from '../config.ts';
import { buildApp } from '../app.ts';
import { listMigrations, migrate } from '../db/migrator.ts';
import type { Database } from '../db/connection.ts';
import type { DemoExports } from '../demo/appeals.ts';
import { isEmptyForDemo, startDemo } from '../demo/world.ts';
import { defaultDemoScale, runDemo } from './demo.ts';
import { describeDatabase, openConfiguredDatabase } from '../db/open.ts';
import { countByLevel } from '../domains/geo/queries.ts';
import { describeLoad, loadProvinceWithProgress } from './geo.ts';
import { ensureFirstAdmin } from '../domains/accounts/service.ts';
import { rememberCredentials } from './credentials.ts';
import { sweepOverdue } from '../domains/evaluation/rollup.ts';

/** Deadlines pass between writes: every minute, the appeals that fell overdue are counted so. */
function startOverdueSweeper(db: Database, log: { error: (obj: object, msg: string) => void }): NodeJS.Timeout {
  const sweep = () => sweepOverdue(db.kysely).catch((error: unknown) => log.error({ err: error }, 'overdue sweep failed'));
  void sweep();
  return setInterval(sweep, 60_000).unref();
}

export async function serveCommand(config: Config, options: { demo: boolean }): Promise<void> {
  const db = await openConfiguredDatabase(config);
  const applied = await migrate(db);
  // A database this start created; the demo goes only into such an embedded one (DOMAIN.md).
  const created = applied.length === listMigrations().length;
  if (applied.length > 0) console.log(`数据库迁移 / migrations applied: ${applied.join(', ')}`);
  // The demo's exports start being written now, beside the divisions' load: they need no database.
  const demo = created && !config.databaseUrl && options.demo && (await isEmptyForDemo(db)) ? startDemo(defaultDemoScale, config.dataDir) : undefined;
  try {
    await firstStart(db, config, demo);
  } finally {
    await demo?.stop();
  }

  const app = await buildApp({
    db,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    logger: { level: config.logLevel, ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}) },
  });
  const sweeper = startOverdueSweeper(db, app.log);
  const shutdown = async () => {
    clearInterval(sweeper);
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  console.log(`必答题 mustanswer: http://localhost:${config.port}  (API docs /api/docs, ${describeDatabase(config)})`);
}

/** What a start does before it serves: Beijing's divisions, the first admin and, on a new embedded database, the demo. */
async function firstStart(db: Database, config: Config, demo: DemoExports | undefined): Promise<void> {
  const beijing = await countByLevel(db.kysely, '11');
  if (beijing.community === 0) {
    console.log('首次启动：载入北京市行政区划 / First start: loading the divisions of Beijing');
    console.log(describeLoad(await loadProvinceWithProgress(db.kysely, '11')));
  }

  const admin = await ensureFirstAdmin(db.kysely);
  if (admin) {
    const file = rememberCredentials(config.dataDir, [{ ...admin, role: 'admin', scope: '11' }]);
    console.log('────────────────────────────────────────────────────────────');
    console.log(`首次启动，已创建管理员 / first start, admin created: ${admin.login}`);
    console.log(`密码（只显示这一次）/ password (shown only now): ${admin.password}`);
    console.log(`也保存在 / also kept in ${file} (0600)`);
    console.log('────────────────────────────────────────────────────────────');
  }

  if (demo) {
    console.log('首次启动：载入演示数据（mustanswer serve --no-demo 可跳过）/ first start: loading the demo world (skip with --no-demo)');
    await runDemo(db, config, defaultDemoScale, demo);
  }
}
