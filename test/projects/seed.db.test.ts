import { beforeAll, describe, expect, it } from 'vitest';
import { listAuditFor } from '../../src/domains/accounts/audit.ts';
import * as programs from '../../src/domains/programs/service.ts';
import * as projects from '../../src/domains/projects/service.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, GAOJINGLU, JINGTIE, recordFengtai, recordShijingshan, recordSuccession, shijingshanOrg } from '../programs/world.ts';
import { isProjectOverdue } from '../../src/domains/projects/present.ts';
import { GAS_EXPECTED_COMPLETION, recordElevators, recordGas, recordJingtieUnits, recordParkingLot } from './world.ts';

/** Every fact of the seed article about hard-nut projects is recorded and read back. */
describe.each(backends)('the seed article’s projects on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  let shijingshan: Awaited<ReturnType<typeof recordShijingshan>>;
  let parking: Awaited<ReturnType<typeof recordParkingLot>>;
  let elevators: Awaited<ReturnType<typeof recordElevators>>;
  let gas: Awaited<ReturnType<typeof recordGas>>;
  beforeAll(async () => {
    const db = t.db.kysely;
    fengtai = await recordFengtai(db);
    shijingshan = await recordShijingshan(db);
    parking = await recordParkingLot(db, fengtai, await recordJingtieUnits(db, fengtai));
    elevators = await recordElevators(db, fengtai);
    gas = await recordGas(db, shijingshan);
  });

  it('holds 贾岚’s 791-space parking lot with its five stakeholders, a consultation, milestones and the output', async () => {
    const project = await projects.getProject(t.db.kysely, parking.id, fengtaiOrg);
    expect(project).toMatchObject({
      communityName: '京铁家园社区',
      streetName: '六里桥街道',
      title: '北侧拆违建设停车场',
      categoryCode: 'parking.shortage',
      categoryName: '停车难',
      origin: 'historical_problem',
      historical: true,
      status: 'completed',
      statusLabel: '已完成',
      progress: 1,
      actualStartDate: '2022-03-01',
      actualEndDate: '2022-11-01',
      consultationRequired: true,
      leadPosting: { postingId: fengtai.jiaPosting.id, cadreName: '贾岚', programId: fengtai.program.id, batchId: fengtai.batch1.id },
    });
    expect(project.stakeholders.map((s) => [s.unitName, s.role, s.roleLabel])).toEqual([
      ['京铁家园社区居委会', 'lead', '牵头'],
      ['丰台区住房和城乡建设委员会', 'coordinating', '协调'],
      ['丰台区园林绿化局', 'coordinating', '协调'],
      ['京铁家园产权单位', 'funding', '出资'],
      ['京铁家园物业服务中心', 'executing', '实施'],
    ]);
    expect(project.stakeholders.map((s) => s.unitType)).toEqual([
      'community_committee',
      'party_government_agency',
      'party_government_agency',
      'property_rights',
      'property_management',
    ]);
    expect(project.consultations).toEqual([
      expect.objectContaining({
        heldOn: '2022-01-15',
        form: 'meeting',
        formLabel: '议事协商会',
        participants: 120,
        support: 112,
        oppose: 3,
        abstain: 5,
      }),
    ]);
    expect(project.milestones.map((m) => [m.title, m.weight, m.doneOn])).toEqual([
      ['拆除违法建设', 3, '2022-04-28'],
      ['场地平整与绿化', 2, '2022-08-05'],
      ['停车场建成投用', 2, '2022-10-30'],
    ]);
    expect(project.outputs).toEqual([
      expect.objectContaining({
        kind: 'parking_spaces',
        label: '停车位',
        unitLabel: '个',
        categoryCode: 'parking',
        target: 791,
        achieved: 791,
        done: true,
        completedOn: '2022-10-30',
      }),
    ]);
    expect(project.funds.map((f) => [f.amount, f.sourceUnitName, f.receivedOn])).toEqual([
      [1_200_000, '京铁家园产权单位', '2022-03-15'],
      [350_000.5, '丰台区住房和城乡建设委员会', '2022-06-01'],
    ]);
    expect(project.fundsTotal).toBe(1_550_000.5);
    expect(project.history.map((h) => [h.from, h.to, h.date])).toEqual([
      [null, 'proposed', '2021-12-06'],
      ['proposed', 'consulting', '2021-12-10'],
      ['consulting', 'approved', '2022-01-20'],
      ['approved', 'in_progress', '2022-03-01'],
      ['in_progress', 'completed', '2022-11-01'],
    ]);
    expect(project.allowedTransitions).toEqual([]);
    expect(project.abilities).toEqual({ manage: true });
    const audit = await listAuditFor(t.db.kysely, 'project', String(parking.id));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'project.create',
        'project.stakeholder_add',
        'project.consultation_add',
        'project.transition',
        'project.fund_add',
        'project.milestone_done',
        'project.output_update',
      ]),
    );
  });

  it('derives progress from the weighted milestones: 电梯更新 at a quarter, 12 of 50 elevators', async () => {
    const project = await projects.getProject(t.db.kysely, elevators.id, fengtaiOrg);
    expect(project).toMatchObject({
      status: 'in_progress',
      progress: 0.25,
      expectedCompletionDate: '2023-12-31',
      allowedTransitions: ['completed', 'stalled', 'cancelled'],
    });
    // Still running past the day it was expected done: flagged, the finished parking lot not.
    expect(project).toMatchObject({ dueDate: '2023-12-31', overdue: true });
    expect(await projects.getProject(t.db.kysely, parking.id, fengtaiOrg)).toMatchObject({ overdue: false });
    expect(isProjectOverdue({ status: 'in_progress', expected_completion_date: '2023-12-31', planned_end_date: null }, '2023-12-31')).toBe(
      false,
    );
    expect(isProjectOverdue({ status: 'stalled', expected_completion_date: null, planned_end_date: '2023-12-30' }, '2023-12-31')).toBe(
      true,
    );
    expect(isProjectOverdue({ status: 'cancelled', expected_completion_date: '2023-01-01', planned_end_date: null }, '2023-12-31')).toBe(
      false,
    );
    expect(project.outputs[0]).toMatchObject({ kind: 'elevators_renewed', target: 50, achieved: 12, done: false, completedOn: null });
  });

  it('carries the open elevator project from 贾岚 to 田慧林 through the handover, and leaves the finished parking lot with her', async () => {
    const { predecessor, successor, handover } = await recordSuccession(t.db.kysely, fengtai);
    const carried = handover.openItems.filter((i) => i.projectId !== undefined);
    expect(carried).toEqual([{ description: '攻坚项目：50 余部电梯更新（推进中）', projectId: elevators.id }]);
    expect(handover.openItems.map((i) => i.description)).toContain('50 余部电梯更新');
    expect((await projects.getProject(t.db.kysely, elevators.id, fengtaiOrg)).leadPosting).toMatchObject({
      postingId: successor.id,
      cadreName: '田慧林',
    });
    expect((await projects.getProject(t.db.kysely, parking.id, fengtaiOrg)).leadPosting).toMatchObject({
      postingId: predecessor.id,
      cadreName: '贾岚',
    });
    const read = await programs.getPosting(t.db.kysely, successor.id, fengtaiOrg);
    expect(read.handoverIn?.openItems).toContainEqual({ description: '攻坚项目：50 余部电梯更新（推进中）', projectId: elevators.id });
    expect((await listAuditFor(t.db.kysely, 'project', String(elevators.id))).map((a) => a.action)).toContain('project.carry');

    // 田慧林 goes on: the renewal nears completion.
    await projects.updateOutput(t.db.kysely, elevators.id, elevators.outputId, { achieved: 46 }, fengtaiOrg);
    await projects.markMilestoneDone(t.db.kysely, elevators.id, elevators.milestones.replace.id, { date: '2023-06-30' }, fengtaiOrg);
    const now = await projects.getProject(t.db.kysely, elevators.id, fengtaiOrg);
    expect(now.progress).toBe(1);
    expect(now.outputs[0]).toMatchObject({ achieved: 46, done: false });
  });

  it('holds 高井路社区 Building 19’s gas for 100 households under 李昆明, expected by New Year’s Eve 2024, carried into his renewal', async () => {
    const project = await projects.getProject(t.db.kysely, gas.id, shijingshanOrg);
    expect(project).toMatchObject({
      communityCode: GAOJINGLU,
      communityName: '高井路社区',
      streetName: '广宁街道',
      categoryName: '燃气入户',
      historical: true,
      status: 'in_progress',
      expectedCompletionDate: GAS_EXPECTED_COMPLETION,
      householdsBenefited: 100,
      leadPosting: { cadreName: '李昆明' },
    });
    expect(project.outputs[0]).toMatchObject({
      kind: 'households_gas_connected',
      label: '燃气入户',
      unitLabel: '户',
      target: 100,
      achieved: 0,
    });
    const { renewal } = await programs.renewPosting(t.db.kysely, shijingshan.liPosting.id, {}, shijingshanOrg);
    expect((await projects.getProject(t.db.kysely, gas.id, shijingshanOrg)).leadPosting).toMatchObject({
      postingId: renewal.id,
      batchId: shijingshan.batch2.id,
    });
  });

  it('lists and boards projects by status, community and program, inside the scope', async () => {
    const all = await projects.listProjects(t.db.kysely, {}, fengtaiOrg);
    expect(all.items.map((p) => p.title)).toEqual(['北侧拆违建设停车场', '50 余部电梯更新']);
    const running = await projects.listProjects(t.db.kysely, { status: ['in_progress'], communityCode: JINGTIE }, fengtaiOrg);
    expect(running.items.map((p) => p.id)).toEqual([elevators.id]);
    const byProgram = await projects.listProjects(
      t.db.kysely,
      { programId: shijingshan.program.id },
      { ...shijingshanOrg, scopeCode: '11' },
    );
    expect(byProgram.items.map((p) => p.id)).toEqual([gas.id]);
    const historical = await projects.listProjects(t.db.kysely, { historical: true, category: 'parking' }, fengtaiOrg);
    expect(historical.total).toBe(1);
    const paged = await projects.listProjects(t.db.kysely, { limit: 1 }, fengtaiOrg);
    expect(paged.total).toBe(2);
    expect((await projects.listProjects(t.db.kysely, { limit: 1, cursor: paged.nextCursor! }, fengtaiOrg)).items.map((p) => p.id)).toEqual([
      elevators.id,
    ]);

    const board = await projects.projectBoard(t.db.kysely, {}, { ...fengtaiOrg, scopeCode: '11' });
    expect(board.columns.map((c) => c.status)).toEqual([
      'proposed',
      'consulting',
      'approved',
      'in_progress',
      'completed',
      'stalled',
      'cancelled',
    ]);
    expect(Object.fromEntries(board.columns.map((c) => [c.status, c.count]))).toMatchObject({ in_progress: 2, completed: 1, proposed: 0 });
    expect(board.total).toBe(3);
    expect(board.columns.find((c) => c.status === 'completed')!.items.map((p) => p.title)).toEqual(['北侧拆违建设停车场']);
  });
});
