import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { buildApp, defaultWebDist, version } from '../app.ts';
import { migrate } from '../db/migrator.ts';
import type { Database } from '../db/connection.ts';
import { lockDataDir } from '../db/lock.ts';
import type { DemoLogin } from '../demo/users.ts';
import { buildInWorker, clearUnfinished, pendingFirstStart, readMarker, writeMarker } from '../startup/first-start.ts';
import { buildLoadingApp } from '../startup/loading-app.ts';
import { StartupStatus } from '../startup/status.ts';
import { defaultDemoScale, demoReporter } from './demo.ts';
import { describeDatabase, openConfiguredDatabase } from '../db/open.ts';
import { countByLevel } from '../domains/geo/queries.ts';
import { describeLoad, loadProvinceWithProgress } from './geo.ts';
import { ensureFirstAdmin } from '../domains/accounts/service.ts';
import { rememberCredentials } from './credentials.ts';
import { sweepOverdue } from '../domains/evaluation/rollup.ts';
import { failInterruptedImports } from '../domains/appeals/import/service.ts';

/** Deadlines pass between writes: every minute, the appeals that fell overdue are counted so. */
function startOverdueSweeper(db: Database, log: { error: (obj: object, msg: string) => void }): NodeJS.Timeout {
  const sweep = () => sweepOverdue(db.kysely).catch((error: unknown) => log.error({ err: error }, 'overdue sweep failed'));
  void sweep();
  return setInterval(sweep, 60_000).unref();
}

export async function serveCommand(config: Config, options: { demo: boolean; demoScale?: number }): Promise<void> {
  if (!config.databaseUrl) {
    // Held from here on, so that no other process opens (or a rebuild removes) a database in use.
    lockDataDir(config.dataDir);
    const pending = pendingFirstStart(config.dataDir);
    if (pending) return serveWhileBuilding(config, { demo: options.demo, scale: options.demoScale ?? defaultDemoScale, pending });
  }
  const db = await openConfiguredDatabase(config);
  const applied = await migrate(db);
  if (applied.length > 0) console.log(`数据库迁移 / migrations applied: ${applied.join(', ')}`);
  await firstStart(db, config);
  await noteInterruptedImports(db);
  const app = await buildServingApp(db, config);
  const stop = startServing(db, app);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port: config.port, host: config.host });
  console.log(`必答题 mustanswer: http://localhost:${config.port}  (API docs /api/docs, ${describeDatabase(config)})`);
}

/** An upload imported in steps on the embedded database and cut off by a stop shows as failed, not running. */
async function noteInterruptedImports(db: Database): Promise<void> {
  const failed = await failInterruptedImports(db);
  if (failed > 0)
    console.log(
      `${failed} 个导入在上次停止时未完成，已标为失败；重新导入同一文件即可补齐 / ${failed} import(s) cut off by the last stop marked failed; import the same file again to land the rest`,
    );
}

function buildServingApp(db: Database, config: Config): Promise<FastifyInstance> {
  return buildApp({
    db,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    logger: { level: config.logLevel, ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}) },
  });
}

/** The overdue sweeper; returns what stops the app, the sweeper and the database. */
function startServing(db: Database, app: FastifyInstance, server?: http.Server): () => Promise<void> {
  const sweeper = startOverdueSweeper(db, app.log);
  return async () => {
    clearInterval(sweeper);
    server?.close();
    server?.closeAllConnections();
    await app.close();
    await db.close();
    process.exit(0);
  };
}

/**
 * A first start on the embedded database: the port answers at once (the web app, health and
 * `/api/v1/status` with the progress, every other request a 503 saying the demo is loading)
 * while a worker thread builds the database; then the real app takes over the same port, with no
 * gap. A first start that was killed halfway left `first-start.json` at `loading`: its database
 * is removed and built again.
 */
async function serveWhileBuilding(config: Config, options: { demo: boolean; scale: number; pending: 'new' | 'unfinished' }): Promise<void> {
  if (options.pending === 'unfinished') {
    console.log(
      '上次首次启动没有完成，删除未建完的数据库并重新建立 / the last first start did not finish: its half-built database is removed and built again',
    );
    clearUnfinished(config.dataDir);
  }
  writeMarker(config.dataDir, { state: 'loading', demo: options.demo, scale: options.scale, startedAt: new Date().toISOString() });
  const status = new StartupStatus(options.demo, options.scale);
  const report = demoReporter(config.dataDir);
  // The builder starts first: its thread loads its modules and creates the database while this
  // one builds the loading app and opens the port, rather than after.
  const build = buildInWorker(config.dataDir, options, (message) => {
    if (message.type === 'log') console.log(message.line);
    else if (message.type === 'admin') announceAdmin(config, message);
    else if (message.type === 'phase') {
      status.enter(message.phase);
      if (message.phase === 'divisions') console.log('首次启动：载入北京市行政区划 / First start: loading the divisions of Beijing');
      else report.onStep(message.step);
    } else if (message.type === 'progress') {
      status.advance(message.done, message.total);
      if (status.phase === 'appeals' || status.phase === 'indexes') report.onProgress(message.done, message.total);
    }
  });
  // Awaited once the port is open; a failure before that must not count as unhandled meanwhile.
  build.done.catch(() => undefined);
  let current: FastifyInstance = await buildLoadingApp({ status, webDist: defaultWebDist, backend: 'pglite', version });
  await current.ready();
  const server = http.createServer((request, response) => current.routing(request, response));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    // The port is taken: nothing is served, so nothing is built either (the marker stays
    // `loading`, and the next start builds afresh).
    await build.stop();
    throw error;
  }
  console.log(
    `必答题 mustanswer: http://localhost:${config.port}  首次启动，正在建立数据库${options.demo ? '并载入演示数据' : ''}，网页显示进度 / first start: building the database${options.demo ? ' and the demo' : ''}; the web app shows the progress`,
  );
  const stopBuilding = async () => {
    await build.stop();
    server.close();
    server.closeAllConnections();
    process.exit(130);
  };
  process.once('SIGINT', stopBuilding);
  process.once('SIGTERM', stopBuilding);
  let world: { appeals: number; logins: DemoLogin[] };
  try {
    world = await build.done;
  } catch (error) {
    status.fail(error instanceof Error ? error.message : String(error));
    server.close();
    server.closeAllConnections();
    throw error;
  }
  if (options.demo) report.finish(world);
  writeMarker(config.dataDir, { ...readMarker(config.dataDir)!, state: 'ready', readyAt: new Date().toISOString() });

  const db = await openConfiguredDatabase(config);
  const app = await buildServingApp(db, config);
  await app.ready();
  // From the next request on, the real app answers on the same port.
  const loading = current;
  current = app;
  status.enter('ready');
  void loading.close();
  process.removeListener('SIGINT', stopBuilding);
  process.removeListener('SIGTERM', stopBuilding);
  const stop = startServing(db, app, server);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`必答题 mustanswer: http://localhost:${config.port}  已就绪 / ready  (API docs /api/docs, ${describeDatabase(config)})`);
}

function announceAdmin(config: Config, admin: { login: string; password: string }): void {
  const file = rememberCredentials(config.dataDir, [{ ...admin, role: 'admin', scope: '11' }]);
  console.log('────────────────────────────────────────────────────────────');
  console.log(`首次启动，已创建管理员 / first start, admin created: ${admin.login}`);
  console.log(`密码（只显示这一次）/ password (shown only now): ${admin.password}`);
  console.log(`也保存在 / also kept in ${file} (0600)`);
  console.log('────────────────────────────────────────────────────────────');
}

/** What a start does before it serves: Beijing's divisions and the first admin, where missing (a first start on PostgreSQL). */
async function firstStart(db: Database, config: Config): Promise<void> {
  const beijing = await countByLevel(db.kysely, '11');
  if (beijing.community === 0) {
    console.log('首次启动：载入北京市行政区划 / First start: loading the divisions of Beijing');
    console.log(describeLoad(await loadProvinceWithProgress(db.kysely, '11')));
  }
  const admin = await ensureFirstAdmin(db.kysely);
  if (admin) announceAdmin(config, admin);
}
