import { describe, expect, it } from 'vitest';
import { communitySize, generateAppeals, loadCommunities, type GeneratorCommunity } from '../../../src/demo/generator.ts';
import { topCategories } from '../../../src/demo/generator-words.ts';
import { hotlineCells, hotlineColumns } from '../../../src/demo/hotline-file.ts';
import { canonicalHeaders, defaultMapping, locateColumns } from '../../../src/domains/appeals/import/mapping.ts';
import { shortName } from '../../../src/domains/geo/codes.ts';
import fs from 'node:fs';

let beijing: GeneratorCommunity[] | undefined;
const communities = async () => (beijing ??= await loadCommunities('11'));

describe('the synthetic appeal generator', () => {
  it('is deterministic: the same seed gives the same appeals, another seed others', async () => {
    const options = { count: 500, communities: await communities(), from: '2021-01', to: '2021-12' };
    const a = [...generateAppeals({ ...options, seed: 7 })];
    const b = [...generateAppeals({ ...options, seed: 7 })];
    const c = [...generateAppeals({ ...options, seed: 8 })];
    expect(a).toHaveLength(500);
    expect(b).toEqual(a);
    expect(c.map((x) => x.ticketNo + x.community.code)).not.toEqual(a.map((x) => x.ticketNo + x.community.code));
    expect(new Set(a.map((x) => x.ticketNo)).size).toBe(500);
    // Time order, as exports come.
    expect(a.map((x) => x.receivedAt.getTime())).toEqual([...a.map((x) => x.receivedAt.getTime())].sort((x, y) => x - y));
  });

  it('skews volume: most communities small, a few large; winter heating peaks; planted hotspots stand out', async () => {
    const all = await communities();
    const sizes = all.map((c) => communitySize(c.code)).sort((x, y) => y - x);
    const top10 = sizes.slice(0, Math.ceil(sizes.length / 10)).reduce((s, x) => s + x, 0);
    expect(top10 / sizes.reduce((s, x) => s + x, 0)).toBeGreaterThan(0.25);
    expect(sizes[Math.floor(sizes.length / 2)]!).toBeLessThan(sizes.reduce((s, x) => s + x, 0) / sizes.length);

    const fengtai = all.filter((c) => c.code.startsWith('110106'));
    const jingtie = '110106008028';
    const rows = [
      ...generateAppeals({
        count: 20_000,
        communities: fengtai,
        from: '2021-01',
        to: '2021-12',
        seed: 1,
        hotspots: [{ communityCode: jingtie, multiplier: 20, categories: ['parking'] }],
        resolution: (code) => (code === jingtie ? -0.4 : 0),
      }),
    ];
    const month = (r: (typeof rows)[number]) => new Date(r.receivedAt.getTime() + 8 * 3_600_000).getUTCMonth() + 1;
    const heating = (months: number[]) => rows.filter((r) => months.includes(month(r)) && r.categoryCode.startsWith('heating')).length;
    expect(heating([1, 2, 12])).toBeGreaterThan(5 * heating([6, 7, 8]));
    const byCommunity = new Map<string, number>();
    for (const r of rows) byCommunity.set(r.community.code, (byCommunity.get(r.community.code) ?? 0) + 1);
    const plain = [...generateAppeals({ count: 20_000, communities: fengtai, from: '2021-01', to: '2021-12', seed: 1 })];
    const plainCount = plain.filter((r) => r.community.code === jingtie).length;
    expect(byCommunity.get(jingtie)! / Math.max(1, plainCount)).toBeGreaterThan(10);
    const solvedShare = (pick: (code: string) => boolean) => {
      const answered = rows.filter((r) => pick(r.community.code) && r.solved !== null);
      return answered.filter((r) => r.solved).length / answered.length;
    };
    expect(solvedShare((c) => c === jingtie)).toBeLessThan(solvedShare((c) => c !== jingtie) - 0.25);
    const parking = rows.filter((r) => r.community.code === jingtie && r.categoryCode.startsWith('parking')).length;
    expect(parking / byCommunity.get(jingtie)!).toBeGreaterThan(0.4);
  });

  it('uses only categories of the default tree and writes the default mapping’s headers', () => {
    const migration = fs.readFileSync(
      new URL('../../../src/domains/appeals/migrations/0020_appeal_categories.sql', import.meta.url),
      'utf8',
    );
    for (const top of topCategories) for (const [code] of top.leaves) expect(migration).toContain(`('${code}',`);
    const header = hotlineColumns.map((c) => canonicalHeaders[c]);
    expect(Object.keys(locateColumns(header, defaultMapping))).toHaveLength(hotlineColumns.length);
  });

  it('renders an appeal as a hotline row', async () => {
    const [appeal] = [...generateAppeals({ count: 1, communities: (await communities()).slice(0, 50), seed: 3 })];
    const cells = hotlineCells(appeal!);
    expect(cells[0]).toMatch(/^\d{15}$/);
    expect(cells[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // Each cell under its own header, times in Beijing time.
    const beijing = (at: Date | null) => (at ? at.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }) : '');
    const byColumn = Object.fromEntries(hotlineColumns.map((column, i) => [column, cells[i]]));
    expect(byColumn).toEqual({
      ticketNo: appeal!.ticketNo,
      receivedAt: beijing(appeal!.receivedAt),
      channel: expect.any(String),
      kind: appeal!.kindZh,
      category: appeal!.categoryPath.split('/').pop(),
      description: appeal!.description,
      district: appeal!.community.districtName,
      street: appeal!.community.streetName,
      community: shortName(appeal!.community.name),
      address: appeal!.address,
      reporterName: appeal!.reporterName,
      reporterPhone: appeal!.reporterPhone,
      urgency: appeal!.urgency === 'urgent' ? '紧急' : '一般',
      dispatchedUnit: appeal!.dispatchedUnit ?? '',
      dispatchedAt: beijing(appeal!.dispatchedAt),
      respondedAt: beijing(appeal!.respondedAt),
      handledAt: beijing(appeal!.handledAt),
      contacted: appeal!.contacted === null ? '' : appeal!.contacted ? '是' : '否',
      solved: appeal!.solved === null ? '' : appeal!.solved ? '是' : '否',
      satisfaction: { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意', none: '' }[appeal!.satisfaction ?? 'none'],
      callbackAt: beijing(appeal!.callbackAt),
      closedAt: beijing(appeal!.closedAt),
    });
  });
});
