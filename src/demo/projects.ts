import type { Kysely } from 'kysely';
import type { Tables } from '../db/tables.ts';
import type { Viewer } from '../domains/accounts/viewer.ts';
import * as projects from '../domains/projects/service.ts';
import { createUnit } from '../domains/units/service.ts';
import { seededRandom } from './generator.ts';
import { addDays } from '../shared/dates.ts';
import { FENGTAI, GAOJINGLU, JINGTIE, SHIJINGSHAN } from './facts.ts';

type Db = Kysely<Tables>;

/**
 * The seed article's hard nuts, recorded through the projects service while 贾岚 and 李昆明 hold
 * their first postings, so that the succession and the renewal carry the open ones across.
 * Amounts and dates the article does not give are plausible inventions.
 */
export async function recordJingtieProjects(
  db: Db,
  context: { jiaLanPostingId: number; housingUnitId: number; landscapingUnitId: number; streetUnitId: number },
  viewer: Viewer,
) {
  const unit = (name: string, type: Parameters<typeof createUnit>[1]['type']) =>
    createUnit(db, { name, type, districtCode: FENGTAI }, viewer);
  const propertyRights = await unit('京铁家园产权单位', 'property_rights');
  const propertyManagement = await unit('京铁家园物业服务中心', 'property_management');
  const community = await unit('京铁家园社区居委会', 'community_committee');

  // 贾岚's first hard nut: demolish the illegal structures north of the estate, build 791 spaces.
  const lot = await projects.createProject(
    db,
    {
      communityCode: JINGTIE,
      title: '北侧拆违建设居民专用停车场',
      categoryCode: 'parking.shortage',
      origin: 'historical_problem',
      historical: true,
      description: '拆除小区北侧违法建设，建设京铁家园居民专用停车场（吹哨报到：住建、园林、产权单位、物业、社区共同推进）',
      leadPostingId: context.jiaLanPostingId,
      plannedStartDate: '2022-03-01',
      plannedEndDate: '2022-10-31',
      proposedOn: '2021-12-06',
      householdsBenefited: 1300,
    },
    viewer,
  );
  for (const [unitId, role] of [
    [community.id, 'lead'],
    [context.housingUnitId, 'coordinating'],
    [context.landscapingUnitId, 'coordinating'],
    [propertyRights.id, 'funding'],
    [propertyManagement.id, 'executing'],
    [context.streetUnitId, 'consulted'],
  ] as const) {
    await projects.addStakeholder(db, lot.id, { unitId, role }, viewer);
  }
  await projects.transitionProject(db, lot.id, { to: 'consulting', date: '2021-12-10' }, viewer);
  await projects.addConsultation(
    db,
    lot.id,
    {
      heldOn: '2022-01-15',
      form: 'meeting',
      participants: 120,
      support: 112,
      oppose: 3,
      abstain: 5,
      summary: '居民议事会：同意拆违建停车场，优先保障本小区居民',
    },
    viewer,
  );
  await projects.transitionProject(db, lot.id, { to: 'approved', date: '2022-01-20' }, viewer);
  const steps = [];
  for (const [title, weight, plannedOn] of [
    ['拆除违法建设', 3, '2022-04-30'],
    ['场地平整与绿化', 2, '2022-07-31'],
    ['停车场建成投用', 2, '2022-10-31'],
  ] as const) {
    steps.push(await projects.addMilestone(db, lot.id, { title, weight, plannedOn }, viewer));
  }
  await projects.transitionProject(db, lot.id, { to: 'in_progress', date: '2022-03-01' }, viewer);
  await projects.addFund(
    db,
    lot.id,
    { amount: 1_200_000, sourceUnitId: propertyRights.id, receivedOn: '2022-03-15', note: '产权单位出资' },
    viewer,
  );
  const spaces = await projects.addOutput(db, lot.id, { kind: 'parking_spaces', target: 791 }, viewer);
  for (const [step, date] of [
    [steps[0]!, '2022-04-28'],
    [steps[1]!, '2022-08-05'],
    [steps[2]!, '2022-10-30'],
  ] as const) {
    await projects.markMilestoneDone(db, lot.id, step.id, { date }, viewer);
  }
  await projects.updateOutput(db, lot.id, spaces.id, { achieved: 791, asOf: '2022-10-30' }, viewer);
  await projects.transitionProject(db, lot.id, { to: 'completed', date: '2022-11-01', note: '停车场顺利投用' }, viewer);

  // Begun under 贾岚; the succession hands it to 田慧林, nearing completion.
  const elevators = await projects.createProject(
    db,
    {
      communityCode: JINGTIE,
      title: '50 余部电梯更新',
      categoryCode: 'elevator.renewal',
      origin: 'hotspot',
      leadPostingId: context.jiaLanPostingId,
      proposedOn: '2022-11-15',
      expectedCompletionDate: '2023-12-31',
      householdsBenefited: 1300,
    },
    viewer,
  );
  await projects.addConsultation(
    db,
    elevators.id,
    { heldOn: '2022-12-01', form: 'survey', participants: 600, support: 540, oppose: 20, abstain: 40 },
    viewer,
  );
  await projects.transitionProject(db, elevators.id, { to: 'approved', date: '2022-12-20' }, viewer);
  await projects.transitionProject(db, elevators.id, { to: 'in_progress', date: '2023-01-10' }, viewer);
  // The milestones are the renewal's rounds, weighted by their elevators, so that the progress
  // (46 of 50 weighted, 92 %) and the output (46 / 50 elevators) say the same thing.
  const rounds = [];
  for (const [title, weight, plannedOn] of [
    ['第一轮更换 20 部', 20, '2023-05-31'],
    ['第二轮更换 20 部', 20, '2023-09-30'],
    ['第三轮更换 6 部', 6, '2023-11-30'],
    ['最后 4 部更换', 4, '2023-12-31'],
  ] as const) {
    rounds.push(await projects.addMilestone(db, elevators.id, { title, weight, plannedOn }, viewer));
  }
  const renewed = await projects.addOutput(db, elevators.id, { kind: 'elevators_renewed', target: 50 }, viewer);
  return { lotId: lot.id, elevatorsId: elevators.id, elevatorRounds: rounds.map((r) => r.id), elevatorOutputId: renewed.id };
}

/** 田慧林 carries the elevators on after the succession: three rounds done, 46 of 50 renewed by the demo's end. */
export async function recordElevatorRounds(
  db: Db,
  elevators: { elevatorsId: number; elevatorRounds: number[]; elevatorOutputId: number },
  viewer: Viewer,
) {
  for (const [i, date] of ['2023-05-26', '2023-09-22', '2023-11-24'].entries()) {
    await projects.markMilestoneDone(db, elevators.elevatorsId, elevators.elevatorRounds[i]!, { date }, viewer);
  }
  await projects.updateOutput(db, elevators.elevatorsId, elevators.elevatorOutputId, { achieved: 46, asOf: '2023-11-24' }, viewer);
}

/** 田慧林's own: clearing piled-up materials with the building's party branch, and the southwest gate. */
export async function recordTianHuilinProjects(db: Db, tianHuilinPostingId: number, viewer: Viewer) {
  const clutter = await projects.createProject(
    db,
    {
      communityCode: JINGTIE,
      title: '楼道堆物堆料清理',
      categoryCode: 'sanitation.clutter',
      origin: 'appeal_cluster',
      leadPostingId: tianHuilinPostingId,
      proposedOn: '2023-02-20',
    },
    viewer,
  );
  await projects.addConsultation(
    db,
    clutter.id,
    {
      heldOn: '2023-03-02',
      form: 'door_to_door',
      participants: 200,
      support: 188,
      oppose: 4,
      abstain: 8,
      summary: '楼门党支部牵头入户动员',
    },
    viewer,
  );
  await projects.transitionProject(db, clutter.id, { to: 'approved', date: '2023-03-05' }, viewer);
  await projects.transitionProject(db, clutter.id, { to: 'in_progress', date: '2023-03-10' }, viewer);
  const gate = await projects.createProject(
    db,
    {
      communityCode: JINGTIE,
      title: '西南门外闲置空间改建停车场',
      categoryCode: 'parking.shortage',
      origin: 'assignment',
      leadPostingId: tianHuilinPostingId,
      proposedOn: '2023-04-01',
    },
    viewer,
  );
  await projects.transitionProject(db, gate.id, { to: 'consulting', date: '2023-04-10' }, viewer);
  return { clutterId: clutter.id, gateId: gate.id };
}

/**
 * Shijingshan: gas to Building 19 of 高井路社区 under 李昆明 (100 households; due 除夕 2024), and
 * the water, power and gas problems the first secretaries helped solve, with the money they
 * secured — 4.3 million yuan in all.
 */
export async function recordShijingshanProjects(
  db: Db,
  context: { liKunmingPostingId: number; datangUnitId: number; postings: Array<{ postingId: number; communityCode: string }> },
  viewer: Viewer,
) {
  const street = await createUnit(db, { name: '广宁街道办事处', type: 'street_office', districtCode: SHIJINGSHAN }, viewer);
  const gasCompany = await createUnit(db, { name: '北京燃气石景山公司', type: 'utility', districtCode: SHIJINGSHAN }, viewer);
  const gas = await projects.createProject(
    db,
    {
      communityCode: GAOJINGLU,
      title: '19号楼燃气入户',
      categoryCode: 'gas.connection',
      origin: 'historical_problem',
      historical: true,
      description: '原为单身宿舍的19号楼管道燃气改造，100 户居民告别扛气罐上下楼',
      leadPostingId: context.liKunmingPostingId,
      expectedCompletionDate: '2024-02-09',
      householdsBenefited: 100,
      proposedOn: '2022-06-01',
    },
    viewer,
  );
  await projects.addStakeholder(db, gas.id, { unitId: street.id, role: 'lead' }, viewer);
  await projects.addStakeholder(db, gas.id, { unitId: context.datangUnitId, role: 'coordinating' }, viewer);
  await projects.addStakeholder(db, gas.id, { unitId: gasCompany.id, role: 'executing' }, viewer);
  await projects.addConsultation(
    db,
    gas.id,
    { heldOn: '2022-07-10', form: 'door_to_door', participants: 100, support: 97, abstain: 3 },
    viewer,
  );
  await projects.transitionProject(db, gas.id, { to: 'approved', date: '2022-09-01' }, viewer);
  await projects.addFund(db, gas.id, { amount: 300_000, sourceUnitId: context.datangUnitId, receivedOn: '2022-10-10' }, viewer);
  await projects.transitionProject(db, gas.id, { to: 'in_progress', date: '2023-03-01', note: '破冰开工' }, viewer);
  await projects.addOutput(db, gas.id, { kind: 'households_gas_connected', target: 100 }, viewer);

  // The water, power and gas problems the first secretaries of the first batch helped solve,
  // some with money they secured: 4.3 million yuan in all with the gas.
  const others = context.postings.filter((p) => p.communityCode !== GAOJINGLU);
  await recordSolvedProblems(
    db,
    {
      postings: others.map((p) => ({ ...p, startDate: '2022-05-01' })),
      fundsTo: 4_300_000 - 300_000,
      fundUnitId: context.datangUnitId,
      from: '2022-05-16',
      to: '2023-04-20',
      perPosting: (i) => (i % 5 === 0 ? 2 : 1),
      seed: 'batch-1',
    },
    viewer,
  );
  return { gasId: gas.id };
}

/** Water, power and gas: the classes the article counts ("250+ water, electricity, gas and other problems"). */
const problemKinds = [
  ['water.leak', '老旧供水管线更换'],
  ['electricity.wiring', '楼内电力线路改造'],
  ['gas.safety', '燃气管道隐患整改'],
  ['water.pressure', '高层供水加压'],
  ['electricity.outage', '配电箱更换'],
  ['water.outage', '二次供水设施改造'],
  ['gas.supply', '燃气调压设施更新'],
] as const;

/**
 * Problems solved under each posting, in its community, between two dates, as secretaries
 * record them: a project proposed, approved, under way, completed, about one in three a
 * historical (long-standing) problem, and the community's appeals about its utilities and its
 * buildings (water, power, gas, heating, housing) raised since the posting began linked to it —
 * the appeals the secretary helped resolve (1,418 distinct at the default scale). Funds
 * go to the first projects until `fundsTo` is reached.
 */
export async function recordSolvedProblems(
  db: Db,
  options: {
    postings: Array<{ postingId: number; communityCode: string; startDate?: string }>;
    fundsTo: number;
    fundUnitId: number;
    from: string;
    to: string;
    perPosting: (i: number) => number;
    seed: string;
  },
  viewer: Viewer,
): Promise<{ projects: number; linked: number }> {
  const random = seededRandom(`demo-projects:${options.seed}`);
  const span = daysBetween(options.from, options.to);
  let secured = 0;
  let made = 0;
  let linked = 0;
  for (const [i, posting] of options.postings.entries()) {
    for (let k = 0; k < options.perPosting(i); k++) {
      const [categoryCode, title] = problemKinds[(made + k) % problemKinds.length]!;
      const historical = made % 8 < 3;
      const proposedOn = addDays(options.from, Math.floor(random() * (span - 40)));
      const doneOn = addDays(proposedOn, 20 + Math.floor(random() * 20));
      const project = await projects.createProject(
        db,
        {
          communityCode: posting.communityCode,
          title,
          categoryCode,
          origin: historical ? 'historical_problem' : 'appeal_cluster',
          historical,
          leadPostingId: posting.postingId,
          proposedOn,
          householdsBenefited: 20 + Math.floor(random() * 200),
          requiresConsultation: false,
        },
        viewer,
      );
      await projects.transitionProject(db, project.id, { to: 'approved', date: addDays(proposedOn, 3) }, viewer);
      await projects.transitionProject(db, project.id, { to: 'in_progress', date: addDays(proposedOn, 7) }, viewer);
      if (secured < options.fundsTo) {
        const amount = Math.min(options.fundsTo - secured, Math.round((70_000 + 60_000 * random()) / 100) * 100);
        secured += amount;
        await projects.addFund(db, project.id, { amount, sourceUnitId: options.fundUnitId, receivedOn: addDays(proposedOn, 10) }, viewer);
      }
      const appeals = await demoAppealsOf(db, posting.communityCode, assistedClasses, posting.startDate ?? options.from, doneOn);
      for (let at = 0; at < appeals.length; at += 500) {
        linked += (
          await projects.linkAppeals(db, project.id, { appealIds: appeals.slice(at, at + 500), linkedOn: addDays(proposedOn, 7) }, viewer)
        ).added;
      }
      await projects.transitionProject(db, project.id, { to: 'completed', date: doneOn }, viewer);
      made++;
    }
  }
  if (secured < options.fundsTo) throw new Error(`the demo's projects secured ${secured} of ${options.fundsTo} yuan`);
  return { projects: made, linked };
}

/** The classes of appeal a first secretary's utility and building work answers. */
const assistedClasses = ['water', 'electricity', 'gas', 'heating', 'housing'];

/** The appeals of a community in some classes received between two days (Beijing): what a project answers. */
async function demoAppealsOf(db: Db, communityCode: string, classes: readonly string[], from: string, to: string): Promise<number[]> {
  const rows = await db
    .selectFrom('appeal')
    .select('id')
    .where('community_code', '=', communityCode)
    .where((eb) => eb.or(classes.map((c) => eb('category_code', 'like', `${c}.%`))))
    .where('received_at', '>=', new Date(`${from}T00:00:00+08:00`))
    .where('received_at', '<', new Date(`${to}T00:00:00+08:00`))
    .orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
