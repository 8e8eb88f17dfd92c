import { invalid } from '../../errors.ts';
import { shanghaiMonth } from '../../shared/dates.ts';

/**
 * A period is an assessment month, written 'YYYY-MM'; rollups key it as its first day. It is the
 * calendar month unless the rules start periods on another day (assessment.ts).
 */
export function parseMonth(text: string, field = 'month'): string {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) {
    throw invalid(`月份“${text}”格式不对`, `"${text}" is not a month`, [{ field, message: '应为 YYYY-MM / expected YYYY-MM' }]);
  }
  return text;
}

export const firstDay = (month: string) => `${month}-01`;

export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Ten years of months is as far as one answer reaches (issue 17: 1000-01 to 9999-12 took 304 MB). */
export const MAX_MONTHS_PER_REQUEST = 120;

/** A range of months that starts before it ends and spans at most `max` months; `to` is named when not. */
export function requireMonthRange(from: string, to: string, max = MAX_MONTHS_PER_REQUEST): void {
  if (to < from) throw invalid('截止月份早于起始月份', 'The range ends before it starts', [{ field: 'to', message: `≥ ${from}` }]);
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  if ((ty - fy) * 12 + (tm - fm) + 1 > max) {
    throw invalid(`一次最多查询 ${max} 个月`, `At most ${max} months at a time`, [
      { field: 'to', message: `起止最多 ${max} 个月 / at most ${max} months from “from”` },
    ]);
  }
}

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The current month in Asia/Shanghai. */
export function currentMonth(now = new Date()): string {
  return shanghaiMonth(now);
}
