import type { Config } from '../config.ts';
import { buildApp } from '../app.ts';
import { migrate } from '../db/migrator.ts';
import { describeDatabase, openConfiguredDatabase } from '../db/open.ts';
import { countByLevel } from '../domains/geo/queries.ts';
import { describeLoad, loadProvinceWithProgress } from './geo.ts';
import { ensureFirstAdmin } from '../domains/accounts/service.ts';
import { rememberCredentials } from './credentials.ts';

export async function serveCommand(config: Config): Promise<void> {
  const db = await openConfiguredDatabase(config);
  const applied = await migrate(db);
  if (applied.length > 0) console.log(`数据库迁移 / migrations applied: ${applied.join(', ')}`);
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

  const app = await buildApp({
    db,
    logger: { level: config.logLevel, ...(process.stdout.isTTY ? { transport: { target: 'pino-pretty' } } : {}) },
  });
  const shutdown = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: config.port, host: config.host });
  console.log(`必答题 mustanswer: http://localhost:${config.port}  (API docs /api/docs, ${describeDatabase(config)})`);
}
