import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { openPglite, openPostgres, type Backend, type Database } from '../../src/db/connection.ts';
import { withDatabase } from './templates.ts';

/** PGlite always; PostgreSQL too when DATABASE_URL is set. */
export const backends: Backend[] = inject('databaseUrl') ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A database of this test file's own, migrated and holding Beijing's divisions: PGlite from the
 * template snapshot, or a PostgreSQL database cloned from the template database and dropped after.
 */
export async function openTestDatabase(backend: Backend): Promise<Database> {
  if (backend === 'pglite') {
    const snapshot = fs.readFileSync(inject('pgliteTemplate'));
    return openPglite({ loadDataDir: new Blob([snapshot]) });
  }
  const databaseUrl = inject('databaseUrl');
  const template = inject('pgTemplate');
  if (!databaseUrl || !template) throw new Error('PostgreSQL tests need DATABASE_URL');
  const name = `mustanswer_test_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(databaseUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const db = await openPostgres(withDatabase(databaseUrl, name));
  return {
    ...db,
    async close() {
      await db.close();
      await adminQuery(databaseUrl, `DROP DATABASE IF EXISTS ${name}`);
    },
  };
}

/** Opens a database before the file's tests and closes it after; read `.db` inside tests. */
export function useTestDatabase(backend: Backend): { readonly db: Database } {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  return {
    get db() {
      if (!db) throw new Error('test database not open yet');
      return db;
    },
  };
}

async function adminQuery(databaseUrl: string, text: string): Promise<void> {
  // Cloning the same template from two files at once can briefly fail with "source database is
  // being accessed by other users": retry a few times before giving up.
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(text);
      return;
    } catch (error) {
      if (attempt >= 5 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    } finally {
      await client.end();
    }
  }
}
