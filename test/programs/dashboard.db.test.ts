import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/domains/accounts/viewer.ts';
import { districtDashboard } from '../../src/domains/programs/dashboard.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { recordDashboardWorld } from './dashboard-world.ts';
import { fengtaiOrg, JINGTIE } from './world.ts';

const leader: Viewer = { userId: null, actor: 'leader', role: 'viewer', scopeCode: '11' };
/** Today, long after the data: the figures must follow the data, not the clock. */
const TODAY = new Date('2026-12-04T04:00:00Z');

describe.each(backends)('the leader’s district dashboard on %s', (backend) => {
  const t = useTestDatabase(backend);
  beforeAll(async () => {
    await recordDashboardWorld(t.db.kysely);
  });

  const dashboard = (input: Parameters<typeof districtDashboard>[1], viewer: Viewer = leader, now = TODAY) =>
    districtDashboard(t.db.kysely, input, viewer, now);

  it('counts on the last day of the latest complete period with appeals, not today', async () => {
    const d = await dashboard({});
    // The city viewer lands on the first district running a program: Fengtai.
    expect(d.district).toEqual({ code: '110106', name: '丰台区' });
    expect(d.districts.find((x) => x.code === '110106')?.programs).toBe(2);
    expect(d.districts.find((x) => x.code === '110107')?.programs).toBe(1);
    expect(d.districts.find((x) => x.code === '110105')?.programs).toBe(0);
    expect(d.asOf).toEqual({
      month: '2023-12',
      date: '2023-12-31',
      periodStart: '2023-12-01',
      periodEnd: '2023-12-31',
      latestComplete: '2023-12',
      inProgress: null,
    });
    // 田慧林 and 孙第一 at 京铁家园 (counted once), 赵二批 in batch 2; 王离任 left on 2023-10-15, 贾岚 on 2023-01-31.
    expect(d.postingsActive).toBe(3);
    expect(d.communitiesCovered).toBe(2);
    expect(d.programs.map((p) => [p.name, p.postingsActive, p.communitiesCovered])).toEqual([
      ['丰台区治理书记', 2, 2],
      ['丰台区社区第一书记', 1, 1],
    ]);
  });

  it('draws the district’s resolution rate from its own appeals, starting where the marks or data do', async () => {
    const d = await dashboard({});
    // The first mark (batch 1, 2021-11) and the first data (2021-10): the trend opens on 2021-10.
    expect(d.trend.from).toBe('2021-10');
    expect(d.trend.to).toBe('2023-12');
    expect(d.trend.maxMonths).toBe(120);
    expect(d.trend.months).toHaveLength(27);
    const at = (m: string) => d.trend.months.find((x) => x.month === m)!;
    expect(at('2021-10')).toMatchObject({ resolutionValid: 2, solved: 1, resolutionRate: 0.5 });
    expect(at('2023-11')).toMatchObject({ resolutionValid: 2, solved: 2, resolutionRate: 1 });
    // Shijingshan's unsolved appeal of the same month is not Fengtai's.
    expect(at('2023-12')).toMatchObject({ volume: 4, resolutionValid: 4, solved: 3, resolutionRate: 0.75 });
    expect(at('2022-06')).toMatchObject({ volume: 0, resolutionRate: null });
  });

  it('marks the batch starts and the succession on the months they fall in', async () => {
    const d = await dashboard({});
    expect(d.marks.map((m) => [m.kind, m.date, m.month, m.programName, m.batchNumber])).toEqual([
      ['batch_start', '2021-11-30', '2021-11', '丰台区治理书记', 1],
      ['batch_start', '2022-01-01', '2022-01', '丰台区社区第一书记', 1],
      ['succession', '2023-02-01', '2023-02', '丰台区治理书记', 1],
      ['batch_start', '2023-06-01', '2023-06', '丰台区治理书记', 2],
    ]);
    expect(d.marks[0]!.communities).toBe(26);
    expect(d.marks[2]).toMatchObject({
      communityCode: JINGTIE,
      communityName: '京铁家园社区',
      cadreName: '田慧林',
      predecessorName: '贾岚',
      communities: null,
    });
    expect(d.successionsLeftOut).toBe(0);
    // Shijingshan's batches (2022-05-01, 2023-05-01) are its own.
    expect(d.marks.some((m) => m.programName.startsWith('石景山'))).toBe(false);
  });

  it('counts any chosen month on its last day: a posting that ended later is still on duty then', async () => {
    const sep = await dashboard({ district: '110106', month: '2023-09' });
    expect(sep.asOf).toMatchObject({ month: '2023-09', date: '2023-09-30', latestComplete: '2023-12' });
    expect([sep.postingsActive, sep.communitiesCovered]).toEqual([4, 3]);
    // The trend ends at the month asked for, and the marks at its last day.
    expect(sep.trend.to).toBe('2023-09');
    expect(sep.marks.map((m) => m.date)).toEqual(['2021-11-30', '2022-01-01', '2023-02-01', '2023-06-01']);
    const jan = await dashboard({ district: '110106', month: '2023-01' });
    // 贾岚's last day: her and 孙第一 at 京铁家园, 王离任 at the second community; no succession yet.
    expect([jan.postingsActive, jan.communitiesCovered]).toEqual([3, 2]);
    expect(jan.marks.map((m) => m.kind)).toEqual(['batch_start', 'batch_start']);
    const before = await dashboard({ district: '110106', month: '2021-10' });
    expect([before.postingsActive, before.communitiesCovered, before.marks.length]).toEqual([0, 0, 0]);
  });

  it('counts a period under way as of today, and opens on the latest complete one', async () => {
    const midDecember = new Date('2023-12-15T04:00:00Z');
    const opened = await dashboard({}, leader, midDecember);
    expect(opened.asOf).toMatchObject({ month: '2023-11', date: '2023-11-30', latestComplete: '2023-11', inProgress: '2023-12' });
    const underWay = await dashboard({ month: '2023-12' }, leader, midDecember);
    expect(underWay.asOf).toMatchObject({ month: '2023-12', date: '2023-12-15', periodEnd: '2023-12-31' });
    const future = await dashboard({ month: '2024-01' }, leader, midDecember).catch((e: unknown) => e);
    expect(future).toMatchObject({ kind: 'invalid', errors: [{ field: 'month' }] });
  });

  it('bounds the trend at 120 months and names the limit', async () => {
    const longest = await dashboard({ month: '2023-12', from: '2014-01' });
    expect(longest.trend.months).toHaveLength(120);
    expect(longest.trend.from).toBe('2014-01');
    const tooLong = await dashboard({ month: '2023-12', from: '2013-12' }).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ kind: 'invalid', errors: [{ field: 'from' }] });
    expect(String((tooLong as Error).message)).toContain('120');
    const backwards = await dashboard({ month: '2023-12', from: '2024-01' }).catch((e: unknown) => e);
    expect(backwards).toMatchObject({ kind: 'invalid', errors: [{ field: 'from' }] });
    const huge = await dashboard({ month: '2023-12', from: '0001-01' }).catch((e: unknown) => e);
    expect(huge).toMatchObject({ kind: 'invalid', errors: [{ field: 'from' }] });
    const farAhead = await dashboard({ month: '9999-12', from: '0001-01' }).catch((e: unknown) => e);
    expect(farAhead).toMatchObject({ kind: 'invalid', errors: [{ field: 'month' }] });
  });

  it('keeps a district user to their own district', async () => {
    const own = await dashboard({}, fengtaiOrg);
    expect(own.district.code).toBe('110106');
    expect(own.districts.map((x) => x.code)).toEqual(['110106']);
    const other = await dashboard({ district: '110107' }, fengtaiOrg).catch((e: unknown) => e);
    expect(other).toMatchObject({ kind: 'forbidden' });
    // Shijingshan for the city viewer: its own program and figures. 李昆明's posting ran to the end
    // of batch 1's twelve-month term (2023-04-30) and was not renewed here: none on duty at 2023-12.
    const sjs = await dashboard({ district: '110107000000' }, leader);
    expect(sjs.district.code).toBe('110107');
    expect([sjs.postingsActive, sjs.communitiesCovered]).toEqual([0, 0]);
    const during = await dashboard({ district: '110107', month: '2022-06' }, leader);
    expect([during.postingsActive, during.communitiesCovered]).toEqual([1, 1]);
    expect(sjs.marks.map((m) => m.date)).toEqual(['2022-05-01', '2023-05-01']);
  });
});
