import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../src/db/tables.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { fengtaiOrg, JINGTIE, recordFengtai, recordShijingshan } from '../programs/world.ts';
import { generatePanel } from './panels.ts';

/**
 * Fengtai's program with batch 1 (10 communities posted from 2021-11-30, +10 points of
 * resolution) and batch 2 (6 new communities from 2023-02-01, no effect, and 京铁家园 carried over
 * by 田慧林's succession), 60 untreated communities, the district rising about 7 points a year.
 * The counts are written into place_month_counts directly (the rollup's own tests cover appeals →
 * counts); the appeals end in 2023-12.
 */
export async function recordImpactWorld(db: Kysely<Tables>) {
  const fengtai = await recordFengtai(db);
  await recordShijingshan(db);
  const program = fengtai.program.id;
  const batch1 = fengtai.batch1.id;
  const treated1 = fengtai.communities.slice(0, 10);
  for (const [i, code] of treated1.slice(1).entries()) {
    const cadre = await programs.createCadre(db, { name: `丰台干部${i}`, unitId: fengtai.units.housing.id }, fengtaiOrg);
    await programs.createPosting(db, { batchId: batch1, cadreId: cadre.id, communityCode: code }, fengtaiOrg);
  }
  const inBatch1 = new Set(fengtai.communities);
  const rest = (
    await db
      .selectFrom('division')
      .select('code')
      .where('level', '=', 'community')
      .where('code', 'like', '110106%')
      .orderBy('code')
      .execute()
  )
    .map((r) => r.code)
    .filter((c) => !inBatch1.has(c));
  const batch2New = rest.slice(0, 6);
  const controls = rest.slice(10, 70);
  const b2 = await programs.createBatch(db, program, { startDate: '2023-02-01' }, fengtaiOrg);
  const batch2 = b2.id;
  await programs.addBatchCommunities(
    db,
    batch2,
    { communities: [...batch2New, JINGTIE].map((communityCode) => ({ communityCode })) },
    fengtaiOrg,
  );
  for (const [i, code] of batch2New.entries()) {
    const cadre = await programs.createCadre(db, { name: `二批干部${i}`, unitId: fengtai.units.housing.id }, fengtaiOrg);
    await programs.createPosting(db, { batchId: batch2, cadreId: cadre.id, communityCode: code }, fengtaiOrg);
  }
  const { successor } = await programs.succeedPosting(
    db,
    fengtai.jiaPosting.id,
    { cadreId: fengtai.tianHuilin.id, startDate: '2023-02-01', batchId: batch2 },
    fengtaiOrg,
  );

  const panel = generatePanel({
    seed: 2021,
    from: '2020-12',
    to: '2023-12',
    controls: 60,
    cohorts: [
      { start: '2021-12', communities: 10, effect: () => 0.1 },
      { start: '2023-02', communities: 6, effect: () => 0 },
    ],
  });
  // Generated codes → real Fengtai communities, in the generator's order (cohorts, then controls).
  const real = [...treated1, ...batch2New, ...controls];
  const codes = new Map([...panel.treatment.keys()].map((code, i) => [code, real[i]!]));
  const values = panel.rows.map((r) => {
    const code = codes.get(r.communityCode)!;
    return sql`(${`${r.month}-01`}::date, ${code.slice(0, 6)}, ${code.slice(0, 9)}, ${code}, ${r.volume}, 0, ${r.responseValid}, ${r.contacted},
                ${r.resolutionValid}, ${r.solved}, ${r.satisfactionValid}, ${r.satisfied}, ${r.basically})`;
  });
  for (let i = 0; i < values.length; i += 500) {
    await sql`INSERT INTO place_month_counts (month, district_code, street_code, community_code, volume, overdue, response_valid, contacted,
              resolution_valid, solved, satisfaction_valid, satisfied, basically) VALUES ${sql.join(values.slice(i, i + 500))}`.execute(db);
  }
  return { program, batch1, batch2, tianPosting: successor.id, batch2New };
}
