import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Viewer } from '../../src/domains/accounts/viewer.ts';
import { addDays, shanghaiToday } from '../../src/shared/dates.ts';
import { insertPosting } from '../../src/domains/programs/queries.ts';
import * as programs from '../../src/domains/programs/service.ts';
import { createUnit } from '../../src/domains/units/service.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { fengtaiOrg, GAOJINGLU, JINGTIE, recordFengtai, recordShijingshan, recordSuccession, shijingshanOrg } from './world.ts';

/** Bad input gets a clear error naming the field, and nothing is written. */
describe.each(backends)('refusals on %s', (backend) => {
  const t = useTestDatabase(backend);
  let fengtai: Awaited<ReturnType<typeof recordFengtai>>;
  let shijingshan: Awaited<ReturnType<typeof recordShijingshan>>;
  let tianPostingId: number;

  /** Row counts of every programs table and the audit log: a refusal leaves them all as they were. */
  const counts = async () => {
    const tables = ['posting', 'handover', 'duty_day', 'batch', 'batch_community', 'audit_log', 'apprenticeship'] as const;
    const out: Record<string, number> = {};
    for (const table of tables) {
      out[table] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.db.kysely)).rows[0]!.n;
    }
    return out;
  };
  /** Takes a thunk, so that the call starts only after the counts are taken. */
  const refused = async (action: () => Promise<unknown>, kind: AppError['kind'], field?: string, message?: RegExp) => {
    const before = await counts();
    const error = await action().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, 'should have been refused').toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe(kind);
    if (field) expect((error as AppError).errors.map((e) => e.field)).toContain(field);
    if (message) expect((error as AppError).message).toMatch(message);
    expect(await counts()).toEqual(before);
    return error as AppError;
  };

  beforeAll(async () => {
    fengtai = await recordFengtai(t.db.kysely);
    shijingshan = await recordShijingshan(t.db.kysely);
    tianPostingId = (await recordSuccession(t.db.kysely, fengtai)).successor.id;
  });

  it('refuses a second secretary for the same community and dates', async () => {
    const other = await programs.createCadre(t.db.kysely, { name: '丰台干部甲', unitId: fengtai.units.housing.id }, fengtaiOrg);
    await refused(
      () =>
        programs.createPosting(
          t.db.kysely,
          { batchId: fengtai.batch1.id, cadreId: other.id, communityCode: JINGTIE, startDate: '2023-06-01' },
          fengtaiOrg,
        ),
      'conflict',
      'startDate',
      /已有书记田慧林/,
    );
  });

  it('holds the one-secretary rule in the database itself', async () => {
    const row = {
      program_id: fengtai.program.id,
      batch_id: fengtai.batch1.id,
      community_code: JINGTIE,
      cadre_id: fengtai.jiaLan.id,
      role: 'governance_secretary' as const,
      kind: 'new' as const,
      predecessor_posting_id: null,
      start_date: '2024-01-01',
      end_date: null,
      notes: null,
      created_by: 'sql',
    };
    await expect(insertPosting(t.db.kysely, row)).rejects.toMatchObject({ code: '23P01', constraint: 'posting_one_active_per_community' });
  });

  it('lets only one of two racing transactions post a secretary', async () => {
    const community = fengtai.communities[1]!;
    const [a, b] = await Promise.all(
      ['甲', '乙'].map((n) => programs.createCadre(t.db.kysely, { name: `竞争者${n}`, unitId: fengtai.units.housing.id }, fengtaiOrg)),
    );
    const results = await Promise.allSettled(
      [a!, b!].map((cadre) =>
        programs.createPosting(t.db.kysely, { batchId: fengtai.batch1.id, cadreId: cadre.id, communityCode: community }, fengtaiOrg),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(AppError);
    expect(loser.reason.kind).toBe('conflict');
    const held = await programs.listPostings(t.db.kysely, { communityCode: community }, fengtaiOrg);
    expect(held.total).toBe(1);
  });

  it('lets the exclusion constraint decide when both transactions passed the check', async () => {
    // Two transactions insert overlapping postings; the second waits on the first (PostgreSQL) or
    // runs after it (PGlite), and either way the database refuses it.
    const community = fengtai.communities[2]!;
    const row = (cadreId: number) => ({
      program_id: fengtai.program.id,
      batch_id: fengtai.batch1.id,
      community_code: community,
      cadre_id: cadreId,
      role: 'governance_secretary' as const,
      kind: 'new' as const,
      predecessor_posting_id: null,
      start_date: '2022-01-01',
      end_date: null,
      notes: null,
      created_by: 'race',
    });
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = t.db.kysely.transaction().execute(async (trx) => {
      await insertPosting(trx, row(fengtai.jiaLan.id));
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = t.db.kysely.transaction().execute(async (trx) => insertPosting(trx, row(fengtai.tianHuilin.id)));
    setTimeout(release, 300);
    const [one, two] = await Promise.allSettled([first, second]);
    expect(one.status).toBe('fulfilled');
    expect(two).toMatchObject({ status: 'rejected', reason: { code: '23P01' } });
  });

  it('refuses a posting outside its batch’s dates', async () => {
    const cadre = await programs.createCadre(t.db.kysely, { name: '丰台干部乙', unitId: fengtai.units.housing.id }, fengtaiOrg);
    await refused(
      () =>
        programs.createPosting(
          t.db.kysely,
          { batchId: fengtai.batch1.id, cadreId: cadre.id, communityCode: fengtai.communities[3]!, startDate: '2021-11-01' },
          fengtaiOrg,
        ),
      'invalid',
      'startDate',
      /不在第 1 批的期间/,
    );
    await refused(
      () =>
        programs.createPosting(
          t.db.kysely,
          {
            batchId: shijingshan.batch1.id,
            cadreId: shijingshan.liKunming.id,
            communityCode: GAOJINGLU,
            startDate: '2022-06-01',
            endDate: '2023-06-30',
          },
          shijingshanOrg,
        ),
      'invalid',
      'endDate',
    );
  });

  it('refuses a cadre whose unit type the program does not accept', async () => {
    // A cadre of a resident unit; Fengtai's governance secretaries are agency and street cadres.
    // (Another district's cadre is not Fengtai's to name at all: test/security/messages.test.ts.)
    const residentUnit = await createUnit(t.db.kysely, { name: '丰台驻区企业', type: 'resident_unit', districtCode: '110106' }, fengtaiOrg);
    const cadre = await programs.createCadre(t.db.kysely, { name: '丰台驻区干部', unitId: residentUnit.id }, fengtaiOrg);
    const error = await refused(
      () =>
        programs.createPosting(
          t.db.kysely,
          { batchId: fengtai.batch1.id, cadreId: cadre.id, communityCode: fengtai.communities[4]! },
          fengtaiOrg,
        ),
      'invalid',
      'cadreId',
      /驻区单位/,
    );
    expect(error.message).toMatch(/党政机关、街道/);
  });

  it('refuses a community the batch does not cover, or outside the program’s district', async () => {
    const cadre = await programs.createCadre(t.db.kysely, { name: '丰台干部丙', unitId: fengtai.units.housing.id }, fengtaiOrg);
    const uncovered = await t.db.kysely
      .selectFrom('division')
      .select('code')
      .where('code', 'like', '110106%')
      .where('level', '=', 'community')
      .where('code', 'not in', fengtai.communities)
      .executeTakeFirstOrThrow();
    await refused(
      () =>
        programs.createPosting(t.db.kysely, { batchId: fengtai.batch1.id, cadreId: cadre.id, communityCode: uncovered.code }, fengtaiOrg),
      'invalid',
      'communityCode',
    );
    const admin: Viewer = { userId: null, actor: 'city', role: 'admin', scopeCode: '11' };
    await refused(
      () =>
        programs.addBatchCommunities(
          t.db.kysely,
          fengtai.batch1.id,
          { communities: [{ communityCode: uncovered.code }, { communityCode: GAOJINGLU }] },
          admin,
        ),
      'invalid',
      'communities.1.communityCode',
      /不能加入/,
    );
    await refused(
      () => programs.addBatchCommunities(t.db.kysely, fengtai.batch1.id, { communities: [{ communityCode: JINGTIE }] }, admin),
      'conflict',
      'communities.0.communityCode',
    );
    // A community joins within its batch's span, and on the day asked; without one, today.
    const later = await t.db.kysely
      .selectFrom('division')
      .select('code')
      .where('code', 'like', '110106%')
      .where('level', '=', 'community')
      .where('code', 'not in', fengtai.communities)
      .orderBy('code', 'desc')
      .executeTakeFirstOrThrow();
    await refused(
      () =>
        programs.addBatchCommunities(
          t.db.kysely,
          fengtai.batch1.id,
          { communities: [{ communityCode: later.code }], joinedOn: '2021-11-29' },
          admin,
        ),
      'invalid',
      'joinedOn',
    );
    await programs.addBatchCommunities(t.db.kysely, fengtai.batch1.id, { communities: [{ communityCode: later.code }] }, admin);
    const joined = await t.db.kysely
      .selectFrom('batch_community')
      .select('joined_on')
      .where('batch_id', '=', fengtai.batch1.id)
      .where('community_code', '=', later.code)
      .executeTakeFirstOrThrow();
    expect(joined.joined_on).toBe(shanghaiToday());
  });

  it('refuses a succession by the same cadre, or before the predecessor began', async () => {
    await refused(
      () => programs.succeedPosting(t.db.kysely, tianPostingId, { cadreId: fengtai.tianHuilin.id, startDate: '2024-01-01' }, fengtaiOrg),
      'invalid',
      'cadreId',
      /续任/,
    );
    await refused(
      () => programs.succeedPosting(t.db.kysely, tianPostingId, { cadreId: fengtai.jiaLan.id, startDate: '2022-01-01' }, fengtaiOrg),
      'invalid',
      'startDate',
    );
    await refused(
      () =>
        programs.succeedPosting(t.db.kysely, fengtai.jiaPosting.id, { cadreId: fengtai.jiaLan.id, startDate: '2023-03-01' }, fengtaiOrg),
      'invalid',
    );
  });

  describe('duty days', () => {
    const day = { hours: 4, work: '走访居民，协调燃气入户施工', withWhom: '社区书记' };

    it('logs a day and refuses the same day twice', async () => {
      const logged = await programs.logDutyDay(
        t.db.kysely,
        shijingshan.liPosting.id,
        { ...day, date: '2022-06-07', communityCode: GAOJINGLU },
        shijingshanOrg,
      );
      expect(logged).toMatchObject({ date: '2022-06-07', hours: 4, loggedBy: 'sjs-zuzhibu' });
      await refused(
        () => programs.logDutyDay(t.db.kysely, shijingshan.liPosting.id, { ...day, date: '2022-06-07' }, shijingshanOrg),
        'conflict',
        'date',
        /已经登记/,
      );
    });

    it('refuses a day in the future (Beijing time)', async () => {
      const tomorrow = addDays(shanghaiToday(), 2); // two days ahead: no flake at Beijing midnight
      await refused(
        () => programs.logDutyDay(t.db.kysely, tianPostingId, { ...day, date: tomorrow }, fengtaiOrg),
        'invalid',
        'date',
        /还没到/,
      );
    });

    it('refuses a day outside the posting', async () => {
      // 2023-05-02 belongs to 李昆明's renewal in batch 2, not to his batch-1 posting.
      await refused(
        () => programs.logDutyDay(t.db.kysely, shijingshan.liPosting.id, { ...day, date: '2023-05-02' }, shijingshanOrg),
        'invalid',
        'date',
        /不在选派期间/,
      );
      await refused(
        () => programs.logDutyDay(t.db.kysely, shijingshan.liPosting.id, { ...day, date: '2022-04-30' }, shijingshanOrg),
        'invalid',
        'date',
      );
    });

    it('refuses a day in another community', async () => {
      await refused(
        () =>
          programs.logDutyDay(
            t.db.kysely,
            shijingshan.liPosting.id,
            { ...day, date: '2022-06-08', communityCode: '110107009012' },
            shijingshanOrg,
          ),
        'invalid',
        'communityCode',
        /不能登记在社区/,
      );
    });

    it('refuses impossible hours even without the HTTP schema', async () => {
      await refused(
        () => programs.logDutyDay(t.db.kysely, shijingshan.liPosting.id, { ...day, hours: 25, date: '2022-06-09' }, shijingshanOrg),
        'invalid',
        'hours',
      );
      await refused(
        () => programs.logDutyDay(t.db.kysely, shijingshan.liPosting.id, { ...day, hours: 0, date: '2022-06-09' }, shijingshanOrg),
        'invalid',
        'hours',
      );
    });

    it('logs a sheet of days all at once, or none of them when one is wrong, and says which', async () => {
      const count = async () => (await programs.listDutyDays(t.db.kysely, shijingshan.liPosting.id, { limit: 500 }, shijingshanOrg)).total;
      const before = await count();
      const sheet = ['2022-05-16', '2022-05-18', '2022-05-20'].map((date) => ({ ...day, date }));
      const logged = await programs.logDutyDays(t.db.kysely, shijingshan.liPosting.id, sheet, shijingshanOrg);
      expect(logged.map((d) => d.date)).toEqual(['2022-05-16', '2022-05-18', '2022-05-20']);
      expect(await count()).toBe(before + 3);
      // The third day was logged already, the fifth given twice, the second lies in the future: nothing of the sheet lands.
      const stale = [
        { ...day, date: '2022-05-23' },
        { ...day, date: '2022-05-24' },
        { ...day, date: '2022-05-18' },
      ];
      await refused(
        () => programs.logDutyDays(t.db.kysely, shijingshan.liPosting.id, stale, shijingshanOrg),
        'conflict',
        'days.2.date',
        /第 3 天：2022-05-18 已经登记过了/,
      );
      const twice = [
        { ...day, date: '2022-05-25' },
        { ...day, date: '2022-05-25' },
      ];
      await refused(
        () => programs.logDutyDays(t.db.kysely, shijingshan.liPosting.id, twice, shijingshanOrg),
        'conflict',
        'days.1.date',
        /出现了两次/,
      );
      const future = [
        { ...day, date: '2022-05-26' },
        { ...day, date: addDays(shanghaiToday(), 2) },
      ];
      await refused(
        () => programs.logDutyDays(t.db.kysely, shijingshan.liPosting.id, future, shijingshanOrg),
        'invalid',
        'days.1.date',
        /第 2 天/,
      );
      await refused(
        () => programs.logDutyDays(t.db.kysely, shijingshan.liPosting.id, [{ ...day, date: '2022-05-27', hours: 30 }], shijingshanOrg),
        'invalid',
        'hours',
      );
      await refused(() => programs.logDutyDays(t.db.kysely, shijingshan.liPosting.id, [], shijingshanOrg), 'invalid', 'days');
      expect(await count()).toBe(before + 3);
      await refused(() => programs.logDutyDays(t.db.kysely, tianPostingId, [{ ...day, date: '2023-03-01' }], shijingshanOrg), 'forbidden');
    });

    it('keeps a posting from ending before a day already logged', async () => {
      await refused(
        () => programs.endPosting(t.db.kysely, shijingshan.liPosting.id, { endDate: '2022-06-01' }, shijingshanOrg),
        'invalid',
        'endDate',
        /2022-06-07/,
      );
    });
  });

  describe('scope', () => {
    it('keeps Fengtai’s postings out of a Shijingshan user’s sight and reach', async () => {
      const forbidden = (p: () => Promise<unknown>) => refused(p, 'forbidden');
      await forbidden(() => programs.getPosting(t.db.kysely, tianPostingId, shijingshanOrg));
      await forbidden(() => programs.communitySecretaries(t.db.kysely, JINGTIE, shijingshanOrg));
      await forbidden(() => programs.getProgram(t.db.kysely, fengtai.program.id, shijingshanOrg));
      await forbidden(() => programs.endPosting(t.db.kysely, tianPostingId, { endDate: '2024-01-01' }, shijingshanOrg));
      await forbidden(() => programs.logDutyDay(t.db.kysely, tianPostingId, { date: '2023-03-01', hours: 2, work: 'x' }, shijingshanOrg));
      await forbidden(() =>
        programs.succeedPosting(t.db.kysely, tianPostingId, { cadreId: shijingshan.liKunming.id, startDate: '2024-01-01' }, shijingshanOrg),
      );
      await forbidden(() =>
        programs.createPosting(
          t.db.kysely,
          { batchId: fengtai.batch1.id, cadreId: shijingshan.liKunming.id, communityCode: JINGTIE },
          shijingshanOrg,
        ),
      );
      await forbidden(() => programs.createBatch(t.db.kysely, fengtai.program.id, { startDate: '2024-01-01' }, shijingshanOrg));
      await forbidden(() => programs.getCadre(t.db.kysely, fengtai.jiaLan.id, shijingshanOrg));
      await forbidden(() => createUnit(t.db.kysely, { name: '丰台某单位', type: 'other', districtCode: '110106' }, shijingshanOrg));
      const postings = await programs.listPostings(t.db.kysely, {}, shijingshanOrg);
      expect(postings.items.every((p) => p.communityCode.startsWith('110107'))).toBe(true);
      expect(postings.total).toBeGreaterThan(0);
      const list = await programs.listPrograms(t.db.kysely, {}, shijingshanOrg);
      expect(list.items.map((p) => p.name)).toEqual(['石景山区第一书记']);
      const cadres = await programs.listCadres(t.db.kysely, {}, shijingshanOrg);
      expect(cadres.items.map((c) => c.name)).toEqual(['李昆明']);
    });

    it('lets a street user read its district’s program but see only its own communities', async () => {
      const liuliqiao: Viewer = { userId: null, actor: 'llq', role: 'street_office', scopeCode: '110106008' };
      expect((await programs.getProgram(t.db.kysely, fengtai.program.id, liuliqiao)).name).toBe('丰台区治理书记');
      const postings = await programs.listPostings(t.db.kysely, { programId: fengtai.program.id }, liuliqiao);
      expect(postings.items.every((p) => p.communityCode.startsWith('110106008'))).toBe(true);
      expect(postings.items.map((p) => p.cadre.name)).toEqual(['贾岚', '田慧林']);
    });
  });
});
