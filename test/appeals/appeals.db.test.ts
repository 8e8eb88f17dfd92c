import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import * as appeals from '../../src/domains/appeals/service.ts';
import type { AppealInput, EventInput } from '../../src/domains/appeals/schemas.ts';
import { listAuditFor } from '../../src/domains/accounts/audit.ts';
import { systemViewer, type Viewer } from '../../src/domains/accounts/viewer.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

const JINGTIE = '110106008028'; // 京铁家园社区, 六里桥街道, 丰台区
const WANGYUAN = '110106008002'; // 望园社区, same street
const YOUANMEN = '110106001'; // 右安门街道, Fengtai
const YUQUANLU = '110107001003'; // 玉泉路西社区, 八宝山街道, 石景山区

const fengtaiHotline: Viewer = { userId: 11, actor: 'ft-hotline', role: 'hotline_office', scopeCode: '110106' };
const liuliqiao: Viewer = { userId: 12, actor: 'llq-street', role: 'street_office', scopeCode: '110106008' };
const fengtaiReader: Viewer = { userId: 13, actor: 'ft-reader', role: 'viewer', scopeCode: '110106' };
const admin = systemViewer;

const base: AppealInput = {
  channel: 'phone',
  kind: 'complaint',
  categoryCode: 'parking.shortage',
  description: '小区停车难，晚上车辆乱停',
  communityCode: JINGTIE,
  reporterName: '张三丰',
  reporterPhone: '13812345678',
};

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

const dispatch = (expectedVersion: number, at?: string): EventInput => ({
  type: 'dispatch',
  expectedVersion,
  unit: { name: '六里桥街道办事处', type: 'street_office' },
  ...(at ? { at } : {}),
});

describe.each(backends)('appeals on %s', (backend) => {
  const t = useTestDatabase(backend);
  const db = () => t.db.kysely;
  const file = (input: Partial<AppealInput> = {}, viewer: Viewer = admin) =>
    appeals.createAppeal(db(), { ...base, ...input }, viewer, { personalData: true });
  const step = (id: number, input: EventInput, viewer: Viewer = admin, now?: Date) => appeals.appendEvent(db(), id, input, viewer, { now });

  describe('intake', () => {
    it('files an appeal with a generated MA- ticket, its place filled from the community, and its intake event', async () => {
      const appeal = await file({ receivedAt: '2023-02-01T01:00:00Z' });
      expect(appeal.ticketNo).toMatch(/^MA-\d{4}-\d{6}$/);
      expect(appeal).toMatchObject({
        communityCode: JINGTIE,
        communityName: '京铁家园社区',
        streetCode: '110106008',
        streetName: '六里桥街道',
        districtCode: '110106',
        districtName: '丰台区',
        categoryNameZh: '停车难',
        status: 'received',
        version: 1,
        receivedAt: '2023-02-01T01:00:00.000Z',
        urgency: 'normal',
        historical: false,
        reporterName: '张三丰',
      });
      expect(appeal.events).toEqual([
        expect.objectContaining({ seq: 1, type: 'received', at: '2023-02-01T01:00:00.000Z', actor: 'system' }),
      ]);
      expect(appeal.nextSteps).toEqual(['dispatch', 'close']);
      const audit = await listAuditFor(db(), 'appeal', String(appeal.id));
      expect(audit.map((a) => a.action)).toEqual(['appeal.create']);
      expect(JSON.stringify(audit[0]!.changes)).not.toContain('13812345678');
    });

    it('keeps a hotline ticket number and refuses the same ticket twice', async () => {
      const first = await file({ ticketNo: 'BJ2023020100017' });
      expect(first.ticketNo).toBe('BJ2023020100017');
      const again = await rejection(file({ ticketNo: 'BJ2023020100017' }));
      expect(again.kind).toBe('conflict');
      expect(again.message).toContain('BJ2023020100017');
      const reserved = await rejection(file({ ticketNo: 'MA-2023-000001' }));
      expect(reserved.errors.map((e) => e.field)).toEqual(['ticketNo']);
    });

    it('names every bad field at once and stores nothing', async () => {
      const before = await sql<{ n: number }>`SELECT count(*) AS n FROM appeal`.execute(db());
      const error = await rejection(file({ communityCode: '110106008999', categoryCode: 'no.such' }));
      expect(error.kind).toBe('invalid');
      expect(error.errors.map((e) => e.field).sort()).toEqual(['categoryCode', 'communityCode']);
      expect((await rejection(file({ communityCode: '110106008' }))).errors[0]).toMatchObject({ field: 'communityCode' });
      expect((await rejection(file({ communityCode: undefined }))).errors[0]).toMatchObject({ field: 'communityCode' });
      expect((await rejection(file({ districtCode: '110107' }))).errors[0]).toMatchObject({ field: 'districtCode' });
      expect((await rejection(file({ receivedAt: '2999-01-01T00:00:00Z' }))).errors[0]).toMatchObject({ field: 'receivedAt' });
      expect((await rejection(file({ duplicateOf: 999_999_999 }))).errors[0]).toMatchObject({ field: 'duplicateOf' });
      const after = await sql<{ n: number }>`SELECT count(*) AS n FROM appeal`.execute(db());
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    });

    it('places an appeal by street alone, and accepts padded codes', async () => {
      const byStreet = await file({ communityCode: undefined, streetCode: '110106001000' });
      expect(byStreet).toMatchObject({ communityCode: null, streetCode: YOUANMEN, districtCode: '110106', districtName: '丰台区' });
    });

    it('links a duplicate to its original', async () => {
      const original = await file();
      const repeat = await file({ duplicateOf: original.id });
      expect(repeat.duplicateOf).toBe(original.id);
    });

    it('refuses filing outside the viewer scope, and filing by a role that may not', async () => {
      expect((await rejection(file({ communityCode: YUQUANLU }, fengtaiHotline))).kind).toBe('forbidden');
      expect((await rejection(file({}, fengtaiReader))).kind).toBe('forbidden');
    });
  });

  describe('steps', () => {
    it('computes due times on dispatch from the most specific deadline rule', async () => {
      const at = '2023-01-05T02:00:00.000Z';
      const heating = await file({ categoryCode: 'heating.outage', receivedAt: '2023-01-05T01:00:00Z' });
      expect((await step(heating.id, dispatch(1, at))).handlingDueAt).toBe('2023-01-08T02:00:00.000Z');
      const urgentHeating = await file({ categoryCode: 'heating.outage', urgency: 'urgent', receivedAt: '2023-01-05T01:00:00Z' });
      expect((await step(urgentHeating.id, dispatch(1, at))).handlingDueAt).toBe('2023-01-06T02:00:00.000Z');
      const gas = await file({ categoryCode: 'gas.safety', urgency: 'urgent', receivedAt: '2023-01-05T01:00:00Z' });
      const dispatched = await step(gas.id, dispatch(1, at));
      expect(dispatched).toMatchObject({
        responseDueAt: '2023-01-05T02:30:00.000Z',
        handlingDueAt: '2023-01-05T06:00:00.000Z',
        status: 'dispatched',
        version: 2,
      });
      expect(dispatched.events[1]!.data).toMatchObject({
        unit: { name: '六里桥街道办事处', type: 'street_office' },
        responseDueAt: '2023-01-05T02:30:00.000Z',
      });
      const plain = await file({ receivedAt: '2023-01-05T01:00:00Z' });
      expect((await step(plain.id, dispatch(1, at))).responseDueAt).toBe('2023-01-05T04:00:00.000Z');
    });

    it('answers an illegal step with 409 and the reason, and a stale version with 409', async () => {
      const appeal = await file();
      const illegal = await rejection(step(appeal.id, { type: 'respond', expectedVersion: 1 }));
      expect(illegal.kind).toBe('conflict');
      expect(illegal.zh).toContain('不能响应');
      expect(illegal.en).toContain('cannot respond');
      await step(appeal.id, dispatch(1));
      const stale = await rejection(step(appeal.id, { type: 'respond', expectedVersion: 1 }));
      expect(stale.kind).toBe('conflict');
      expect(stale.en).toMatch(/now version 2, you sent 1/);
      expect((await appeals.getAppeal(db(), appeal.id, admin)).events).toHaveLength(2);
    });

    it('refuses step input that is missing or does not belong, with the field', async () => {
      const appeal = await file();
      expect((await rejection(step(appeal.id, { type: 'dispatch', expectedVersion: 1 }))).errors[0]!.field).toBe('unit');
      expect((await rejection(step(appeal.id, { type: 'close', expectedVersion: 1, result: 'x' }))).errors[0]!.field).toBe('result');
      const callback = await rejection(step(appeal.id, { type: 'callback', expectedVersion: 1, contacted: true }));
      expect(callback.errors.map((e) => e.field)).toEqual(['solved', 'satisfaction']);
    });

    it('lets each role take only its own steps', async () => {
      const appeal = await file();
      expect((await rejection(step(appeal.id, dispatch(1), liuliqiao))).kind).toBe('forbidden');
      await step(appeal.id, dispatch(1), fengtaiHotline);
      const responded = await step(appeal.id, { type: 'respond', expectedVersion: 2 }, liuliqiao);
      expect(responded.events[2]!.actor).toBe('llq-street');
      expect(responded.nextSteps).toEqual(['return', 'handle']);
    });

    it('keeps the stored row equal to the replay of its events, over many paths', async () => {
      const paths: EventInput[][] = [
        [
          dispatch(1),
          { type: 'respond', expectedVersion: 2 },
          { type: 'handle', expectedVersion: 3, result: '协调物业划定临时车位' },
          { type: 'callback', expectedVersion: 4, contacted: true, solved: true, satisfaction: 'satisfied' },
          { type: 'close', expectedVersion: 5 },
        ],
        [
          dispatch(1),
          { type: 'return', expectedVersion: 2, reason: '不属于本街道' },
          { type: 'dispatch', expectedVersion: 3, unit: { name: '区城管委', type: 'department' } },
          { type: 'respond', expectedVersion: 4 },
        ],
        [
          { type: 'close', expectedVersion: 1, note: '咨询已当场答复' },
          { type: 'reopen', expectedVersion: 2, reason: '居民再次来电' },
        ],
        [
          dispatch(1),
          { type: 'respond', expectedVersion: 2 },
          { type: 'handle', expectedVersion: 3, result: '已处理' },
          { type: 'callback', expectedVersion: 4, contacted: false },
          { type: 'callback', expectedVersion: 5, contacted: true, solved: false, satisfaction: 'unsatisfied' },
          { type: 'reopen', expectedVersion: 6, reason: '未解决' },
          { type: 'respond', expectedVersion: 7 },
        ],
        [
          dispatch(1),
          { type: 'respond', expectedVersion: 2 },
          { type: 'handle', expectedVersion: 3, result: '已处理' },
          { type: 'close', expectedVersion: 4 },
          { type: 'reopen', expectedVersion: 5, reason: '重新分派', to: 'received' },
        ],
      ];
      const expectedStatus = ['closed', 'responded', 'received', 'responded', 'received'];
      for (const [i, path] of paths.entries()) {
        const appeal = await file();
        for (const input of path) await step(appeal.id, input);
        const { stored, replayed } = await appeals.replayStored(db(), appeal.id);
        expect(replayed).toEqual({ ok: true, state: stored });
        expect(stored.status).toBe(expectedStatus[i]);
        expect(stored.version).toBe(path.length + 1);
      }
    });

    it('lets exactly one of two concurrent steps with the same expectedVersion win', async () => {
      for (let round = 0; round < 5; round++) {
        const appeal = await file();
        const results = await Promise.allSettled([
          step(appeal.id, dispatch(1)),
          step(appeal.id, { type: 'dispatch', expectedVersion: 1, unit: { name: '区住建委', type: 'department' } }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const lost = results.find((r) => r.status === 'rejected');
        expect(lost?.reason).toMatchObject({ kind: 'conflict' });
        const detail = await appeals.getAppeal(db(), appeal.id, admin);
        expect(detail.version).toBe(2);
        expect(detail.events.map((e) => e.seq)).toEqual([1, 2]);
        expect(detail.dispatchedUnit?.name).toBe((detail.events[1]!.data as { unit: { name: string } }).unit.name);
      }
    });

    it('refuses to rewrite history in the database itself', async () => {
      const appeal = await file();
      await expect(sql`UPDATE appeal_event SET actor = 'x' WHERE appeal_id = ${appeal.id}`.execute(db())).rejects.toThrow(/append-only/);
    });
  });

  describe('lists', () => {
    it('lists overdue appeals as of a given time', async () => {
      const window = { receivedFrom: '2022-01-10', receivedTo: '2022-01-10' };
      const late = await file({ receivedAt: '2022-01-10T01:00:00Z' });
      const answered = await file({ receivedAt: '2022-01-10T01:05:00Z' });
      const waiting = await file({ receivedAt: '2022-01-10T01:10:00Z' });
      for (const a of [late, answered]) await step(a.id, dispatch(1, '2022-01-10T02:00:00Z'));
      await step(answered.id, { type: 'respond', expectedVersion: 2, at: '2022-01-10T03:00:00Z' });
      const now = new Date('2022-01-10T05:00:00Z');
      const overdue = await appeals.listAppeals(db(), { ...window, overdue: true }, admin, { now });
      expect(overdue.items.map((a) => a.id)).toEqual([late.id]);
      expect(overdue.items[0]!.overdue).toBe(true);
      const onTime = await appeals.listAppeals(db(), { ...window, overdue: false }, admin, { now });
      expect(onTime.items.map((a) => a.id)).toEqual([waiting.id, answered.id]);
      // Past the 7-day handling limit, the responded one is overdue too.
      const later = await appeals.listAppeals(db(), { ...window, overdue: true }, admin, { now: new Date('2022-01-18T00:00:00Z') });
      expect(later.items.map((a) => a.id).sort()).toEqual([late.id, answered.id].sort());
    });

    it('pages through a window without duplicates or gaps, ties broken by id', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 23; i++) {
        // Pairs share a received time, so the id alone orders them.
        const minute = String(Math.floor(i / 2)).padStart(2, '0');
        ids.push((await file({ receivedAt: `2021-03-15T08:${minute}:00.000Z` })).id);
      }
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await appeals.listAppeals(db(), { receivedFrom: '2021-03-01', receivedTo: '2021-03-31', limit: 5, cursor }, admin);
        expect(page.total).toBe(23);
        seen.push(...page.items.map((a) => a.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(5);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      const expected = ids
        .map((id, i) => ({ id, minute: Math.floor(i / 2) }))
        .sort((a, b) => b.minute - a.minute || b.id - a.id)
        .map((x) => x.id);
      expect(seen).toEqual(expected);
    });

    it('filters by division at every level, category with its children, kind, status, urgency and dates', async () => {
      const window = { receivedFrom: '2021-06-01T00:00:00+08:00', receivedTo: '2021-06-30' };
      const jingtie = await file({ receivedAt: '2021-06-02T02:00:00Z', categoryCode: 'heating.outage' });
      const wangyuan = await file({ receivedAt: '2021-06-03T02:00:00Z', communityCode: WANGYUAN, kind: 'help', urgency: 'urgent' });
      const youanmen = await file({
        receivedAt: '2021-06-04T02:00:00Z',
        communityCode: undefined,
        streetCode: YOUANMEN,
        categoryCode: 'heating',
      });
      const shijingshan = await file({ receivedAt: '2021-06-30T15:59:00Z', communityCode: YUQUANLU });
      await file({ receivedAt: '2021-06-30T16:00:00Z' }); // 2021-07-01 00:00 in Beijing: outside the window
      await step(wangyuan.id, dispatch(1, '2021-06-03T03:00:00Z'));
      const ids = async (filters: Parameters<typeof appeals.listAppeals>[1]) =>
        (await appeals.listAppeals(db(), { ...window, ...filters }, admin)).items.map((a) => a.id).sort((a, b) => a - b);
      const sorted = (...xs: number[]) => xs.sort((a, b) => a - b);

      expect(await ids({})).toEqual(sorted(jingtie.id, wangyuan.id, youanmen.id, shijingshan.id));
      expect(await ids({ division: '110106' })).toEqual(sorted(jingtie.id, wangyuan.id, youanmen.id));
      expect(await ids({ division: '110106000000' })).toEqual(sorted(jingtie.id, wangyuan.id, youanmen.id));
      expect(await ids({ division: '110106008' })).toEqual(sorted(jingtie.id, wangyuan.id));
      expect(await ids({ division: JINGTIE })).toEqual([jingtie.id]);
      expect(await ids({ division: '11' })).toHaveLength(4);
      expect(await ids({ category: 'heating' })).toEqual(sorted(jingtie.id, youanmen.id));
      expect(await ids({ category: 'heating.outage' })).toEqual([jingtie.id]);
      expect(await ids({ kind: ['help'] })).toEqual([wangyuan.id]);
      expect(await ids({ kind: ['help', 'complaint'] })).toHaveLength(4);
      expect(await ids({ status: ['dispatched'] })).toEqual([wangyuan.id]);
      expect(await ids({ urgency: 'urgent' })).toEqual([wangyuan.id]);
      expect(await ids({ receivedFrom: '2021-06-03', receivedTo: '2021-06-04' })).toEqual(sorted(wangyuan.id, youanmen.id));
      expect(await ids({ receivedFrom: '2021-06-03T02:00:00Z', receivedTo: '2021-06-04T02:00:00Z' })).toEqual(
        sorted(wangyuan.id, youanmen.id),
      );
    });

    it('refuses bad filters naming the field', async () => {
      const bad = async (filters: Parameters<typeof appeals.listAppeals>[1]) =>
        (await rejection(appeals.listAppeals(db(), filters, admin))).errors.map((e) => e.field);
      expect(await bad({ category: 'nope' })).toEqual(['category']);
      expect(await bad({ division: '1234567' })).toEqual(['division']);
      expect(await bad({ cursor: 'garbage' })).toEqual(['cursor']);
      expect(await bad({ receivedFrom: '2021-02-30T99:00:00Z' })).toEqual(['receivedFrom']);
      expect(await bad({ receivedFrom: '2021-06-05', receivedTo: '2021-06-01' })).toEqual(['receivedTo']);
    });
  });

  describe('search', () => {
    it('finds 停车 in 小区停车难 and not in an unrelated appeal; 电梯 as a two-character query', async () => {
      const window = { receivedFrom: '2020-12-01', receivedTo: '2020-12-31' };
      const parking = await file({ receivedAt: '2020-12-02T02:00:00Z', description: '小区停车难' });
      const clutter = await file({
        receivedAt: '2020-12-03T02:00:00Z',
        description: '楼道堆物，消防通道被占',
        categoryCode: 'sanitation.clutter',
      });
      const lift = await file({
        receivedAt: '2020-12-04T02:00:00Z',
        description: '3号楼电梯经常故障，老人出行不便',
        categoryCode: 'elevator.fault',
        address: '京铁家园3号楼',
      });
      const found = async (text: string) => (await appeals.listAppeals(db(), { ...window, q: text }, admin)).items.map((a) => a.id);
      expect(await found('停车')).toEqual([parking.id]);
      expect(await found('电梯')).toEqual([lift.id]);
      expect(await found('堆物')).toEqual([clutter.id]);
      expect(await found('小区 停车')).toEqual([parking.id]);
      expect(await found('京铁家园')).toEqual([lift.id]);
      expect(await found('供暖')).toEqual([]);
      expect(await found(lift.ticketNo)).toEqual([lift.id]);
    });
  });

  describe('scope and personal data', () => {
    it('never shows a Fengtai viewer a Shijingshan appeal, by list, get, search or step', async () => {
      const window = { receivedFrom: '2021-09-01', receivedTo: '2021-09-30' };
      const there = await file({ receivedAt: '2021-09-02T02:00:00Z', communityCode: YUQUANLU, description: '玉泉路西社区停车难' });
      const here = await file({ receivedAt: '2021-09-03T02:00:00Z', description: '京铁家园停车难' });
      const elsewhereInFengtai = await file({
        receivedAt: '2021-09-04T02:00:00Z',
        communityCode: undefined,
        streetCode: YOUANMEN,
        description: '路灯不亮',
      });
      const list = async (viewer: Viewer, filters = {}) =>
        (await appeals.listAppeals(db(), { ...window, ...filters }, viewer)).items.map((a) => a.id);

      expect(await list(fengtaiHotline)).toEqual([elsewhereInFengtai.id, here.id]);
      expect(await list(fengtaiHotline, { division: '110107' })).toEqual([]);
      expect(await list(fengtaiHotline, { q: '停车' })).toEqual([here.id]);
      expect(await list(fengtaiHotline, { q: there.ticketNo })).toEqual([]);
      expect((await appeals.listAppeals(db(), { ...window }, fengtaiHotline)).total).toBe(2);
      expect((await rejection(appeals.getAppeal(db(), there.id, fengtaiHotline))).kind).toBe('not_found');
      expect((await rejection(step(there.id, dispatch(1), fengtaiHotline))).kind).toBe('not_found');
      // A street sees its own street only; an appeal placed only at another street is not its.
      expect(await list(liuliqiao)).toEqual([here.id]);
      expect(await list(admin)).toEqual([elsewhereInFengtai.id, here.id, there.id]);
    });

    it('masks reporters unless the caller may see personal data', async () => {
      const appeal = await file({ receivedAt: '2021-10-02T02:00:00Z' });
      const masked = await appeals.getAppeal(db(), appeal.id, fengtaiReader);
      expect(masked).toMatchObject({ reporterName: '张**', reporterPhone: '138****5678', personalDataMasked: true });
      expect(masked.nextSteps).toEqual([]);
      const listed = await appeals.listAppeals(db(), { receivedFrom: '2021-10-02', receivedTo: '2021-10-02' }, fengtaiReader);
      expect(listed.items[0]).toMatchObject({ reporterName: '张**', reporterPhone: '138****5678' });
      const plain = await appeals.getAppeal(db(), appeal.id, fengtaiHotline, { personalData: true });
      expect(plain).toMatchObject({ reporterName: '张三丰', reporterPhone: '13812345678', personalDataMasked: false });
    });
  });

  it('ships the Beijing-style category tree and deadline defaults', async () => {
    const categories = await appeals.listCategories(db());
    const top = categories.filter((c) => c.parentCode === null).map((c) => c.nameZh);
    expect(top).toEqual([
      '物业管理',
      '停车管理',
      '电梯',
      '供暖',
      '供水',
      '供电',
      '燃气',
      '噪声',
      '环境卫生',
      '房屋住建',
      '交通',
      '市场监管',
      '社会保障',
      '教育',
      '医疗卫生',
      '城市管理',
      '其他',
    ]);
    expect(categories.find((c) => c.code === 'city_management.illegal_construction')).toMatchObject({
      nameZh: '违法建设',
      parentCode: 'city_management',
    });
    await expect(
      sql`INSERT INTO appeal_category (code, parent_code, name_zh, name_en) VALUES ('heating.x', 'parking', 'x', 'x')`.execute(db()),
    ).rejects.toThrow();
  });
});
