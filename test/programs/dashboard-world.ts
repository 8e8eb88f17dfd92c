import { sql, type Kysely } from 'kysely';
import type { Tables } from '../../src/db/tables.ts';
import { rebuildRollups } from '../../src/domains/evaluation/rollup.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { createUnit } from '../../src/domains/units/service.ts';
import { fengtaiOrg, JINGTIE, GAOJINGLU, recordFengtai, recordShijingshan, recordSuccession } from './world.ts';

type Db = Kysely<Tables>;

interface Seeded {
  community: string;
  received: string;
  callback: string;
  solved: boolean;
}

/**
 * Fengtai's resolution: 2021-10 (before batch 1) 1 of 2 solved; 2023-11 both solved; 2023-12 3 of 4.
 * Shijingshan's unsolved appeal of 2023-12 must not count in Fengtai.
 */
const appeals: Seeded[] = [
  { community: JINGTIE, received: '2021-10-05T02:00:00Z', callback: '2021-10-08T02:00:00Z', solved: true },
  { community: JINGTIE, received: '2021-10-06T02:00:00Z', callback: '2021-10-09T02:00:00Z', solved: false },
  { community: JINGTIE, received: '2023-11-03T02:00:00Z', callback: '2023-11-06T02:00:00Z', solved: true },
  { community: JINGTIE, received: '2023-11-04T02:00:00Z', callback: '2023-11-07T02:00:00Z', solved: true },
  { community: JINGTIE, received: '2023-12-01T02:00:00Z', callback: '2023-12-04T02:00:00Z', solved: true },
  { community: JINGTIE, received: '2023-12-02T02:00:00Z', callback: '2023-12-05T02:00:00Z', solved: true },
  { community: JINGTIE, received: '2023-12-03T02:00:00Z', callback: '2023-12-06T02:00:00Z', solved: true },
  { community: JINGTIE, received: '2023-12-04T02:00:00Z', callback: '2023-12-07T02:00:00Z', solved: false },
  { community: GAOJINGLU, received: '2023-12-04T02:00:00Z', callback: '2023-12-07T02:00:00Z', solved: false },
];

/**
 * A small Fengtai for the leader's dashboard, recorded through the services:
 * - the governance-secretary program, batch 1 from 2021-11-30 (26 communities): 贾岚 at 京铁家园,
 *   succeeded by 田慧林 on 2023-02-01; a second community's secretary from 2021-11-30 whose posting
 *   ended on 2023-10-15 (before the latest period's end);
 * - batch 2 from 2023-06-01 with one more community and its secretary;
 * - a second program (first secretaries) from 2022-01-01 that also posts to 京铁家园: on 2023-12-31
 *   the district has 3 postings on duty in 2 communities.
 * Shijingshan runs its program too (李昆明 from 2022-05-01), which Fengtai's figures must not count.
 */
export async function recordDashboardWorld(db: Db) {
  const fengtai = await recordFengtai(db);
  const succession = await recordSuccession(db, fengtai);
  const second = fengtai.communities[1]!;
  const ended = await programs.createCadre(db, { name: '王离任', unitId: fengtai.units.street.id }, fengtaiOrg);
  const endedPosting = await programs.createPosting(
    db,
    { batchId: fengtai.batch1.id, cadreId: ended.id, communityCode: second },
    fengtaiOrg,
  );
  await programs.endPosting(db, endedPosting.id, { endDate: '2023-10-15', reason: '工作调动' }, fengtaiOrg);

  const [third] = (
    await db
      .selectFrom('division')
      .select('code')
      .where('level', '=', 'community')
      .where('code', 'like', '110106%')
      .where('code', 'not in', fengtai.communities)
      .orderBy('code')
      .limit(1)
      .execute()
  ).map((r) => r.code);
  const batch2 = await programs.createBatch(db, fengtai.program.id, { startDate: '2023-06-01' }, fengtaiOrg);
  await programs.addBatchCommunities(db, batch2.id, { communities: [{ communityCode: third! }], joinedOn: '2023-06-01' }, fengtaiOrg);
  const zhao = await programs.createCadre(db, { name: '赵二批', unitId: fengtai.units.housing.id }, fengtaiOrg);
  await programs.createPosting(db, { batchId: batch2.id, cadreId: zhao.id, communityCode: third! }, fengtaiOrg);

  const company = await createUnit(db, { name: '丰台某驻区单位', type: 'resident_unit', districtCode: '110106' }, fengtaiOrg);
  const firstSecretaries = await programs.createProgram(
    db,
    { kind: 'first_secretary', name: '丰台区社区第一书记', districtCode: '110106' },
    fengtaiOrg,
  );
  const fsBatch = await programs.createBatch(db, firstSecretaries.id, { startDate: '2022-01-01' }, fengtaiOrg);
  await programs.addBatchCommunities(db, fsBatch.id, { communities: [{ communityCode: JINGTIE }], joinedOn: '2022-01-01' }, fengtaiOrg);
  const sun = await programs.createCadre(db, { name: '孙第一', unitId: company.id }, fengtaiOrg);
  await programs.createPosting(db, { batchId: fsBatch.id, cadreId: sun.id, communityCode: JINGTIE }, fengtaiOrg);

  const shijingshan = await recordShijingshan(db);

  for (const [i, a] of appeals.entries()) {
    await sql`INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code,
                                  status, contacted, solved, satisfaction, last_callback_at, last_event_at, created_by)
      VALUES (${`DASH-${i}`}, 'phone', ${a.received}::timestamptz, 'complaint', 'parking.shortage', '看板测试', ${a.community}, ${a.community.slice(0, 9)}, ${a.community.slice(0, 6)},
              'closed', true, ${a.solved}, 'satisfied', ${a.callback}::timestamptz, ${a.callback}::timestamptz, 'test')`.execute(db);
  }
  await db.transaction().execute((trx) => rebuildRollups(trx));
  return { fengtai, succession, second, third: third!, batch2, firstSecretaries, fsBatch, shijingshan };
}
