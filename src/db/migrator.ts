import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connection.ts';

const domainsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'domains');

export interface Migration {
  /** File name, e.g. `0001_divisions.sql`; the number orders migrations across all domains. */
  name: string;
  domain: string;
  sql: string;
}

/** Every domain owns its migrations in `src/domains/<domain>/migrations/NNNN_name.sql`. */
export function listMigrations(root = domainsDir): Migration[] {
  const migrations: Migration[] = [];
  for (const domain of fs.readdirSync(root)) {
    const dir = path.join(root, domain, 'migrations');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      if (!/^\d{4}_[a-z0-9_]+\.sql$/.test(name)) continue;
      migrations.push({ name, domain, sql: fs.readFileSync(path.join(dir, name), 'utf8') });
    }
  }
  migrations.sort((a, b) => a.name.localeCompare(b.name));
  const seen = new Set<string>();
  for (const m of migrations) {
    const number = m.name.slice(0, 4);
    if (seen.has(number)) throw new Error(`Two migrations share the number ${number} (${m.domain}/${m.name})`);
    seen.add(number);
  }
  return migrations;
}

/** Applies the migrations not yet applied, each in its own transaction; returns their names. */
export async function migrate(db: Database, migrations = listMigrations()): Promise<string[]> {
  await db.execScript(`CREATE TABLE IF NOT EXISTS schema_migration (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  );`);
  const rows = await sql<{ name: string }>`SELECT name FROM schema_migration`.execute(db.kysely);
  const applied = new Set(rows.rows.map((r) => r.name));
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    const record = `INSERT INTO schema_migration (name) VALUES ('${migration.name.replace(/'/g, "''")}');`;
    try {
      await db.execScript(`BEGIN;\n${migration.sql}\n;${record}\nCOMMIT;`);
    } catch (error) {
      throw new Error(`迁移失败 / migration ${migration.domain}/${migration.name} failed: ${(error as Error).message}`);
    }
    done.push(migration.name);
  }
  return done;
}
