import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/domains/accounts/service.ts';
import { systemViewer, type Viewer } from '../../src/domains/accounts/viewer.ts';
import * as programs from '../../src/domains/programs/service.ts';
import * as projects from '../../src/domains/projects/service.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, JINGTIE, recordFengtai, recordShijingshan, recordSuccession, shijingshanOrg } from '../programs/world.ts';
import { recordElevators, recordGas, recordJingtieUnits, recordParkingLot } from './world.ts';

/** Who reads and who changes a project: scope for streets, communities and the org department; their own posting for secretaries. */
describe.each(backends)('project scope on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  let parking: Awaited<ReturnType<typeof recordParkingLot>>;
  let elevators: Awaited<ReturnType<typeof recordElevators>>;
  let gas: Awaited<ReturnType<typeof recordGas>>;
  let tian: Viewer;
  let jia: Viewer;

  const liuliqiao: Viewer = { userId: null, actor: 'llq', role: 'street_office', scopeCode: '110106008' };
  const youanmen: Viewer = { userId: null, actor: 'yam', role: 'street_office', scopeCode: '110106001' };
  const community: Viewer = { userId: null, actor: 'jtjy', role: 'community_committee', scopeCode: JINGTIE };
  const hotline: Viewer = { userId: null, actor: 'hotline', role: 'hotline_office', scopeCode: '110106' };

  const refusal = async (action: () => Promise<unknown>) => {
    const error = await action().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };
  const secretary = async (login: string, cadreId: number): Promise<Viewer> => {
    const { user } = await createUser(
      t.db.kysely,
      { login, role: 'secretary', scope: JINGTIE, password: 'a secretary’s own long passphrase 791' },
      systemViewer,
    );
    await programs.linkCadreUser(t.db.kysely, cadreId, user.id, systemViewer);
    return { userId: user.id, actor: login, role: 'secretary', scopeCode: JINGTIE };
  };

  beforeAll(async () => {
    const db = t.db.kysely;
    fengtai = await recordFengtai(db);
    const shijingshan = await recordShijingshan(db);
    parking = await recordParkingLot(db, fengtai, await recordJingtieUnits(db, fengtai));
    elevators = await recordElevators(db, fengtai);
    gas = await recordGas(db, shijingshan);
    await recordSuccession(db, fengtai);
    tian = await secretary('tian', fengtai.tianHuilin.id);
    jia = await secretary('jia', fengtai.jiaLan.id);
  });

  it('lets everyone in scope read, and filters lists in SQL', async () => {
    for (const viewer of [liuliqiao, community, hotline, tian]) {
      expect((await projects.getProject(t.db.kysely, parking.id, viewer)).title).toBe('北侧拆违建设停车场');
      expect((await projects.listProjects(t.db.kysely, {}, viewer)).total).toBe(2);
    }
    expect((await refusal(() => projects.getProject(t.db.kysely, parking.id, youanmen))).kind).toBe('forbidden');
    expect((await refusal(() => projects.getProject(t.db.kysely, gas.id, fengtaiOrg))).kind).toBe('forbidden');
    expect((await projects.listProjects(t.db.kysely, {}, youanmen)).total).toBe(0);
    expect((await projects.listProjects(t.db.kysely, {}, shijingshanOrg)).items.map((p) => p.id)).toEqual([gas.id]);
    expect((await projects.projectBoard(t.db.kysely, {}, youanmen)).total).toBe(0);
    expect((await refusal(() => projects.listLinkedAppeals(t.db.kysely, parking.id, {}, youanmen))).kind).toBe('forbidden');
  });

  it('lets the street, the community and the org department change projects in scope, and nobody outside', async () => {
    for (const viewer of [liuliqiao, community, fengtaiOrg]) {
      await projects.addConsultation(t.db.kysely, elevators.id, { heldOn: '2023-03-01', form: 'meeting', participants: 30 }, viewer);
    }
    expect(
      (
        await refusal(() =>
          projects.addConsultation(t.db.kysely, elevators.id, { heldOn: '2023-03-01', form: 'meeting', participants: 30 }, youanmen),
        )
      ).kind,
    ).toBe('forbidden');
    expect(
      (
        await refusal(() =>
          projects.addConsultation(t.db.kysely, elevators.id, { heldOn: '2023-03-01', form: 'meeting', participants: 30 }, shijingshanOrg),
        )
      ).kind,
    ).toBe('forbidden');
    const hotlineRefusal = await refusal(() => projects.updateProject(t.db.kysely, elevators.id, { title: '改名' }, hotline));
    expect(hotlineRefusal).toMatchObject({ kind: 'forbidden' });
    expect(hotlineRefusal.message).toMatch(/当前角色无权修改攻坚项目/);
    expect(
      (
        await refusal(() =>
          projects.createProject(
            t.db.kysely,
            { communityCode: JINGTIE, title: 'x', categoryCode: 'parking', origin: 'assignment' },
            youanmen,
          ),
        )
      ).kind,
    ).toBe('forbidden');
  });

  it('lets a secretary change the projects their own posting leads, and only those', async () => {
    const detail = await projects.getProject(t.db.kysely, elevators.id, tian);
    expect(detail.abilities.manage).toBe(true);
    expect((await projects.getProject(t.db.kysely, parking.id, tian)).abilities.manage).toBe(false);
    await projects.updateOutput(t.db.kysely, elevators.id, elevators.outputId, { achieved: 30 }, tian);
    // 贾岚 has left: her login no longer changes the elevators, and 田慧林 cannot change her parking lot.
    expect(
      (await refusal(() => projects.updateOutput(t.db.kysely, elevators.id, elevators.outputId, { achieved: 31 }, jia))).message,
    ).toMatch(/本人选派牵头/);
    expect(
      (
        await refusal(() =>
          projects.addConsultation(t.db.kysely, parking.id, { heldOn: '2023-03-01', form: 'meeting', participants: 3 }, tian),
        )
      ).kind,
    ).toBe('forbidden');
    expect(
      (await refusal(() => projects.updateProject(t.db.kysely, elevators.id, { leadPostingId: fengtai.jiaPosting.id }, tian))).kind,
    ).toBe('forbidden');
    // A new project: only through her own posting.
    const tianPosting = (await projects.getProject(t.db.kysely, elevators.id, tian)).leadPosting!.postingId;
    const own = await projects.createProject(
      t.db.kysely,
      {
        communityCode: JINGTIE,
        title: '西南门外闲置空间改建停车场',
        categoryCode: 'parking.shortage',
        origin: 'hotspot',
        leadPostingId: tianPosting,
      },
      tian,
    );
    expect(own.leadPosting?.cadreName).toBe('田慧林');
    expect(
      (
        await refusal(() =>
          projects.createProject(
            t.db.kysely,
            { communityCode: JINGTIE, title: 'x', categoryCode: 'parking', origin: 'hotspot', leadPostingId: fengtai.jiaPosting.id },
            tian,
          ),
        )
      ).kind,
    ).toBe('forbidden');
    expect(
      (
        await refusal(() =>
          projects.createProject(t.db.kysely, { communityCode: JINGTIE, title: 'x', categoryCode: 'parking', origin: 'hotspot' }, tian),
        )
      ).errors[0]?.field,
    ).toBe('leadPostingId');
  });

  it('reads the achievement report only within the program’s district', async () => {
    expect((await refusal(() => projects.achievementReport(t.db.kysely, fengtai.program.id, {}, shijingshanOrg))).kind).toBe('forbidden');
    const street = await projects.achievementReport(t.db.kysely, fengtai.program.id, {}, liuliqiao);
    expect(street.totals.projects).toBe(3);
  });
});
