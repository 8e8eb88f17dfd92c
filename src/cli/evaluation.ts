import type { Config } from '../config.ts';
import { migrate } from '../db/migrator.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { checkRollups, rebuildRollups, sweepOverdue } from '../domains/evaluation/rollup.ts';

/** `mustanswer evaluation check`: recounts the rollups from the appeals and lists any difference. */
export async function evaluationCheckCommand(config: Config, options: { rebuild: boolean }): Promise<void> {
  const db = await openConfiguredDatabase(config);
  try {
    await migrate(db);
    // Deadlines that passed since the last write are counted first: the check compares overdue too.
    const turned = await sweepOverdue(db.kysely);
    if (turned > 0)
      console.log(`${turned} 件诉求新近超期，已计入 / ${turned} appeals fell overdue since their last write and are now counted`);
    const differences = await checkRollups(db.kysely);
    if (differences.length === 0) {
      console.log('汇总表与原始诉求一致 / the rollups match the appeals');
      return;
    }
    console.log(`发现 ${differences.length} 处不一致（最多列 100 处）/ ${differences.length} differences (up to 100 listed):`);
    for (const d of differences.slice(0, 20))
      console.log(`  ${d.cell}: stored ${JSON.stringify(d.stored)} expected ${JSON.stringify(d.expected)}`);
    if (options.rebuild) {
      const rows = await db.kysely.transaction().execute((trx) => rebuildRollups(trx));
      const left = await checkRollups(db.kysely);
      console.log(
        `已重建 / rebuilt: ${rows} rows; ${left.length === 0 ? '现已一致 / now consistent' : `仍有 ${left.length} 处 / still ${left.length} differences`}`,
      );
    } else {
      process.exitCode = 1;
      console.log('用 --rebuild 重建 / run with --rebuild to rebuild them');
    }
  } finally {
    await db.close();
  }
}
