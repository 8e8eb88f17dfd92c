import { describe, expect, it } from 'vitest';
import { systemViewer, type Viewer } from '../../src/domains/accounts/viewer.ts';
import * as appeals from '../../src/domains/appeals/service.ts';
import { checkRollups } from '../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/** Issue 17, item 11: a department handler acts only on what was dispatched to its own unit. */
describe.each(backends)('a department handler and the unit an appeal went to, on %s', (backend) => {
  const t = useTestDatabase(backend);
  const handler = (unitName: string): Viewer => ({
    userId: null,
    actor: `handler:${unitName}`,
    role: 'department_handler',
    scopeCode: '110106',
    unitName,
  });

  it('responds to its own unit’s appeal, and is refused (403) on another unit’s, which it is not offered', async () => {
    const db = t.db.kysely;
    const now = new Date('2023-03-01T00:00:00Z');
    const appeal = await appeals.createAppeal(
      db,
      {
        channel: 'phone',
        kind: 'complaint',
        categoryCode: 'noise',
        description: '工地夜间施工',
        communityCode: '110106008028',
        receivedAt: '2023-02-27T02:00:00Z',
      },
      systemViewer,
      { now },
    );
    await appeals.appendEvent(
      db,
      appeal.id,
      { type: 'dispatch', expectedVersion: 1, unit: { name: '丰台区城市管理委员会', type: 'department' }, at: '2023-02-27T03:00:00Z' },
      systemViewer,
      { now },
    );

    const other = handler('丰台区住房和城乡建设委员会');
    expect((await appeals.getAppeal(db, appeal.id, other, { now })).nextSteps).not.toContain('respond');
    await expect(
      appeals.appendEvent(db, appeal.id, { type: 'respond', expectedVersion: 2, at: '2023-02-27T04:00:00Z' }, other, { now }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(
      appeals.appendEvent(db, appeal.id, { type: 'return', reason: '不归我们管', expectedVersion: 2, at: '2023-02-27T04:00:00Z' }, other, {
        now,
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });

    const own = handler('丰台区城市管理委员会');
    expect((await appeals.getAppeal(db, appeal.id, own, { now })).nextSteps).toContain('respond');
    const responded = await appeals.appendEvent(db, appeal.id, { type: 'respond', expectedVersion: 2, at: '2023-02-27T04:00:00Z' }, own, {
      now,
    });
    expect(responded.status).toBe('responded');
    expect(await checkRollups(db)).toEqual([]);
  });
});
