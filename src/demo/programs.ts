import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import type { Viewer } from '../domains/accounts/viewer.ts';
import { keyCommunityList } from '../domains/evaluation/service.ts';
import * as programs from '../domains/programs/service.ts';
import { seededRandom } from './generator.ts';
import { addDays } from '../shared/dates.ts';
import { createUnit } from '../domains/units/service.ts';
import {
  demoClock,
  fengtaiBatch1Size,
  fengtaiBatch2Size,
  FENGTAI,
  GAOJINGLU,
  JINGTIE,
  SHIJINGSHAN,
  shijingshanCadres,
  shijingshanFromOutside,
} from './facts.ts';
import { fengtaiAgencies, nameMaker, shijingshanAgencies, shijingshanOutsideUnits } from './names.ts';
import {
  recordElevatorRounds,
  recordJingtieProjects,
  recordShijingshanProjects,
  recordSolvedProblems,
  recordTianHuilinProjects,
} from './projects.ts';

type Db = Kysely<Tables>;

const expertiseByCategory = ['parking', 'property', 'elevator', 'heating', 'gas', 'water', 'sanitation', 'housing'];

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);

/**
 * The communities a batch covers, as an organization department picks them: the district's
 * communities that kept coming back on the key-community lists, most appearances first, with
 * that evidence stored as it stood on the day of choice, in the words the batch page reads
 * (the same keys the web's "add communities" dialog stores).
 */
async function pickKeyCommunities(
  db: Db,
  options: { district: string; month: string; periods: number; count: number; within: string; withinName: string; topN: number },
  viewer: Viewer,
) {
  const list = await keyCommunityList(
    db,
    { within: options.within, month: options.month, topN: options.topN, periods: options.periods },
    viewer,
  );
  const picked = list.items
    .filter((item) => item.code.startsWith(options.district))
    .sort((a, b) => b.appearances - a.appearances || b.volumeTotal - a.volumeTotal)
    .slice(0, options.count);
  return picked.map((item) => ({
    communityCode: item.code,
    selectionEvidence: {
      rankAppearances: item.appearances,
      periods: list.periods,
      month: list.month,
      topN: list.topN,
      rankNow: item.rankNow,
      volumeTotal: item.volumeTotal,
      note: `${list.from} 至 ${list.month} 解决率 ${percent(item.figures.resolutionRate)}，${options.withinName} ${percent(list.areaResolutionRate)}`,
    },
  }));
}

export interface DemoPrograms {
  fengtai: {
    programId: number;
    batch1Id: number;
    batch2Id: number;
    communities1: string[];
    communities2: string[];
    jiaLanPostingId: number;
    tianHuilinPostingId: number;
    tianHuilinCadreId: number;
  };
  shijingshan: {
    programId: number;
    batch1Id: number;
    batch2Id: number;
    liKunmingPostingId: number;
    liKunmingRenewalId: number;
    communities: string[];
  };
}

/** Fengtai's governance secretaries: batch 1 (26 key communities, 贾岚 at 京铁家园), batch 2 (50; 田慧林 succeeds 贾岚). */
async function recordFengtai(db: Db, newName: () => string, viewer: Viewer): Promise<DemoPrograms['fengtai']> {
  const agencies = await Promise.all(
    fengtaiAgencies.map((name) => createUnit(db, { name, type: 'party_government_agency', districtCode: FENGTAI }, viewer)),
  );
  const street = await createUnit(db, { name: '六里桥街道办事处', type: 'street_office', districtCode: FENGTAI }, viewer);
  const partyOffice = await createUnit(
    db,
    { name: '六里桥街道党群工作办公室', type: 'street_office', districtCode: FENGTAI, parentUnitId: street.id },
    viewer,
  );
  const program = await programs.createProgram(
    db,
    {
      kind: 'governance_secretary',
      name: '丰台区“治理书记”',
      districtCode: FENGTAI,
      minDutyDaysPerWeek: 1,
      termMonths: 14,
      allowedUnitTypes: ['party_government_agency', 'street_office'],
    },
    viewer,
  );

  // Chosen at the end of November 2021 from the lists of the eleven months the city had published.
  const communities1 = await pickKeyCommunities(
    db,
    { district: FENGTAI, within: '11', withinName: '全市', month: '2021-10', periods: 11, topN: 100, count: fengtaiBatch1Size },
    viewer,
  );
  if (!communities1.some((c) => c.communityCode === JINGTIE))
    throw new Error('京铁家园社区 did not come out of the key-community lists: the planted hotspots did not work');
  const batch1 = await programs.createBatch(
    db,
    program.id,
    { startDate: demoClock.fengtaiBatch1, endDate: '2023-01-31', notes: '首批 26 个治理类重点社区' },
    viewer,
  );
  await programs.addBatchCommunities(db, batch1.id, { communities: communities1, joinedOn: batch1.startDate }, viewer);

  const cadreFor = async (i: number) => {
    const unit = agencies[i % agencies.length]!;
    return programs.createCadre(
      db,
      {
        name: newName(),
        unitId: unit.id,
        position: i % 3 === 0 ? '副科长' : '干部',
        expertise: [expertiseByCategory[i % expertiseByCategory.length]!],
      },
      viewer,
    );
  };
  const jiaLan = await programs.createCadre(
    db,
    { name: '贾岚', unitId: agencies[0]!.id, position: '干部', expertise: ['parking', 'housing'] },
    viewer,
  );
  const tianHuilin = await programs.createCadre(
    db,
    { name: '田慧林', unitId: partyOffice.id, position: '科长', expertise: ['parking', 'elevator', 'sanitation'] },
    viewer,
  );
  const batch1Postings = new Map<string, number>();
  for (const [i, { communityCode }] of communities1.entries()) {
    const cadre = communityCode === JINGTIE ? jiaLan : await cadreFor(i);
    batch1Postings.set(
      communityCode,
      (await programs.createPosting(db, { batchId: batch1.id, cadreId: cadre.id, communityCode }, viewer)).id,
    );
  }

  const jingtieProjects = await recordJingtieProjects(
    db,
    {
      jiaLanPostingId: batch1Postings.get(JINGTIE)!,
      housingUnitId: agencies[0]!.id,
      landscapingUnitId: agencies[fengtaiAgencies.indexOf('丰台区园林绿化局')]!.id,
      streetUnitId: street.id,
    },
    viewer,
  );

  // The second batch keeps the first batch's communities and adds the district's next key communities.
  const batch1Codes = new Set(communities1.map((c) => c.communityCode));
  const candidates = await pickKeyCommunities(
    db,
    { district: FENGTAI, within: FENGTAI, withinName: '丰台区', month: '2023-01', periods: 12, topN: 100, count: 100 },
    viewer,
  );
  const batch2Communities = [...communities1, ...candidates.filter((c) => !batch1Codes.has(c.communityCode))].slice(0, fengtaiBatch2Size);
  // The second batch runs the program's term (14 months, to 2024-03-31): whoever looks at the
  // demo later finds its secretaries' terms over, as they would be, not still "in post".
  const batch2 = await programs.createBatch(
    db,
    program.id,
    { startDate: demoClock.fengtaiBatch2, notes: '第二批扩大到 50 个社区（村）' },
    viewer,
  );
  await programs.addBatchCommunities(db, batch2.id, { communities: batch2Communities, joinedOn: batch2.startDate }, viewer);

  let tianHuilinPostingId = 0;
  for (const [i, { communityCode }] of batch2Communities.entries()) {
    const previous = batch1Postings.get(communityCode);
    if (communityCode === JINGTIE) {
      const succession = await programs.succeedPosting(
        db,
        previous!,
        {
          cadreId: tianHuilin.id,
          startDate: demoClock.fengtaiBatch2,
          batchId: batch2.id,
          handover: {
            notes: '北侧停车场已建成投用（791 个车位），工作重点转向规范停车管理和电梯更新',
            contacts: [
              { name: '物业项目经理', role: '物业服务企业' },
              { name: '楼门党支部书记', role: '楼门党支部' },
            ],
            openItems: [
              { description: '规范停车管理' },
              { description: '50 余部电梯更新' },
              { description: '清理楼道堆物堆料' },
              { description: '西南门外闲置空间改建停车场' },
            ],
          },
        },
        viewer,
      );
      tianHuilinPostingId = succession.successor.id;
      await recordTianHuilinProjects(db, tianHuilinPostingId, viewer);
      await recordElevatorRounds(db, jingtieProjects, viewer);
    } else if (previous) {
      await programs.renewPosting(db, previous, { batchId: batch2.id }, viewer);
    } else {
      const cadre = await cadreFor(i + 100);
      await programs.createPosting(db, { batchId: batch2.id, cadreId: cadre.id, communityCode }, viewer);
    }
  }
  return {
    programId: program.id,
    batch1Id: batch1.id,
    batch2Id: batch2.id,
    communities1: communities1.map((c) => c.communityCode),
    communities2: batch2Communities.map((c) => c.communityCode),
    jiaLanPostingId: batch1Postings.get(JINGTIE)!,
    tianHuilinPostingId,
    tianHuilinCadreId: tianHuilin.id,
  };
}

/** Shijingshan's first secretaries: 151 cadres in May 2022, 53 of them from resident units and the two new organizations. */
async function recordShijingshan(db: Db, newName: () => string, viewer: Viewer): Promise<DemoPrograms['shijingshan']> {
  const agencies = await Promise.all(
    shijingshanAgencies.map((name) => createUnit(db, { name, type: 'party_government_agency', districtCode: SHIJINGSHAN }, viewer)),
  );
  const outside = await Promise.all(
    shijingshanOutsideUnits.map((u) => createUnit(db, { name: u.name, type: u.type, districtCode: SHIJINGSHAN }, viewer)),
  );
  const datang = outside[0]!;
  const program = await programs.createProgram(
    db,
    {
      kind: 'first_secretary',
      name: '石景山区社区“第一书记”',
      districtCode: SHIJINGSHAN,
      minDutyDaysPerWeek: 2,
      termMonths: 12,
      allowedUnitTypes: ['party_government_agency', 'street_office', 'resident_unit', 'new_economic_org', 'new_social_org'],
    },
    viewer,
  );
  // Nearly every community of the district gets one: those with most demand first, then the
  // quiet ones (at a small demo scale some have no appeals at all), 高井路社区 always.
  const picked = await pickKeyCommunities(
    db,
    {
      district: SHIJINGSHAN,
      within: SHIJINGSHAN,
      withinName: '石景山区',
      month: '2022-04',
      periods: 12,
      topN: 1000,
      count: shijingshanCadres,
    },
    viewer,
  );
  const pickedCodes = new Set(picked.map((c) => c.communityCode));
  const quiet = await db
    .selectFrom('division')
    .select('code')
    .where('level', '=', 'community')
    .where('code', 'like', `${SHIJINGSHAN}%`)
    .orderBy('code')
    .execute();
  const candidates = [
    ...(pickedCodes.has(GAOJINGLU)
      ? []
      : [{ communityCode: GAOJINGLU, selectionEvidence: { note: '19 号楼燃气入户' } as Record<string, unknown> }]),
    ...picked,
    ...quiet
      .filter((d) => !pickedCodes.has(d.code) && d.code !== GAOJINGLU)
      .map((d) => ({ communityCode: d.code, selectionEvidence: { note: '诉求较少，全覆盖选派' } as Record<string, unknown> })),
  ];
  const communities = candidates.slice(0, shijingshanCadres);
  // Each batch runs the program's twelve-month term: the second to 2024-04-30.
  const batch1 = await programs.createBatch(
    db,
    program.id,
    { startDate: demoClock.shijingshanBatch1, notes: '选派 151 名第一书记' },
    viewer,
  );
  await programs.addBatchCommunities(db, batch1.id, { communities, joinedOn: batch1.startDate }, viewer);
  const batch2 = await programs.createBatch(db, program.id, { startDate: demoClock.shijingshanBatch2, notes: '第二批' }, viewer);
  await programs.addBatchCommunities(db, batch2.id, { communities, joinedOn: batch2.startDate }, viewer);

  const liKunming = await programs.createCadre(
    db,
    { name: '李昆明', unitId: datang.id, position: '党员干部', expertise: ['gas', 'heating'] },
    viewer,
  );
  let fromOutside = 1; // 李昆明
  const batch1Postings: Array<{ postingId: number; communityCode: string }> = [];
  for (const [i, { communityCode }] of communities.entries()) {
    let cadreId: number;
    if (communityCode === GAOJINGLU) cadreId = liKunming.id;
    else {
      const unit = fromOutside < shijingshanFromOutside ? outside[fromOutside++ % outside.length]! : agencies[i % agencies.length]!;
      cadreId = (
        await programs.createCadre(
          db,
          { name: newName(), unitId: unit.id, position: '党员干部', expertise: [expertiseByCategory[i % expertiseByCategory.length]!] },
          viewer,
        )
      ).id;
    }
    batch1Postings.push({
      postingId: (await programs.createPosting(db, { batchId: batch1.id, cadreId, communityCode }, viewer)).id,
      communityCode,
    });
  }
  const liKunmingPostingId = batch1Postings.find((p) => p.communityCode === GAOJINGLU)!.postingId;
  await recordShijingshanProjects(db, { liKunmingPostingId, datangUnitId: datang.id, postings: batch1Postings }, viewer);

  // Two thirds stay for the second batch; 李昆明 asked to. The renewal carries his open project.
  let liKunmingRenewalId = 0;
  const batch2Postings: Array<{ postingId: number; communityCode: string; startDate: string }> = [];
  for (const [i, { postingId, communityCode }] of batch1Postings.entries()) {
    if (communityCode === GAOJINGLU || i % 3 !== 2) {
      const renewal = await programs.renewPosting(db, postingId, { batchId: batch2.id }, viewer);
      if (communityCode === GAOJINGLU) liKunmingRenewalId = renewal.renewal.id;
      else batch2Postings.push({ postingId: renewal.renewal.id, communityCode, startDate: renewal.renewal.startDate });
    } else {
      const successor = await programs.createCadre(
        db,
        { name: newName(), unitId: agencies[(i + 1) % agencies.length]!.id, position: '干部' },
        viewer,
      );
      const posting = await programs.createPosting(db, { batchId: batch2.id, cadreId: successor.id, communityCode }, viewer);
      batch2Postings.push({ postingId: posting.id, communityCode, startDate: posting.startDate });
    }
  }
  // The second batch's share of the problems solved, up to the demo's end.
  await recordSolvedProblems(
    db,
    {
      postings: batch2Postings,
      fundsTo: 0,
      fundUnitId: datang.id,
      from: '2023-05-10',
      to: '2023-12-20',
      perPosting: (i) => (i % 2 === 0 ? 1 : 0),
      seed: 'batch-2',
    },
    viewer,
  );
  return {
    programId: program.id,
    batch1Id: batch1.id,
    batch2Id: batch2.id,
    liKunmingPostingId,
    liKunmingRenewalId,
    communities: communities.map((c) => c.communityCode),
  };
}

/** On-site days (some weeks short of the minimum) and apprentices, as secretaries log them. */
async function recordActivity(db: Db, recorded: DemoPrograms, newName: () => string, viewer: Viewer): Promise<void> {
  const weekdays = (monday: string, days: number[]) => days.map((d) => addDays(monday, d));
  const mondays = ['2023-05-08', '2023-05-15', '2023-05-22', '2023-05-29', '2023-06-05', '2023-06-12'];
  const work = ['走访燃气改造涉及住户', '召开楼门议事会', '协调燃气公司现场勘查', '参加社区两委会', '入户征求意见', '跟进施工进度'];
  for (const [w, monday] of mondays.entries()) {
    // 李昆明 keeps two days a week; one week in June he manages only one.
    for (const date of weekdays(monday, w === 4 ? [2] : [1, 3])) {
      await programs.logDutyDay(
        db,
        recorded.shijingshan.liKunmingRenewalId,
        { date, hours: 8, work: work[(w + date.length) % work.length]!, withWhom: '社区书记、燃气公司' },
        viewer,
      );
    }
  }
  for (const [w, monday] of mondays.slice(0, 4).entries()) {
    for (const date of weekdays(monday, [0, 3])) {
      await programs.logDutyDay(
        db,
        recorded.fengtai.tianHuilinPostingId,
        {
          date,
          hours: 6,
          work: ['电梯更新现场协调', '规范停车管理议事', '楼道堆物清理', '西南门闲置空间改造方案'][w]!,
          withWhom: '物业、楼门党支部',
        },
        viewer,
      );
    }
  }
  // Her other weeks since she took over on 2023-02-01: a Tuesday on site each, the program's one day.
  const tuesdays = [];
  for (let monday = '2023-02-06'; monday <= '2023-06-12'; monday = addDays(monday, 7)) {
    if (!mondays.slice(0, 4).includes(monday))
      tuesdays.push({ date: addDays(monday, 1), hours: 6, work: '接诉即办工单回访、入户走访', withWhom: '社区居委会' });
  }
  await programs.logDutyDays(db, recorded.fengtai.tianHuilinPostingId, tuesdays, viewer);
  const apprentice = await programs.createApprenticeship(
    db,
    {
      postingId: recorded.fengtai.tianHuilinPostingId,
      apprenticeName: newName(),
      apprenticePosition: '社区居委会委员',
      startDate: '2023-03-01',
    },
    viewer,
  );
  await programs.addTraining(db, apprentice.id, { date: '2023-03-15', topic: '接诉即办工单办理流程', hours: 3 }, viewer);
  await programs.addTraining(db, apprentice.id, { date: '2023-04-12', topic: '居民议事协商组织方法', hours: 4 }, viewer);
  await programs.addTask(db, apprentice.id, { description: '独立组织楼门议事会', since: '2023-05-20' }, viewer);
  await programs.addTask(db, apprentice.id, { description: '独立回复停车类诉求', since: '2023-06-10' }, viewer);
}

/** The weeks every other secretary's on-site days are simulated for: the 13 before the seed's June 2023. */
const simulatedWeeks = { firstMonday: '2023-03-20', weeks: 13 };
const onSiteWork = ['入户走访', '参加社区两委会', '接诉即办工单回访', '楼门议事协商', '协调物业整改', '跟进攻坚项目进度', '走访辖区单位'];

/**
 * On-site days of every other posting that ran in those weeks, as the secretaries would log
 * them, a week's sheet at a time: most weeks the program's minimum or one more day, about one
 * week in twelve a day short, so the compliance view has something true to find.
 */
async function simulateOnSiteWeeks(db: Db, recorded: DemoPrograms, viewer: Viewer): Promise<void> {
  const written = new Set([recorded.shijingshan.liKunmingRenewalId, recorded.fengtai.tianHuilinPostingId]);
  for (const programId of [recorded.fengtai.programId, recorded.shijingshan.programId]) {
    const { minDutyDaysPerWeek } = await programs.getProgram(db, programId, viewer);
    let cursor: string | undefined;
    do {
      const page = await programs.listPostings(db, { programId, limit: 500, cursor }, viewer);
      for (const posting of page.items) {
        if (written.has(posting.id)) continue;
        const random = seededRandom(`on-site:${posting.communityCode}:${posting.startDate}`);
        const days = [];
        for (let w = 0; w < simulatedWeeks.weeks; w++) {
          const monday = addDays(simulatedWeeks.firstMonday, 7 * w);
          const workdays = [0, 1, 2, 3, 4]
            .map((d) => addDays(monday, d))
            .filter((day) => day >= posting.startDate && (posting.endDate === null || day <= posting.endDate));
          const wanted = random() < 0.08 ? minDutyDaysPerWeek - 1 : minDutyDaysPerWeek + (random() < 0.3 ? 1 : 0);
          // Spread over the week: every other workday first, then the rest.
          const order = [0, 2, 4, 1, 3].map((i) => workdays[i]).filter((day): day is string => day !== undefined);
          for (const date of order.slice(0, Math.max(0, Math.min(wanted, order.length))).sort()) {
            days.push({ date, hours: 4 + Math.floor(random() * 5), work: onSiteWork[Math.floor(random() * onSiteWork.length)]! });
          }
        }
        if (days.length > 0) await programs.logDutyDays(db, posting.id, days, viewer);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }
}

export async function recordDemoPrograms(db: Db, viewer: Viewer): Promise<DemoPrograms> {
  const newName = nameMaker('demo-cadres', ['贾岚', '田慧林', '李昆明']);
  const fengtai = await recordFengtai(db, newName, viewer);
  const shijingshan = await recordShijingshan(db, newName, viewer);
  const recorded = { fengtai, shijingshan };
  await recordActivity(db, recorded, newName, viewer);
  await simulateOnSiteWeeks(db, recorded, viewer);
  return recorded;
}
