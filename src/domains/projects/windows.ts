import { addMonths } from '../evaluation/periods.ts';

/**
 * Before/after windows in whole calendar months, the unit the rollups count in. The month in
 * which something happens belongs to the side holding most of its days: a posting that starts on
 * 30 November (Fengtai's first batch) is "after" from December; one starting on 1 May is after
 * from May. So windows never share a month and never split one.
 */
export interface MonthWindow {
  from: string;
  to: string;
}

/** The first month that counts as after the date: its own month up to the 15th, else the next. */
export function firstMonthAfter(date: string): string {
  const month = date.slice(0, 7);
  return Number(date.slice(8, 10)) <= 15 ? month : addMonths(month, 1);
}

/** N months before a date and N months from it on: a posting's before/after. */
export function aroundDate(date: string, months: number): { before: MonthWindow; after: MonthWindow } {
  const first = firstMonthAfter(date);
  return {
    before: { from: addMonths(first, -months), to: addMonths(first, -1) },
    after: { from: first, to: addMonths(first, months - 1) },
  };
}

/** N months before work started and N months after it was completed: a project's before/after. */
export function aroundWork(start: string, end: string, months: number): { before: MonthWindow; after: MonthWindow } {
  const started = firstMonthAfter(start);
  const done = firstMonthAfter(end);
  return {
    before: { from: addMonths(started, -months), to: addMonths(started, -1) },
    after: { from: done, to: addMonths(done, months - 1) },
  };
}

/** How many months of a window have begun by the current month: an "after" still running is partial. */
export function monthsElapsed(window: MonthWindow, currentMonth: string): number {
  if (currentMonth < window.from) return 0;
  const last = currentMonth < window.to ? currentMonth : window.to;
  const [fy, fm] = window.from.split('-').map(Number) as [number, number];
  const [ly, lm] = last.split('-').map(Number) as [number, number];
  return (ly - fy) * 12 + (lm - fm) + 1;
}
