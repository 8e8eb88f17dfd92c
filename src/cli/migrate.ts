import type { Config } from '../config.ts';
import { migrate } from '../db/migrator.ts';
import { describeDatabase, openConfiguredDatabase } from '../db/open.ts';

export async function migrateCommand(config: Config): Promise<void> {
  const db = await openConfiguredDatabase(config);
  try {
    const applied = await migrate(db);
    console.log(
      `${describeDatabase(config)}: ${applied.length === 0 ? '已是最新 / up to date' : `已执行 / applied ${applied.join(', ')}`}`,
    );
  } finally {
    await db.close();
  }
}
