import { describe, expect, it } from 'vitest';
import * as appeals from '../../src/domains/appeals/service.ts';
import type { AppealInput } from '../../src/domains/appeals/schemas.ts';
import { checkRollups } from '../../src/domains/evaluation/rollup.ts';
import * as evaluation from '../../src/domains/evaluation/service.ts';
import { systemViewer } from '../../src/domains/accounts/viewer.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

const filing = (receivedAt: string): AppealInput => ({
  channel: 'phone',
  kind: 'complaint',
  categoryCode: 'parking.shortage',
  description: '小区停车难',
  communityCode: '110106008028',
  receivedAt,
});

describe.each(backends)('rollups follow the appeals’ lifecycle on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('counts intake in the received month and the callback in its own month, and stays consistent', async () => {
    const db = t.db.kysely;
    // Received 31 January 23:30 Beijing time (15:30 UTC): a January appeal.
    const a = await appeals.createAppeal(db, filing('2023-01-31T15:30:00Z'), systemViewer, { now: new Date('2023-03-31T00:00:00Z') });
    const b = await appeals.createAppeal(db, filing('2023-01-10T02:00:00Z'), systemViewer, { now: new Date('2023-03-31T00:00:00Z') });
    const at = (iso: string) => ({ at: iso });
    const now = new Date('2023-03-31T00:00:00Z');
    for (const [id, solved, satisfaction] of [
      [a.id, true, 'satisfied'],
      [b.id, false, 'basically'],
    ] as const) {
      await appeals.appendEvent(
        db,
        id,
        { type: 'dispatch', expectedVersion: 1, unit: { name: '六里桥街道办事处', type: 'street_office' }, ...at('2023-02-01T01:00:00Z') },
        systemViewer,
        { now },
      );
      await appeals.appendEvent(db, id, { type: 'respond', expectedVersion: 2, ...at('2023-02-01T02:00:00Z') }, systemViewer, { now });
      await appeals.appendEvent(
        db,
        id,
        { type: 'handle', expectedVersion: 3, result: '已协调', ...at('2023-02-03T02:00:00Z') },
        systemViewer,
        { now },
      );
      // 28 February 16:30 UTC is 1 March 00:30 in Beijing: the callback counts in March, not February.
      await appeals.appendEvent(
        db,
        id,
        { type: 'callback', expectedVersion: 4, contacted: true, solved, satisfaction, ...at('2023-02-28T16:30:00Z') },
        systemViewer,
        { now },
      );
    }
    expect(await checkRollups(db)).toEqual([]);

    const january = await evaluation.placeFigures(db, { level: 'community', month: '2023-01', within: '110106008028' }, systemViewer);
    expect(january[0]).toMatchObject({ volume: 2, responseValid: 0 });
    const february = await evaluation.placeFigures(db, { level: 'community', month: '2023-02', within: '110106008028' }, systemViewer);
    expect(february).toEqual([]);
    const march = await evaluation.placeFigures(db, { level: 'community', month: '2023-03', within: '110106008028' }, systemViewer);
    expect(march[0]).toMatchObject({
      volume: 0,
      responseValid: 2,
      contacted: 2,
      solved: 1,
      satisfied: 1,
      basically: 1,
      resolutionRate: 0.5,
    });
    expect(march[0]!.satisfactionRate).toBeCloseTo((1 + 0.9) / 2, 12);
  });
});
