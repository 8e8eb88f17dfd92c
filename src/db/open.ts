import path from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from './connection.ts';
import { lockDataDir } from './lock.ts';

/**
 * Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else PGlite
 * in DATA_DIR, locked against a second process for as long as it is open.
 */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return openDatabase({ databaseUrl: config.databaseUrl });
  const release = lockDataDir(config.dataDir);
  try {
    const db = await openDatabase({ dataDir: path.join(config.dataDir, 'pglite') });
    return {
      ...db,
      async close() {
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export function describeDatabase(config: Config): string {
  return config.databaseUrl
    ? `PostgreSQL (${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')})`
    : `PGlite (${path.join(config.dataDir, 'pglite')})`;
}
