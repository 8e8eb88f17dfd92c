import { describe, expect, it } from 'vitest';
import { overdueAt, rollupDeltas, sameCounted, type CountedAppeal } from '../../src/domains/evaluation/rollup-delta.ts';

const filed: CountedAppeal = {
  // 10 January 2023, 10:00 in Beijing.
  receivedAt: new Date('2023-01-10T02:00:00Z'),
  lastCallbackAt: null,
  districtCode: '110106',
  streetCode: '110106008',
  communityCode: '110106008028',
  categoryCode: 'parking.shortage',
  kind: 'complaint',
  overdue: false,
  contacted: null,
  solved: null,
  satisfaction: null,
};
const calledBack = (at: string, solved: boolean): CountedAppeal => ({
  ...filed,
  lastCallbackAt: new Date(at),
  contacted: true,
  solved,
  satisfaction: solved ? 'satisfied' : 'unsatisfied',
});
const none = { volume: 0, overdue: 0, callbacks: 0, contacted: 0, solved: 0, satisfied: 0, basically: 0, unsatisfied: 0 };

describe('rollupDeltas: what one appeal change moves in the rollups', () => {
  it('counts a new appeal once, in the month received', () => {
    expect(rollupDeltas(null, filed, 1)).toEqual([
      {
        month: '2023-01-01',
        districtCode: '110106',
        streetCode: '110106008',
        communityCode: '110106008028',
        categoryCode: 'parking.shortage',
        kind: 'complaint',
        ...none,
        volume: 1,
      },
    ]);
  });

  it('moves nothing when nothing the rollups count changed', () => {
    expect(rollupDeltas(filed, { ...filed }, 1)).toEqual([]);
    expect(rollupDeltas(calledBack('2023-02-01T00:00:00Z', true), calledBack('2023-02-01T00:00:00Z', true), 1)).toEqual([]);
  });

  it('counts a callback in its own month, and moves it when a later callback lands in another month', () => {
    const first = rollupDeltas(filed, calledBack('2023-01-20T00:00:00Z', false), 1);
    expect(first).toEqual([
      expect.objectContaining({ month: '2023-01-01', volume: 0, callbacks: 1, contacted: 1, solved: 0, unsatisfied: 1 }),
    ]);
    // 28 February 16:30 UTC is 1 March in Beijing: the second callback counts in March.
    const second = rollupDeltas(calledBack('2023-01-20T00:00:00Z', false), calledBack('2023-02-28T16:30:00Z', true), 1);
    expect(second).toEqual([
      expect.objectContaining({ month: '2023-01-01', volume: 0, callbacks: -1, contacted: -1, solved: 0, unsatisfied: -1, satisfied: 0 }),
      expect.objectContaining({ month: '2023-03-01', volume: 0, callbacks: 1, contacted: 1, solved: 1, satisfied: 1, unsatisfied: 0 }),
    ]);
  });

  it('moves everything an appeal counted from the district to the community it is matched to', () => {
    const waiting = { ...calledBack('2023-01-20T00:00:00Z', true), streetCode: null, communityCode: null, overdue: true };
    const matched = { ...waiting, streetCode: '110106008', communityCode: '110106008028' };
    const cells = rollupDeltas(waiting, matched, 1);
    expect(cells.map((c) => [c.streetCode, c.communityCode, c.volume, c.overdue, c.callbacks, c.solved])).toEqual(
      expect.arrayContaining([
        ['', '', -1, -1, -1, -1],
        ['110106008', '110106008028', 1, 1, 1, 1],
      ]),
    );
    expect(cells).toHaveLength(2);
  });

  it('takes the rules’ period start day: from the 21st, a day counts in the next month’s period', () => {
    const late = { ...filed, receivedAt: new Date('2023-01-21T01:00:00Z') };
    expect(rollupDeltas(null, late, 21)[0]!.month).toBe('2023-02-01');
    expect(rollupDeltas(null, late, 1)[0]!.month).toBe('2023-01-01');
  });

  it('turns the overdue flag on and off as the difference says', () => {
    expect(rollupDeltas(filed, { ...filed, overdue: true }, 1)).toEqual([expect.objectContaining({ volume: 0, overdue: 1 })]);
    expect(rollupDeltas({ ...filed, overdue: true }, filed, 1)).toEqual([expect.objectContaining({ volume: 0, overdue: -1 })]);
  });
});

describe('sameCounted: the write path skips the rollups only when nothing they count moved', () => {
  // Each field the rollups read, changed alone: any of them must send the write to the rollups.
  const changes: Array<[string, CountedAppeal]> = [
    ['receivedAt', { ...filed, receivedAt: new Date('2023-01-10T02:00:01Z') }],
    ['lastCallbackAt', { ...filed, lastCallbackAt: new Date('2023-01-20T00:00:00Z') }],
    ['districtCode', { ...filed, districtCode: '110105' }],
    ['streetCode', { ...filed, streetCode: '110106009' }],
    ['communityCode', { ...filed, communityCode: '110106008029' }],
    ['categoryCode', { ...filed, categoryCode: 'heating' }],
    ['kind', { ...filed, kind: 'consultation' }],
    ['overdue', { ...filed, overdue: true }],
    ['contacted', { ...filed, contacted: true }],
    ['solved', { ...filed, solved: false }],
    ['satisfaction', { ...filed, satisfaction: 'satisfied' }],
  ];

  it.each(changes)('sees a change of %s', (_field, changed) => {
    expect(sameCounted(filed, changed)).toBe(false);
    expect(sameCounted(changed, filed)).toBe(false);
  });

  it('sees equal values in other objects as the same, and a new or deleted appeal as a change', () => {
    const copy = { ...calledBack('2023-02-01T00:00:00Z', true) };
    expect(sameCounted(calledBack('2023-02-01T00:00:00Z', true), copy)).toBe(true);
    expect(sameCounted(null, filed)).toBe(false);
    expect(sameCounted(filed, null)).toBe(false);
    expect(sameCounted(null, null)).toBe(true);
  });

  it('never skips a change that moves a cell, under any period start day', () => {
    const pairs: Array<[CountedAppeal | null, CountedAppeal | null]> = [
      [null, filed],
      [filed, null],
      [filed, { ...filed }],
      ...changes.map(([, c]): [CountedAppeal, CountedAppeal] => [filed, c]),
    ];
    for (const startDay of [1, 21, 26]) {
      for (const [before, after] of pairs) {
        if (sameCounted(before, after)) expect(rollupDeltas(before, after, startDay)).toEqual([]);
      }
    }
  });
});

describe('overdueAt', () => {
  const due = {
    responseDueAt: new Date('2023-01-10T04:00:00Z'),
    handlingDueAt: new Date('2023-01-17T02:00:00Z'),
    respondedAt: null,
    handledAt: null,
  };
  it('is false before a deadline and true after it, while the step is owed', () => {
    expect(overdueAt(due, new Date('2023-01-10T03:59:00Z'))).toBe(false);
    expect(overdueAt(due, new Date('2023-01-10T04:01:00Z'))).toBe(true);
  });
  it('judges a step taken by when it was taken, whatever the clock says', () => {
    const onTime = { ...due, respondedAt: new Date('2023-01-10T03:00:00Z'), handledAt: new Date('2023-01-16T00:00:00Z') };
    expect(overdueAt(onTime, new Date('2024-01-01T00:00:00Z'))).toBe(false);
    expect(overdueAt({ ...onTime, handledAt: new Date('2023-01-18T00:00:00Z') }, new Date('2023-01-18T00:00:00Z'))).toBe(true);
  });
  it('is false without deadlines: an appeal not yet dispatched owes nothing', () => {
    expect(
      overdueAt({ responseDueAt: null, handlingDueAt: null, respondedAt: null, handledAt: null }, new Date('2030-01-01T00:00:00Z')),
    ).toBe(false);
  });
});
