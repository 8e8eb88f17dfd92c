import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import * as programs from '../../src/domains/programs/service.ts';
import * as projects from '../../src/domains/projects/service.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, GAOJINGLU, JINGTIE, recordFengtai, recordShijingshan } from '../programs/world.ts';
import { recordElevators, recordJingtieUnits, recordParkingLot } from './world.ts';

/** Bad input gets a clear error naming the field, and nothing is written. */
describe.each(backends)('project refusals on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  let shijingshan: Awaited<ReturnType<typeof recordShijingshan>>;
  let units: Awaited<ReturnType<typeof recordJingtieUnits>>;
  let parking: Awaited<ReturnType<typeof recordParkingLot>>;
  let elevators: Awaited<ReturnType<typeof recordElevators>>;
  let appeals: { jingtie: number; gaojinglu: number };

  const tables = [
    'project',
    'project_status_change',
    'project_stakeholder',
    'project_consultation',
    'project_milestone',
    'project_fund',
    'project_output',
    'project_appeal',
    'project_config',
    'audit_log',
  ] as const;
  /** Row counts of every projects table and the audit log, and the project rows themselves: a refusal leaves all as they were. */
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    for (const table of tables)
      out[table] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.db.kysely)).rows[0]!.n;
    out.projects = await t.db.kysely.selectFrom('project').selectAll().orderBy('id').execute();
    out.outputs = await t.db.kysely
      .selectFrom('project_output')
      .select(['id', 'achieved', 'target', 'completed_on'])
      .orderBy('id')
      .execute();
    out.milestones = await t.db.kysely.selectFrom('project_milestone').select(['id', 'done_on']).orderBy('id').execute();
    return out;
  };
  /** Takes a thunk, so that the call starts only after the snapshot is taken. */
  const refused = async (action: () => Promise<unknown>, kind: AppError['kind'], field?: string, message?: RegExp) => {
    const before = await snapshot();
    const error = await action().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'should have been refused').toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe(kind);
    if (field) expect((error as AppError).errors.map((e) => e.field)).toContain(field);
    if (message) expect((error as AppError).message).toMatch(message);
    expect(await snapshot()).toEqual(before);
    return error as AppError;
  };
  const propose = (title: string, extra: Partial<Parameters<typeof projects.createProject>[1]> = {}) =>
    projects.createProject(
      t.db.kysely,
      { communityCode: JINGTIE, title, categoryCode: 'parking', origin: 'assignment', proposedOn: '2022-01-01', ...extra },
      fengtaiOrg,
    );

  beforeAll(async () => {
    const db = t.db.kysely;
    fengtai = await recordFengtai(db);
    shijingshan = await recordShijingshan(db);
    units = await recordJingtieUnits(db, fengtai);
    parking = await recordParkingLot(db, fengtai, units);
    elevators = await recordElevators(db, fengtai);
    const insert = async (ticket: string, community: string) =>
      (
        await sql<{ id: number }>`
      INSERT INTO appeal (ticket_no, channel, received_at, kind, category_code, description, community_code, street_code, district_code, last_event_at, created_by)
      VALUES (${ticket}, 'phone', '2022-01-05T02:00:00Z', 'complaint', 'parking.shortage', '停车难', ${community}, ${community.slice(0, 9)}, ${community.slice(0, 6)}, '2022-01-05T02:00:00Z', 'test')
      RETURNING id`.execute(db)
      ).rows[0]!.id;
    appeals = { jingtie: await insert('RF-1', JINGTIE), gaojinglu: await insert('RF-2', GAOJINGLU) };
  });

  it('refuses negative, zero and sub-fen amounts, and money from the future', async () => {
    const fund =
      (amount: number, receivedOn = '2022-05-01') =>
      () =>
        projects.addFund(t.db.kysely, parking.id, { amount, sourceUnitId: units.propertyRights.id, receivedOn }, fengtaiOrg);
    await refused(fund(-50_000), 'invalid', 'amount', /金额应大于 0/);
    await refused(fund(0), 'invalid', 'amount');
    await refused(fund(10.005), 'invalid', 'amount', /两位小数/);
    await refused(fund(1000, '2999-01-01'), 'invalid', 'receivedOn', /还没到/);
  });

  it('refuses absurd outputs: ten times the target, over a million, a custom output without its measure', async () => {
    const add = (input: Parameters<typeof projects.addOutput>[2]) => () => projects.addOutput(t.db.kysely, parking.id, input, fengtaiOrg);
    await refused(add({ kind: 'parking_spaces', target: 791, achieved: 7910 * 2 }), 'invalid', 'achieved', /10 倍/);
    await refused(add({ kind: 'parking_spaces', target: 10, achieved: -1 }), 'invalid', 'achieved', /负数/);
    await refused(add({ kind: 'households_gas_connected', target: 2_000_000 }), 'invalid', 'target', /不能超过 1000000/);
    await refused(add({ kind: 'custom', target: 5 }), 'invalid', 'unitLabel');
    await refused(
      () => projects.updateOutput(t.db.kysely, elevators.id, elevators.outputId, { achieved: 501 }, fengtaiOrg),
      'invalid',
      'achieved',
      /10 倍/,
    );
  });

  it('refuses a milestone done before the project started, or before it started at all', async () => {
    await refused(
      () => projects.markMilestoneDone(t.db.kysely, elevators.id, elevators.milestones.replace.id, { date: '2022-12-31' }, fengtaiOrg),
      'invalid',
      'date',
      /开工（2023-01-10）之前/,
    );
    const unstarted = await propose('未开工的项目');
    const milestone = await projects.addMilestone(t.db.kysely, unstarted.id, { title: '设计方案' }, fengtaiOrg);
    await refused(
      () => projects.markMilestoneDone(t.db.kysely, unstarted.id, milestone.id, { date: '2022-02-01' }, fengtaiOrg),
      'conflict',
      'date',
      /尚未开工/,
    );
    // Moving the start past a milestone already done would leave it done before the start.
    await refused(
      () => projects.updateProject(t.db.kysely, elevators.id, { actualStartDate: '2023-02-01' }, fengtaiOrg),
      'invalid',
      'actualStartDate',
    );
  });

  it('refuses linking an appeal of another community, and then links none of the list', async () => {
    await refused(
      () => projects.linkAppeals(t.db.kysely, parking.id, { appealIds: [appeals.jingtie, appeals.gaojinglu] }, fengtaiOrg),
      'invalid',
      'appealIds.1',
      /只能关联本社区的诉求/,
    );
    await refused(() => projects.linkAppeals(t.db.kysely, parking.id, { appealIds: [999_999_999] }, fengtaiOrg), 'invalid', 'appealIds.0');
    expect(await projects.linkAppeals(t.db.kysely, parking.id, { appealIds: [appeals.jingtie] }, fengtaiOrg)).toEqual({
      added: 1,
      alreadyLinked: 0,
    });
    expect(await projects.linkAppeals(t.db.kysely, parking.id, { appealIds: [appeals.jingtie] }, fengtaiOrg)).toEqual({
      added: 0,
      alreadyLinked: 1,
    });
  });

  it('refuses approval without a resident consultation, unless the project or the global rule waives it', async () => {
    const project = await propose('无征求意见的项目');
    await refused(
      () => projects.transitionProject(t.db.kysely, project.id, { to: 'approved', date: '2022-02-01' }, fengtaiOrg),
      'conflict',
      'to',
      /须征求居民意见/,
    );
    // A consultation held after the approval day does not count for it.
    await projects.addConsultation(t.db.kysely, project.id, { heldOn: '2022-03-01', form: 'survey', participants: 10 }, fengtaiOrg);
    await refused(
      () => projects.transitionProject(t.db.kysely, project.id, { to: 'approved', date: '2022-02-01' }, fengtaiOrg),
      'conflict',
      'to',
    );
    expect((await projects.transitionProject(t.db.kysely, project.id, { to: 'approved', date: '2022-03-01' }, fengtaiOrg)).status).toBe(
      'approved',
    );

    const waived = await propose('上级交办的项目', { requiresConsultation: false });
    expect(waived.consultationRequired).toBe(false);
    expect((await projects.transitionProject(t.db.kysely, waived.id, { to: 'approved', date: '2022-02-01' }, fengtaiOrg)).status).toBe(
      'approved',
    );

    const config = await projects.getProjectConfig(t.db.kysely);
    await projects.updateProjectConfig(t.db.kysely, { ...config, requireConsultationForApproval: false }, systemViewer);
    const global = await propose('全局规则放宽后的项目');
    expect((await projects.transitionProject(t.db.kysely, global.id, { to: 'approved', date: '2022-02-01' }, fengtaiOrg)).status).toBe(
      'approved',
    );
    await projects.updateProjectConfig(t.db.kysely, config, systemViewer);
    await refused(
      () => projects.updateProjectConfig(t.db.kysely, { ...config, beforeAfterMonths: 0 }, systemViewer),
      'invalid',
      'beforeAfterMonths',
    );
  });

  it('refuses illegal status transitions, completing with open milestones and a timeline running backwards', async () => {
    const project = await propose('状态测试');
    await refused(
      () => projects.transitionProject(t.db.kysely, project.id, { to: 'completed' }, fengtaiOrg),
      'conflict',
      'to',
      /不能从“已提出”变为“已完成”/,
    );
    await refused(
      () => projects.transitionProject(t.db.kysely, parking.id, { to: 'in_progress' }, fengtaiOrg),
      'conflict',
      'to',
      /无（已结束）/,
    );
    await refused(
      () => projects.transitionProject(t.db.kysely, elevators.id, { to: 'completed', date: '2023-06-01' }, fengtaiOrg),
      'conflict',
      'to',
      /1 个里程碑未完成/,
    );
    await refused(
      () => projects.transitionProject(t.db.kysely, elevators.id, { to: 'stalled', date: '2022-06-01' }, fengtaiOrg),
      'invalid',
      'date',
      /不能更早/,
    );
    await refused(() => projects.addMilestone(t.db.kysely, parking.id, { title: '完成后补的里程碑' }, fengtaiOrg), 'conflict');
  });

  it('refuses a lead posting of another community, and a consultation with more votes than people', async () => {
    await refused(
      () => propose('错社区的牵头', { leadPostingId: shijingshan.liPosting.id }),
      'invalid',
      'leadPostingId',
      /不在本项目所在社区/,
    );
    await refused(
      () =>
        projects.updateProject(t.db.kysely, parking.id, { leadPostingId: shijingshan.liPosting.id }, { ...fengtaiOrg, scopeCode: '11' }),
      'invalid',
      'leadPostingId',
    );
    await refused(
      () =>
        projects.addConsultation(
          t.db.kysely,
          parking.id,
          { heldOn: '2022-01-16', form: 'meeting', participants: 10, support: 8, oppose: 3 },
          fengtaiOrg,
        ),
      'invalid',
      'participants',
      /多于参与/,
    );
    await refused(() => propose('不存在的类别', { categoryCode: 'parking.nonexistent' }), 'invalid', 'categoryCode');
    await refused(() => propose('计划倒置', { plannedStartDate: '2022-05-01', plannedEndDate: '2022-04-01' }), 'invalid', 'plannedEndDate');
  });

  it('holds the rules in the database too: a lead posting of another community, an output done below its target', async () => {
    const row = {
      community_code: GAOJINGLU,
      title: 'x',
      category_code: 'gas',
      origin: 'assignment' as const,
      lead_posting_id: fengtai.jiaPosting.id,
      created_by: 'sql',
    };
    await expect(t.db.kysely.insertInto('project').values(row).execute()).rejects.toMatchObject({ code: '23503' });
    await expect(
      t.db.kysely.updateTable('project_output').set({ completed_on: '2023-01-01' }).where('id', '=', elevators.outputId).execute(),
    ).rejects.toMatchObject({ code: '23514' });
    await expect(
      t.db.kysely.updateTable('project').set({ status: 'completed' }).where('id', '=', elevators.id).execute(),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('keeps the programs’ own rules: a refused succession moves no project', async () => {
    await refused(
      () =>
        programs.succeedPosting(t.db.kysely, fengtai.jiaPosting.id, { cadreId: fengtai.jiaLan.id, startDate: '2023-02-01' }, fengtaiOrg),
      'invalid',
      'cadreId',
    );
    expect((await projects.getProject(t.db.kysely, elevators.id, fengtaiOrg)).leadPosting?.postingId).toBe(fengtai.jiaPosting.id);
  });
});
