import type { Kysely } from 'kysely';
import type { Tables } from '../../src/db/tables.ts';
import * as projects from '../../src/domains/projects/service.ts';
import { createUnit } from '../../src/domains/units/service.ts';
import { fengtaiOrg, GAOJINGLU, JINGTIE, type recordFengtai, type recordShijingshan, shijingshanOrg } from '../programs/world.ts';

/**
 * The seed article's hard nuts, recorded through the same services the API uses, on top of the
 * programs' world (test/programs/world.ts). Amounts and dates the article does not give are
 * plausible inventions, chosen inside the postings so that the report credits them.
 */
type Db = Kysely<Tables>;
type Fengtai = Awaited<ReturnType<typeof recordFengtai>>;
type Shijingshan = Awaited<ReturnType<typeof recordShijingshan>>;

/**
 * "Completed on New Year's Eve next year", written in 2023: 除夕 is the eve of the Spring
 * Festival, which in 2024 fell on 9 February (the Year of the Dragon began on 10 February).
 */
export const GAS_EXPECTED_COMPLETION = '2024-02-09';

/** The five units around the parking lot's table (吹哨报到), and the street. */
export async function recordJingtieUnits(db: Db, fengtai: Fengtai) {
  const unit = (name: string, type: Parameters<typeof createUnit>[1]['type']) =>
    createUnit(db, { name, type, districtCode: '110106' }, fengtaiOrg);
  return {
    housing: fengtai.units.housing,
    landscaping: await unit('丰台区园林绿化局', 'party_government_agency'),
    propertyRights: await unit('京铁家园产权单位', 'property_rights'),
    propertyManagement: await unit('京铁家园物业服务中心', 'property_management'),
    community: await unit('京铁家园社区居委会', 'community_committee'),
    street: fengtai.units.street,
  };
}

/** 贾岚's first hard nut: demolish the illegal structures north of 京铁家园 and build a 791-space parking lot. */
export async function recordParkingLot(db: Db, fengtai: Fengtai, units: Awaited<ReturnType<typeof recordJingtieUnits>>) {
  const created = await projects.createProject(
    db,
    {
      communityCode: JINGTIE,
      title: '北侧拆违建设停车场',
      categoryCode: 'parking.shortage',
      origin: 'historical_problem',
      historical: true,
      description: '拆除小区北侧违法建设，建设京铁家园居民专用停车场',
      leadPostingId: fengtai.jiaPosting.id,
      plannedStartDate: '2022-03-01',
      plannedEndDate: '2022-10-31',
      proposedOn: '2021-12-06',
    },
    fengtaiOrg,
  );
  const id = created.id;
  for (const [unit, role] of [
    [units.community, 'lead'],
    [units.housing, 'coordinating'],
    [units.landscaping, 'coordinating'],
    [units.propertyRights, 'funding'],
    [units.propertyManagement, 'executing'],
  ] as const) {
    await projects.addStakeholder(db, id, { unitId: unit.id, role }, fengtaiOrg);
  }
  await projects.transitionProject(db, id, { to: 'consulting', date: '2021-12-10' }, fengtaiOrg);
  await projects.addConsultation(
    db,
    id,
    {
      heldOn: '2022-01-15',
      form: 'meeting',
      participants: 120,
      support: 112,
      oppose: 3,
      abstain: 5,
      summary: '居民议事会：同意拆违建停车场，优先保障本小区居民',
    },
    fengtaiOrg,
  );
  await projects.transitionProject(db, id, { to: 'approved', date: '2022-01-20' }, fengtaiOrg);
  const milestones = [];
  for (const [title, weight, plannedOn] of [
    ['拆除违法建设', 3, '2022-04-30'],
    ['场地平整与绿化', 2, '2022-07-31'],
    ['停车场建成投用', 2, '2022-10-31'],
  ] as const) {
    milestones.push(await projects.addMilestone(db, id, { title, weight, plannedOn }, fengtaiOrg));
  }
  await projects.transitionProject(db, id, { to: 'in_progress', date: '2022-03-01' }, fengtaiOrg);
  await projects.addFund(
    db,
    id,
    { amount: 1_200_000, sourceUnitId: units.propertyRights.id, receivedOn: '2022-03-15', note: '产权单位出资' },
    fengtaiOrg,
  );
  await projects.addFund(db, id, { amount: 350_000.5, sourceUnitId: units.housing.id, receivedOn: '2022-06-01' }, fengtaiOrg);
  const output = await projects.addOutput(db, id, { kind: 'parking_spaces', target: 791 }, fengtaiOrg);
  for (const [milestone, date] of [
    [milestones[0]!, '2022-04-28'],
    [milestones[1]!, '2022-08-05'],
    [milestones[2]!, '2022-10-30'],
  ] as const) {
    await projects.markMilestoneDone(db, id, milestone.id, { date }, fengtaiOrg);
  }
  await projects.updateOutput(db, id, output.id, { achieved: 791, asOf: '2022-10-30' }, fengtaiOrg);
  await projects.transitionProject(db, id, { to: 'completed', date: '2022-11-01', note: '停车场顺利投用' }, fengtaiOrg);
  return { id, outputId: output.id, milestones };
}

/** 50+ elevators renewed: begun under 贾岚, carried to 田慧林 by the succession, nearing completion. */
export async function recordElevators(db: Db, fengtai: Fengtai) {
  const created = await projects.createProject(
    db,
    {
      communityCode: JINGTIE,
      title: '50 余部电梯更新',
      categoryCode: 'elevator.renewal',
      origin: 'hotspot',
      leadPostingId: fengtai.jiaPosting.id,
      proposedOn: '2022-11-15',
      expectedCompletionDate: '2023-12-31',
    },
    fengtaiOrg,
  );
  const id = created.id;
  await projects.addConsultation(
    db,
    id,
    { heldOn: '2022-12-01', form: 'survey', participants: 600, support: 540, oppose: 20, abstain: 40 },
    fengtaiOrg,
  );
  await projects.transitionProject(db, id, { to: 'approved', date: '2022-12-20' }, fengtaiOrg);
  await projects.transitionProject(db, id, { to: 'in_progress', date: '2023-01-10' }, fengtaiOrg);
  const output = await projects.addOutput(db, id, { kind: 'elevators_renewed', target: 50, achieved: 12 }, fengtaiOrg);
  const survey = await projects.addMilestone(db, id, { title: '电梯安全评估', weight: 1 }, fengtaiOrg);
  const replace = await projects.addMilestone(db, id, { title: '分批更换电梯', weight: 3 }, fengtaiOrg);
  await projects.markMilestoneDone(db, id, survey.id, { date: '2023-01-20' }, fengtaiOrg);
  return { id, outputId: output.id, milestones: { survey, replace } };
}

/** Shijingshan: gas to the households of Building 19, 高井路社区, under 李昆明. */
export async function recordGas(db: Db, shijingshan: Shijingshan) {
  const street = await createUnit(db, { name: '广宁街道办事处', type: 'street_office', districtCode: '110107' }, shijingshanOrg);
  const created = await projects.createProject(
    db,
    {
      communityCode: GAOJINGLU,
      title: '19号楼燃气入户',
      categoryCode: 'gas.connection',
      origin: 'historical_problem',
      historical: true,
      description: '原为单身宿舍的19号楼管道燃气改造，居民告别扛气罐上下楼',
      leadPostingId: shijingshan.liPosting.id,
      expectedCompletionDate: GAS_EXPECTED_COMPLETION,
      householdsBenefited: 100,
      proposedOn: '2022-06-01',
    },
    shijingshanOrg,
  );
  const id = created.id;
  await projects.addStakeholder(db, id, { unitId: shijingshan.datang.id, role: 'coordinating' }, shijingshanOrg);
  await projects.addStakeholder(db, id, { unitId: street.id, role: 'lead' }, shijingshanOrg);
  await projects.addConsultation(
    db,
    id,
    { heldOn: '2022-07-10', form: 'door_to_door', participants: 100, support: 97, abstain: 3 },
    shijingshanOrg,
  );
  await projects.transitionProject(db, id, { to: 'approved', date: '2022-09-01' }, shijingshanOrg);
  await projects.addFund(db, id, { amount: 300_000, sourceUnitId: shijingshan.datang.id, receivedOn: '2022-10-10' }, shijingshanOrg);
  await projects.transitionProject(db, id, { to: 'in_progress', date: '2023-03-01', note: '破冰开工' }, shijingshanOrg);
  const output = await projects.addOutput(db, id, { kind: 'households_gas_connected', target: 100 }, shijingshanOrg);
  return { id, outputId: output.id, street };
}
