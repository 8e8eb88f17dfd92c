import { Type } from '@sinclair/typebox';
import { invalid } from '../errors.ts';

/**
 * Calendar dates as 'YYYY-MM-DD' strings, the form `date` columns come back in on both backends.
 * Arithmetic runs on UTC midnights, so no time zone or daylight rule can shift a day; only
 * "today" needs a zone, and every district here lives in Asia/Shanghai.
 */
const DAY_MS = 86_400_000;
const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Beijing: a duty day logged at 07:00 Beijing time is still today, not UTC's yesterday. */
export function shanghaiToday(now: Date = new Date()): string {
  return shanghai.format(now);
}

/** This month in Beijing, 'YYYY-MM'. */
export const shanghaiMonth = (now: Date = new Date()): string => shanghaiToday(now).slice(0, 7);

/** This year in Beijing, 'YYYY'. */
export const shanghaiYear = (now: Date = new Date()): string => shanghaiToday(now).slice(0, 4);

/** A date field of a request or an answer, in the form `isDate` accepts. */
export const DateString = (description = '日期 / date') => Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` });

/** `value` when it is a real calendar date; a field error naming `field` when it is not. */
export function requireDate(value: string, field: string): string {
  if (!isDate(value)) throw invalid(`日期“${value}”无效`, `"${value}" is not a date`, [{ field, message: 'YYYY-MM-DD' }]);
  return value;
}

/** True for a real calendar date written YYYY-MM-DD (2023-02-30 is not one). */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

const toUtc = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Adds calendar months; a day past the month's end falls back to its last day (01-31 + 1 = 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}

/** Days from a to b: 0 for the same day, negative when b is earlier. */
export function daysFrom(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** The Monday of the ISO week (Monday-based) holding the date. */
export function mondayOf(date: string): string {
  const isoDow = ((new Date(toUtc(date)).getUTCDay() + 6) % 7) + 1;
  return addDays(date, 1 - isoDow);
}

/** ISO week label such as 2022-W20: the year is the one the week's Thursday falls in. */
export function isoWeekLabel(date: string): string {
  const thursday = addDays(mondayOf(date), 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor(daysFrom(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const minDate = (a: string, b: string) => (a <= b ? a : b);
export const maxDate = (a: string, b: string) => (a >= b ? a : b);
