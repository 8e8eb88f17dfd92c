import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Tables } from '../db/tables.ts';
import { migrate } from '../db/migrator.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { loadProvince, type LoadResult } from '../domains/geo/load.ts';
import { countProvince } from '../domains/geo/source.ts';
import { progressBar } from './progress.ts';

/** Loads a province with a progress bar; shared by `geo load` and the first start of `serve`. */
export async function loadProvinceWithProgress(db: Kysely<Tables>, province: string): Promise<LoadResult> {
  const total = await countProvince(province);
  const bar = progressBar(`区划 divisions ${province}`, total || 1);
  try {
    return await loadProvince(db, province, bar.update);
  } finally {
    bar.stop();
  }
}

export function describeLoad(result: LoadResult): string {
  const c = result.counts;
  return (
    `省 ${result.province}: 新增 ${result.inserted}，更新 ${result.updated} / inserted ${result.inserted}, updated ${result.updated}\n` +
    `现有 now held: ${c.district} 区县 districts, ${c.street} 街道乡镇 streets, ${c.community} 社区村 communities`
  );
}

export async function geoLoadCommand(config: Config, province: string): Promise<void> {
  if (!/^\d{2}$/.test(province))
    throw new Error(`--province 应为两位省级代码，如 11 / --province must be a 2-digit province code such as 11, got "${province}"`);
  const db = await openConfiguredDatabase(config);
  try {
    await migrate(db);
    console.log(describeLoad(await loadProvinceWithProgress(db.kysely, province)));
  } finally {
    await db.close();
  }
}
