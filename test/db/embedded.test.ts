import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/connection.ts';

describe('the embedded database on disk', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-embedded-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs with minimal WAL from its first opening, and keeps its data across reopening', async () => {
    const setting = async (db: Awaited<ReturnType<typeof openPglite>>) =>
      (await sql<{ wal_level: string }>`SHOW wal_level`.execute(db.kysely)).rows[0]!.wal_level;
    const first = await openPglite({ dataDir: path.join(dir, 'pglite') });
    expect(await setting(first)).toBe('minimal');
    await sql`CREATE TABLE kept (n int)`.execute(first.kysely);
    await sql`INSERT INTO kept VALUES (1), (2)`.execute(first.kysely);
    await first.close();

    const again = await openPglite({ dataDir: path.join(dir, 'pglite') });
    expect(await setting(again)).toBe('minimal');
    expect((await sql<{ n: number }>`SELECT sum(n)::int AS n FROM kept`.execute(again.kysely)).rows[0]!.n).toBe(3);
    await again.close();
  });

  it('leaves an in-memory database’s WAL as it is, since a restart would lose it', async () => {
    const db = await openPglite();
    expect((await sql<{ wal_level: string }>`SHOW wal_level`.execute(db.kysely)).rows[0]!.wal_level).toBe('replica');
    await db.close();
  });
});
