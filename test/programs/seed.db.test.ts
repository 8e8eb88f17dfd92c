import { beforeAll, describe, expect, it } from 'vitest';
import { listAuditFor } from '../../src/domains/accounts/audit.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, GAOJINGLU, JINGTIE, recordFengtai, recordShijingshan, recordSuccession, shijingshanOrg } from './world.ts';

/** Every fact of the seed article about secretaries is recorded and read back. */
describe.each(backends)('the seed article’s secretaries on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  let shijingshan: Awaited<ReturnType<typeof recordShijingshan>>;
  beforeAll(async () => {
    fengtai = await recordFengtai(t.db.kysely);
    shijingshan = await recordShijingshan(t.db.kysely);
  });

  it('holds Fengtai’s governance-secretary program with batch 1 of 26 key communities from 2021-11-30', async () => {
    const program = await programs.getProgram(t.db.kysely, fengtai.program.id, fengtaiOrg);
    expect(program).toMatchObject({
      kind: 'governance_secretary',
      districtCode: '110106',
      districtName: '丰台区',
      batchCount: 1,
      minDutyDaysPerWeek: 0,
    });
    expect(program.allowedUnitTypes).toEqual(['party_government_agency', 'street_office']);
    const batches = await programs.listBatches(t.db.kysely, program.id, fengtaiOrg);
    expect(batches.items).toEqual([
      expect.objectContaining({ number: 1, startDate: '2021-11-30', endDate: null, communityCount: 26, postingCount: 1 }),
    ]);
    const first = await programs.listBatchCommunities(t.db.kysely, fengtai.batch1.id, { limit: 10 }, fengtaiOrg);
    expect(first.total).toBe(26);
    const all = [...first.items];
    for (let cursor = first.nextCursor; cursor; ) {
      const page = await programs.listBatchCommunities(t.db.kysely, fengtai.batch1.id, { limit: 10, cursor }, fengtaiOrg);
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(26);
    const jingtie = all.find((c) => c.communityCode === JINGTIE)!;
    expect(jingtie).toMatchObject({ communityName: '京铁家园社区', streetName: '六里桥街道', joinedOn: '2021-11-30' });
    expect(all.every((c) => c.joinedOn === '2021-11-30')).toBe(true);
    expect(jingtie.selectionEvidence).toEqual({ rankAppearances: 5, note: '多次进入全市诉求前100，停车管理等历史遗留问题' });
  });

  it('records 贾岚 of the district housing committee as the first governance secretary of 京铁家园', async () => {
    const posting = await programs.getPosting(t.db.kysely, fengtai.jiaPosting.id, fengtaiOrg);
    expect(posting).toMatchObject({
      communityName: '京铁家园社区',
      batchNumber: 1,
      role: 'governance_secretary',
      kind: 'new',
      startDate: '2021-11-30',
      cadre: { name: '贾岚', unitName: '丰台区住房和城乡建设委员会', unitType: 'party_government_agency' },
    });
    expect((await listAuditFor(t.db.kysely, 'posting', String(posting.id))).map((a) => a.action)).toEqual(['posting.create']);
  });

  it('has 田慧林 succeed 贾岚 in February 2023 with a handover, and reads the chain as a history', async () => {
    const { predecessor, successor, handover } = await recordSuccession(t.db.kysely, fengtai);
    expect(predecessor).toMatchObject({
      cadre: { name: '贾岚' },
      endDate: '2023-01-31',
      status: 'ended',
      successorPostingId: successor.id,
    });
    expect(successor).toMatchObject({
      kind: 'succession',
      predecessorPostingId: predecessor.id,
      startDate: '2023-02-01',
      endDate: null,
      status: 'active',
      cadre: { name: '田慧林', unitName: '六里桥街道党群工作办公室', unitType: 'street_office', position: '科长' },
    });
    expect(handover).toMatchObject({ fromPostingId: predecessor.id, toPostingId: successor.id, date: '2023-02-01' });
    expect(handover.openItems.map((i) => i.description)).toContain('50 余部电梯更新');
    expect(handover.contacts[0]).toEqual({ name: '物业项目经理', role: '物业服务企业', phone: '13900001111' });

    const history = await programs.communitySecretaries(t.db.kysely, JINGTIE, fengtaiOrg);
    expect(history.communityName).toBe('京铁家园社区');
    expect(history.items.map((p) => [p.cadre.name, p.kind, p.startDate, p.endDate, p.predecessorPostingId])).toEqual([
      ['贾岚', 'new', '2021-11-30', '2023-01-31', null],
      ['田慧林', 'succession', '2023-02-01', null, predecessor.id],
    ]);
    expect(history.items[1]!.handoverIn?.notes).toMatch(/791/);
    const detail = await programs.getPosting(t.db.kysely, predecessor.id, fengtaiOrg);
    expect(detail.handoverOut?.toPostingId).toBe(successor.id);
  });

  it('holds Shijingshan’s first-secretary program: at least 2 days a week, resident units and the two new organizations accepted', async () => {
    expect(shijingshan.program).toMatchObject({ kind: 'first_secretary', minDutyDaysPerWeek: 2, termMonths: 12, districtName: '石景山区' });
    expect(shijingshan.program.allowedUnitTypes).toEqual(expect.arrayContaining(['resident_unit', 'new_economic_org', 'new_social_org']));
    // A batch without an end date lasts the program's term.
    expect(shijingshan.batch1).toMatchObject({ number: 1, startDate: '2022-05-01', endDate: '2023-04-30' });
    expect(shijingshan.liPosting).toMatchObject({
      communityName: '高井路社区',
      streetName: '广宁街道',
      startDate: '2022-05-01',
      endDate: '2023-04-30',
      role: 'first_secretary',
      cadre: { name: '李昆明', unitName: '大唐高井热电厂', unitType: 'resident_unit' },
    });
  });

  it('renews 李昆明 into batch 2 so that his record reads as one', async () => {
    const { previous, renewal } = await programs.renewPosting(t.db.kysely, shijingshan.liPosting.id, {}, shijingshanOrg);
    expect(previous).toMatchObject({ endDate: '2023-04-30', successorPostingId: renewal.id });
    expect(renewal).toMatchObject({
      kind: 'renewal',
      batchNumber: 2,
      predecessorPostingId: previous.id,
      startDate: '2023-05-01',
      endDate: '2024-04-30',
      communityCode: GAOJINGLU,
    });
    const cadre = await programs.getCadre(t.db.kysely, shijingshan.liKunming.id, shijingshanOrg);
    expect(cadre.postings.map((p) => [p.batchNumber, p.kind, p.startDate, p.endDate])).toEqual([
      [1, 'new', '2022-05-01', '2023-04-30'],
      [2, 'renewal', '2023-05-01', '2024-04-30'],
    ]);
    const again = await programs.renewPosting(t.db.kysely, shijingshan.liPosting.id, {}, shijingshanOrg).catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: 'conflict' });
  });

  it('shows a cadre’s phone to the organization department only', async () => {
    const streetUser = { ...fengtaiOrg, role: 'street_office' as const, scopeCode: '110106008' };
    expect((await programs.getCadre(t.db.kysely, fengtai.jiaLan.id, fengtaiOrg)).phone).toBe('13812345678');
    expect((await programs.getCadre(t.db.kysely, fengtai.jiaLan.id, streetUser)).phone).toBe('138****5678');
    const history = await programs.communitySecretaries(t.db.kysely, JINGTIE, streetUser);
    expect(history.items[1]!.handoverIn?.contacts[0]?.phone).toBe('139****1111');
    const audit = await listAuditFor(t.db.kysely, 'cadre', String(fengtai.jiaLan.id));
    expect(JSON.stringify(audit)).not.toContain('13812345678');
  });

  it('matches cadres to a community’s problem categories', async () => {
    // The categories would come from 京铁家园's top appeals; here they are given.
    const matches = await programs.matchCadres(t.db.kysely, JINGTIE, { categories: ['elevator.renewal', 'parking'] }, fengtaiOrg);
    expect(matches.items.map((m) => [m.cadre.name, m.matched])).toEqual([
      ['田慧林', ['elevator', 'parking']],
      ['贾岚', ['parking']],
    ]);
    const gas = await programs.matchCadres(
      t.db.kysely,
      GAOJINGLU,
      { categories: ['gas.connection'], programId: shijingshan.program.id },
      shijingshanOrg,
    );
    expect(gas.items.map((m) => m.cadre.name)).toEqual(['李昆明']);
  });

  it('keeps apprentices, their trainings and what they now handle alone', async () => {
    const tian = (await programs.communitySecretaries(t.db.kysely, JINGTIE, fengtaiOrg)).items[1]!;
    const started = await programs.createApprenticeship(
      t.db.kysely,
      { postingId: tian.id, apprenticeName: '王小明', apprenticePosition: '社区居委会委员', startDate: '2023-03-01' },
      fengtaiOrg,
    );
    await programs.addTraining(t.db.kysely, started.id, { date: '2023-03-15', topic: '停车管理议事协商', hours: 2 }, fengtaiOrg);
    const withTask = await programs.addTask(
      t.db.kysely,
      started.id,
      { description: '主持停车管理议事会', since: '2023-06-01' },
      fengtaiOrg,
    );
    expect(withTask).toMatchObject({
      secretary: { name: '田慧林' },
      apprenticeName: '王小明',
      status: 'active',
      trainings: [{ date: '2023-03-15', topic: '停车管理议事协商', hours: 2 }],
      tasks: [{ description: '主持停车管理议事会', since: '2023-06-01' }],
    });
    const done = await programs.updateApprenticeship(t.db.kysely, started.id, { status: 'completed', endDate: '2023-12-31' }, fengtaiOrg);
    expect(done).toMatchObject({ status: 'completed', endDate: '2023-12-31' });
    const list = await programs.listApprenticeships(t.db.kysely, { communityCode: JINGTIE }, fengtaiOrg);
    expect(list.items.map((a) => a.apprenticeName)).toEqual(['王小明']);
  });
});
