import { assessmentMonthOf } from './assessment.ts';

/**
 * What the monthly rollups read of one appeal. A live write knows it before and after the
 * change; the difference is what the rollups must move by. Counting by difference keeps a write's
 * cost independent of how many appeals are stored: it touches only the rollup rows of the
 * appeal's own place-months, never the appeals around it.
 */
export interface CountedAppeal {
  receivedAt: Date;
  lastCallbackAt: Date | null;
  districtCode: string;
  streetCode: string | null;
  communityCode: string | null;
  categoryCode: string;
  kind: string;
  /** appeal.overdue_counted: overdue as the rollups count it (see overdueAt). */
  overdue: boolean;
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: string | null;
}

/** One appeal's change as the rollups see it: null before, a new appeal; null after, a removed one. */
export interface CountedChange {
  before: CountedAppeal | null;
  after: CountedAppeal | null;
}

/** The rollup's figures; a delta's may be negative. */
export const figureNames = ['volume', 'overdue', 'callbacks', 'contacted', 'solved', 'satisfied', 'basically', 'unsatisfied'] as const;
export type Figures = Record<(typeof figureNames)[number], number>;

/** One appeal_month_rollup row's key: month 'YYYY-MM-01', '' for a street or community not yet known. */
export interface CellKey {
  month: string;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  categoryCode: string;
  kind: string;
}

export type CellDelta = CellKey & Figures;

const zero = (): Figures => ({ volume: 0, overdue: 0, callbacks: 0, contacted: 0, solved: 0, satisfied: 0, basically: 0, unsatisfied: 0 });

/**
 * Overdue as the rollups count it, at `now`: past a response or handling deadline, late or still
 * owing. It only ever turns true as the clock moves, so a write stores it with the appeal
 * (overdue_counted) and a sweep turns it on for deadlines that pass between writes: the rollups
 * then hold exactly the sum of the stored flags, and a write can subtract what it added.
 */
export function overdueAt(
  times: { responseDueAt: Date | null; handlingDueAt: Date | null; respondedAt: Date | null; handledAt: Date | null },
  now: Date,
): boolean {
  const late = (done: Date | null, due: Date | null) => due !== null && (done ?? now).getTime() > due.getTime();
  return late(times.respondedAt, times.responseDueAt) || late(times.handledAt, times.handlingDueAt);
}

const keyOf = (k: CellKey) => [k.month, k.districtCode, k.streetCode, k.communityCode, k.categoryCode, k.kind].join('|');

/** The rollup cells one appeal counts in, with what it adds to each. */
function contributions(appeal: CountedAppeal, startDay: number): CellDelta[] {
  const place = {
    districtCode: appeal.districtCode,
    streetCode: appeal.streetCode ?? '',
    communityCode: appeal.communityCode ?? '',
    categoryCode: appeal.categoryCode,
    kind: appeal.kind,
  };
  // Volume and overdue count in the month received; the callback figures in the latest callback's.
  const cells: CellDelta[] = [
    { ...place, month: assessmentMonthOf(appeal.receivedAt, startDay), ...zero(), volume: 1, overdue: appeal.overdue ? 1 : 0 },
  ];
  if (appeal.lastCallbackAt) {
    cells.push({
      ...place,
      month: assessmentMonthOf(appeal.lastCallbackAt, startDay),
      ...zero(),
      callbacks: 1,
      contacted: appeal.contacted ? 1 : 0,
      solved: appeal.solved ? 1 : 0,
      satisfied: appeal.satisfaction === 'satisfied' ? 1 : 0,
      basically: appeal.satisfaction === 'basically' ? 1 : 0,
      unsatisfied: appeal.satisfaction === 'unsatisfied' ? 1 : 0,
    });
  }
  return cells;
}

/**
 * What the category rollup moves by when an appeal goes from `before` to `after` (null: did not
 * exist), cell by cell, without the cells that do not move. (The order rows are locked in is the
 * database's: the upsert sorts them by key, the same for every writer.)
 */
export function rollupDeltas(before: CountedAppeal | null, after: CountedAppeal | null, startDay: number): CellDelta[] {
  return rollupDeltasOf([{ before, after }], startDay);
}

/** What the category rollup moves by for several appeals' changes at once, summed cell by cell. */
export function rollupDeltasOf(changes: ReadonlyArray<CountedChange>, startDay: number): CellDelta[] {
  const byKey = new Map<string, CellDelta>();
  const add = (cells: CellDelta[], sign: 1 | -1) => {
    for (const cell of cells) {
      const key = keyOf(cell);
      const sum = byKey.get(key) ?? { ...cell, ...zero() };
      for (const f of figureNames) sum[f] += sign * cell[f];
      byKey.set(key, sum);
    }
  };
  for (const { before, after } of changes) {
    if (before) add(contributions(before, startDay), -1);
    if (after) add(contributions(after, startDay), 1);
  }
  return [...byKey.values()].filter((cell) => figureNames.some((f) => cell[f] !== 0));
}

const sameTime = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

/** True when the rollups count `before` and `after` alike under any rules: nothing to move. */
export function sameCounted(before: CountedAppeal | null, after: CountedAppeal | null): boolean {
  if (before === null || after === null) return before === after;
  return (
    sameTime(before.receivedAt, after.receivedAt) &&
    sameTime(before.lastCallbackAt, after.lastCallbackAt) &&
    before.districtCode === after.districtCode &&
    before.streetCode === after.streetCode &&
    before.communityCode === after.communityCode &&
    before.categoryCode === after.categoryCode &&
    before.kind === after.kind &&
    before.overdue === after.overdue &&
    before.contacted === after.contacted &&
    before.solved === after.solved &&
    before.satisfaction === after.satisfaction
  );
}
