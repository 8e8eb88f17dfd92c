import { sql, type RawBuilder } from 'kysely';
import { addMonths } from './periods.ts';

/**
 * The assessment month an appeal counts in. Periods start on the 1st by default: the calendar
 * month. A district that assesses "from the 21st of last month to the 20th of this one" sets the
 * start day to 21, and a time on or after day 21 (Beijing time) counts in the next month's
 * period. Start days run to 28, which every month has.
 *
 * The same rule is written in SQL (for the rollups) and in JavaScript (for the import's reader,
 * which names the place-months a chunk touches); test/evaluation/assessment.test.ts holds them
 * equal.
 */
export const MAX_START_DAY = 28;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The assessment month, as its label's first day 'YYYY-MM-01', of a Beijing calendar day. */
export function assessmentMonthOfDay(year: number, month: number, day: number, startDay: number): string {
  let y = year;
  let m = month;
  if (startDay > 1 && day >= startDay) {
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

/** The assessment month ('YYYY-MM-01') of a time, in Beijing time (UTC+8, no daylight saving). */
export function assessmentMonthOf(time: Date, startDay: number): string {
  const beijing = new Date(time.getTime() + 8 * HOUR_MS);
  return assessmentMonthOfDay(beijing.getUTCFullYear(), beijing.getUTCMonth() + 1, beijing.getUTCDate(), startDay);
}

/**
 * A memo of assessmentMonthOf by Beijing day: an import names the month of two times per row, and
 * the same few hundred days come back all the time.
 */
export function assessmentMonthMemo(startDay: number): (time: Date) => string {
  const byDay = new Map<number, string>();
  return (time) => {
    const day = Math.floor((time.getTime() + 8 * HOUR_MS) / DAY_MS);
    let month = byDay.get(day);
    if (month === undefined) {
      month = assessmentMonthOf(new Date(day * DAY_MS - 8 * HOUR_MS), startDay);
      byDay.set(day, month);
    }
    return month;
  };
}

/** The same in SQL, for a timestamptz column (or expression), as a date. */
export function assessmentMonthSql(column: string, startDay: number): RawBuilder<unknown> {
  if (!/^[a-z_][a-z0-9_.]*$/.test(column)) throw new Error(`not a column: ${column}`);
  const local = `(${column} AT TIME ZONE 'Asia/Shanghai')`;
  if (startDay <= 1) return sql.raw(`date_trunc('month', ${local})::date`);
  const day = Math.trunc(startDay);
  return sql.raw(
    `(date_trunc('month', ${local}) + CASE WHEN extract(day FROM ${local}) >= ${day} THEN interval '1 month' ELSE interval '0' END)::date`,
  );
}

/** Where the period named `month` ('YYYY-MM') begins and ends (exclusive), as Beijing times. */
export function periodBounds(month: string, startDay: number): { start: string; end: string } {
  const day = String(Math.max(1, Math.trunc(startDay))).padStart(2, '0');
  // Starting on day d > 1, the period named M begins on day d of the month before M.
  const first = startDay > 1 ? addMonths(month, -1) : month;
  const next = addMonths(first, 1);
  return { start: `${first}-${day}T00:00:00+08:00`, end: `${next}-${day}T00:00:00+08:00` };
}
