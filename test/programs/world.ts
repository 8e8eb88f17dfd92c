import type { Kysely } from 'kysely';
import type { Tables } from '../../src/db/tables.ts';
import type { Viewer } from '../../src/domains/accounts/viewer.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { createUnit } from '../../src/domains/units/service.ts';

/** The seed article's places and people, recorded through the same services the API uses. */
export const JINGTIE = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区
export const GAOJINGLU = '110107009011'; // 高井路社区, 广宁街道, 石景山区

export const fengtaiOrg: Viewer = { userId: null, actor: 'ft-zuzhibu', role: 'org_department', scopeCode: '110106' };
export const shijingshanOrg: Viewer = { userId: null, actor: 'sjs-zuzhibu', role: 'org_department', scopeCode: '110107' };

type Db = Kysely<Tables>;

/** 京铁家园社区 and the next 25 communities of Fengtai by code: the 26 key communities of batch 1. */
export async function fengtaiKeyCommunities(db: Db): Promise<string[]> {
  const others = await db
    .selectFrom('division')
    .select('code')
    .where('level', '=', 'community')
    .where('code', 'like', '110106%')
    .where('code', '!=', JINGTIE)
    .orderBy('code')
    .limit(25)
    .execute();
  return [JINGTIE, ...others.map((r) => r.code)];
}

/** Fengtai: the governance-secretary program, batch 1 (2021-11-30, 26 communities), 贾岚 at 京铁家园. */
export async function recordFengtai(db: Db) {
  const housing = await createUnit(
    db,
    { name: '丰台区住房和城乡建设委员会', type: 'party_government_agency', districtCode: '110106' },
    fengtaiOrg,
  );
  const street = await createUnit(db, { name: '六里桥街道办事处', type: 'street_office', districtCode: '110106' }, fengtaiOrg);
  const partyOffice = await createUnit(
    db,
    { name: '六里桥街道党群工作办公室', type: 'street_office', districtCode: '110106', parentUnitId: street.id },
    fengtaiOrg,
  );
  const program = await programs.createProgram(
    db,
    { kind: 'governance_secretary', name: '丰台区治理书记', districtCode: '110106' },
    fengtaiOrg,
  );
  const batch1 = await programs.createBatch(db, program.id, { startDate: '2021-11-30', notes: '首批 26 个重点社区' }, fengtaiOrg);
  const communities = await fengtaiKeyCommunities(db);
  await programs.addBatchCommunities(
    db,
    batch1.id,
    {
      communities: communities.map((code) => ({
        communityCode: code,
        selectionEvidence:
          code === JINGTIE ? { rankAppearances: 5, note: '多次进入全市诉求前100，停车管理等历史遗留问题' } : { rankAppearances: 1 },
      })),
      // Recorded afterwards: they joined when the batch began, not on the day of typing.
      joinedOn: '2021-11-30',
    },
    fengtaiOrg,
  );
  const jiaLan = await programs.createCadre(
    db,
    { name: '贾岚', unitId: housing.id, position: '干部', expertise: ['parking', 'housing'], phone: '13812345678' },
    fengtaiOrg,
  );
  const tianHuilin = await programs.createCadre(
    db,
    { name: '田慧林', unitId: partyOffice.id, position: '科长', expertise: ['parking', 'elevator', 'sanitation.clutter'] },
    fengtaiOrg,
  );
  const jiaPosting = await programs.createPosting(db, { batchId: batch1.id, cadreId: jiaLan.id, communityCode: JINGTIE }, fengtaiOrg);
  return { program, batch1, communities, units: { housing, street, partyOffice }, jiaLan, tianHuilin, jiaPosting };
}

/** 贾岚 → 田慧林 in February 2023, with what was handed over. */
export async function recordSuccession(db: Db, fengtai: Awaited<ReturnType<typeof recordFengtai>>) {
  return programs.succeedPosting(
    db,
    fengtai.jiaPosting.id,
    {
      cadreId: fengtai.tianHuilin.id,
      startDate: '2023-02-01',
      handover: {
        notes: '北侧停车场已建成投用（791 个车位），转入规范停车管理',
        contacts: [{ name: '物业项目经理', role: '物业服务企业', phone: '13900001111' }],
        openItems: [
          { description: '规范停车管理' },
          { description: '50 余部电梯更新' },
          { description: '清理楼道堆物' },
          { description: '西南门外闲置空间改建停车场' },
        ],
      },
    },
    fengtaiOrg,
  );
}

/** Shijingshan: the first-secretary program (2 days a week), 李昆明 of 大唐高井热电厂 at 高井路社区 in batch 1 from 2022-05. */
export async function recordShijingshan(db: Db) {
  const datang = await createUnit(db, { name: '大唐高井热电厂', type: 'resident_unit', districtCode: '110107' }, shijingshanOrg);
  const program = await programs.createProgram(
    db,
    { kind: 'first_secretary', name: '石景山区第一书记', districtCode: '110107', termMonths: 12 },
    shijingshanOrg,
  );
  const batch1 = await programs.createBatch(db, program.id, { startDate: '2022-05-01' }, shijingshanOrg);
  const batch2 = await programs.createBatch(db, program.id, { startDate: '2023-05-01' }, shijingshanOrg);
  for (const batch of [batch1, batch2]) {
    await programs.addBatchCommunities(
      db,
      batch.id,
      { communities: [{ communityCode: GAOJINGLU, selectionEvidence: { note: '19号楼燃气入户' } }] },
      shijingshanOrg,
    );
  }
  const liKunming = await programs.createCadre(
    db,
    { name: '李昆明', unitId: datang.id, position: '党员干部', expertise: ['gas', 'heating'] },
    shijingshanOrg,
  );
  const liPosting = await programs.createPosting(
    db,
    { batchId: batch1.id, cadreId: liKunming.id, communityCode: GAOJINGLU },
    shijingshanOrg,
  );
  return { program, batch1, batch2, datang, liKunming, liPosting };
}
