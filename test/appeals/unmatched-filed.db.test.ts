import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/domains/accounts/viewer.ts';
import * as appeals from '../../src/domains/appeals/service.ts';
import { listUnmatched, matchUnmatched } from '../../src/domains/appeals/import/service.ts';
import { checkRollups } from '../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/** An appeal filed by hand (or by an Open311 client) naming no community waits in the unmatched queue, as an imported row does. */
describe.each(backends)('appeals filed without a community, on %s', (backend) => {
  const t = useTestDatabase(backend);
  const fengtai: Viewer = { userId: null, actor: 'ft-jiesu', role: 'hotline_office', scopeCode: '110106' };
  const haidian: Viewer = { userId: null, actor: 'hd-jiesu', role: 'hotline_office', scopeCode: '110108' };

  it('queue for a manual match inside their district, and leave it matched with the rollups moved', async () => {
    const db = t.db.kysely;
    const now = new Date('2023-03-01T00:00:00Z');
    const base = {
      channel: 'web',
      kind: 'complaint',
      categoryCode: 'noise',
      description: '楼下商户噪音扰民',
      receivedAt: '2023-02-20T02:00:00Z',
    } as const;
    const placed = await appeals.createAppeal(db, { ...base, communityCode: '110106008028' }, fengtai, { now });
    const street = await appeals.createAppeal(db, { ...base, streetCode: '110106008' }, fengtai, { now });
    const district = await appeals.createAppeal(db, { ...base, districtCode: '110106' }, fengtai, { now });

    const queue = await listUnmatched(db, {}, fengtai);
    const queued = queue.items.filter((item) => [placed.id, street.id, district.id].includes(item.appealId));
    expect(queued.map((item) => item.appealId).sort()).toEqual([street.id, district.id].sort());
    expect(queued.every((item) => item.importId === null)).toBe(true);
    // Another district's office does not see them.
    expect((await listUnmatched(db, {}, haidian)).items.some((item) => item.appealId === street.id)).toBe(false);

    const item = queued.find((q) => q.appealId === street.id)!;
    await matchUnmatched(db, item.id, '110106008028', fengtai);
    expect((await appeals.getAppeal(db, street.id, fengtai, { now })).communityCode).toBe('110106008028');
    expect((await listUnmatched(db, {}, fengtai)).items.some((q) => q.appealId === street.id)).toBe(false);
    expect(await checkRollups(db)).toEqual([]);
  });

  it('writes a caller’s own rows about the new appeal in its transaction: if they fail, no appeal is left', async () => {
    const db = t.db.kysely;
    const input = {
      channel: 'open311',
      kind: 'complaint',
      categoryCode: 'water',
      description: '没水了',
      communityCode: '110106008028',
      ticketNo: 'ALONGSIDE-1',
    } as const;
    await expect(
      appeals.createAppeal(db, input, fengtai, {
        alongside: async () => {
          throw new Error('the request row could not be written');
        },
      }),
    ).rejects.toThrow('could not be written');
    expect((await appeals.listAppeals(db, { q: 'ALONGSIDE-1' }, fengtai)).items).toHaveLength(0);
    let seen = 0;
    const created = await appeals.createAppeal(db, input, fengtai, {
      alongside: async (_trx, id) => {
        seen = id;
      },
    });
    expect(seen).toBe(created.id);
    expect(await checkRollups(db)).toEqual([]);
  });
});
