import type { Config } from '../config.ts';
import type { Database } from '../db/connection.ts';
import { migrate } from '../db/migrator.ts';
import { describeDatabase, openConfiguredDatabase } from '../db/open.ts';
import type { DemoExports } from '../demo/appeals.ts';
import { buildDemoWorld, isEmptyForDemo, startDemo, type DemoWorld } from '../demo/world.ts';
import type { DemoLogin } from '../demo/users.ts';
import { rememberCredentials } from './credentials.ts';
import { progressBar } from './progress.ts';

/**
 * DOMAIN.md asks for about 2 % of the real volume loaded in under two minutes. On PGlite, on this
 * project's idle two-core machine, the whole `demo world` at 1.8 % (969,240 appeals) takes 106 s;
 * at 2 % (1,076,933) 103–121 s over eight runs, median 111 s, once just over the two minutes
 * (BENCHMARKS.md, demo-pglite). So the default is 1.8 %, and `--scale 0.02` loads the full 2 %.
 */
export const defaultDemoScale = 0.018;

/**
 * What a demo build prints: each step's name and, when it ends, its time; the appeals' progress
 * bar; and at the end the logins, once, kept in the credentials file. Shared by `mustanswer demo`
 * and a first start, whose build runs in a worker thread and reports here.
 */
export function demoReporter(dataDir: string) {
  let bar: ReturnType<typeof progressBar> | undefined;
  const started = Date.now();
  let step: { name: string; started: number } | undefined;
  // Each step's time when it ends, so that a slow load shows where it went.
  const endStep = () => {
    bar?.stop();
    bar = undefined;
    if (step) console.log(`  ${step.name}: ${((Date.now() - step.started) / 1000).toFixed(1)} s`);
  };
  return {
    onStep: (name: string) => {
      endStep();
      step = { name, started: Date.now() };
      console.log(`演示数据 / demo: ${name}`);
    },
    onProgress: (done: number, total: number) => {
      bar ??= progressBar('诉求 appeals', total);
      bar.update(done);
    },
    finish: (world: { appeals: number; logins: DemoLogin[] }) => {
      endStep();
      const file = rememberCredentials(
        dataDir,
        world.logins.map(({ login, password, role, scope }) => ({ login, password, role, scope })),
      );
      console.log(
        `演示数据已就绪 / demo ready: ${world.appeals.toLocaleString()} 件诉求 appeals, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
      console.log('演示账号（密码只显示这一次）/ demo logins (passwords shown only now):');
      for (const l of world.logins)
        console.log(`  ${l.login.padEnd(14)} ${l.password}  ${l.role.padEnd(20)} ${l.displayName} — ${l.purpose}`);
      console.log(`也保存在 / also kept in ${file} (0600)`);
    },
  };
}

/** Builds the demo world with progress bars, prints the logins once and keeps them in the credentials file. */
export async function runDemo(
  db: Database,
  config: Config,
  scale: number,
  exports?: DemoExports,
  options: { keepExports?: boolean } = {},
): Promise<DemoWorld> {
  const report = demoReporter(config.dataDir);
  const world = await buildDemoWorld(db, {
    scale,
    dataDir: config.dataDir,
    exports,
    keepExports: options.keepExports === true,
    onStep: report.onStep,
    onProgress: report.onProgress,
  });
  report.finish(world);
  return world;
}

export async function demoCommand(config: Config, scale: number, options: { keepExports?: boolean } = {}): Promise<void> {
  // Writing the exports needs no database: it starts while the database opens and migrates.
  const exports = startDemo(scale, config.dataDir);
  try {
    const db = await openConfiguredDatabase(config);
    try {
      await migrate(db);
      if (!(await isEmptyForDemo(db))) {
        throw new Error(
          `${describeDatabase(config)} 已有诉求数据，演示数据只载入空库 / already holds appeals; the demo loads only into an empty database`,
        );
      }
      await runDemo(db, config, scale, exports, options);
    } finally {
      await db.close();
    }
  } finally {
    await exports.stop();
  }
}
