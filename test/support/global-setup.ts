import fs from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrator.ts';
import { loadProvince } from '../../src/domains/geo/load.ts';
import { cacheDir, pgliteTemplatePath, pgTemplateName, templateKey, withDatabase } from './templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string | null;
    databaseUrl: string | null;
  }
}

/** Migrate once and load Beijing once; every test file then starts from a copy of that. */
export default async function setup(project: TestProject): Promise<void> {
  const key = templateKey();
  fs.mkdirSync(cacheDir, { recursive: true });

  const pgliteFile = pgliteTemplatePath(key);
  if (!fs.existsSync(pgliteFile)) {
    const db = await openPglite();
    await migrate(db);
    await loadProvince(db.kysely, '11');
    const dump = await dumpPglite(db);
    fs.writeFileSync(`${pgliteFile}.tmp`, dump);
    fs.renameSync(`${pgliteFile}.tmp`, pgliteFile);
    await db.close();
  }
  project.provide('pgliteTemplate', pgliteFile);

  const databaseUrl = process.env.DATABASE_URL || null;
  project.provide('databaseUrl', databaseUrl);
  project.provide('pgTemplate', databaseUrl ? await ensurePgTemplate(databaseUrl, pgTemplateName(key)) : null);
}

async function dumpPglite(db: Awaited<ReturnType<typeof openPglite>>): Promise<Buffer> {
  if (!db.dumpDataDir) throw new Error('PGlite handle cannot dump its data directory');
  return Buffer.from(await (await db.dumpDataDir()).arrayBuffer());
}

async function ensurePgTemplate(databaseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return name;
    // Built under another name and renamed when complete, so a run that dies halfway leaves no
    // template that looks finished.
    const building = `${name}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building}`);
    await admin.query(`CREATE DATABASE ${building}`);
    const db = await openPostgres(withDatabase(databaseUrl, building));
    try {
      await migrate(db);
      await loadProvince(db.kysely, '11');
    } finally {
      await db.close();
    }
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await admin.end();
  }
}
