import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { listMigrations, migrate } from '../../src/db/migrator.ts';
import { backends, openTestDatabase } from '../support/databases.ts';

describe.each(backends)('migrations on %s', (backend) => {
  it('applies nothing twice', async () => {
    const db = await openTestDatabase(backend);
    try {
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('rolls a failing migration back whole and records nothing', async () => {
    const db = await openTestDatabase(backend);
    try {
      const broken = {
        name: '9999_broken.sql',
        domain: 'test',
        sql: 'CREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\nSELECT no_such_function();',
      };
      await expect(migrate(db, [...listMigrations(), broken])).rejects.toThrow(/9999_broken/);
      const table = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'half_done'`.execute(db.kysely);
      expect(table.rows[0]!.n).toBe(0);
      const recorded = await sql<{ n: number }>`SELECT count(*) AS n FROM schema_migration WHERE name = '9999_broken.sql'`.execute(
        db.kysely,
      );
      expect(recorded.rows[0]!.n).toBe(0);
      // The connection is usable again after the failure.
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('numbers migrations uniquely across domains', () => {
    const names = listMigrations().map((m) => m.name.slice(0, 4));
    expect(new Set(names).size).toBe(names.length);
  });
});
