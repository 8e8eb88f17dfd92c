import { addDays, daysFrom, isoWeekLabel, maxDate, minDate, mondayOf } from '../../shared/dates.ts';
import type { ComplianceWeek } from './activity-schemas.ts';

/**
 * How a week is judged, sent with every report so that nobody has to guess. Weeks are ISO weeks
 * (Monday to Sunday) on Beijing dates. A week the posting covers only in part (it started on a
 * Thursday, or ended on a Tuesday) is pro-rated: floor(minimum × covered days ÷ 7), so a cadre
 * posted on a Thursday owes one day of two, and one posted on a Saturday owes none. The week in
 * progress is left out: it is not over, so nobody has fallen short in it yet.
 */
export const complianceRule =
  '按 ISO 周（周一至周日，北京时间）统计；选派只覆盖部分天数的周按 floor(每周最少天数 × 覆盖天数 ÷ 7) 折算；未过完的周不计 / ' +
  'ISO weeks (Monday–Sunday, Beijing dates); a week the posting covers in part requires floor(weekly minimum × covered days ÷ 7); the week in progress is left out';

/**
 * The weeks of one posting inside [from, to] (a Monday and a Sunday), each with the days it
 * covers, the days required, the days logged (keyed by Monday) and whether it fell short.
 */
export function postingWeeks(
  posting: { start: string; end: string | null },
  range: { from: string; to: string },
  minPerWeek: number,
  logged: ReadonlyMap<string, number>,
): ComplianceWeek[] {
  const first = maxDate(range.from, posting.start);
  const last = posting.end === null ? range.to : minDate(range.to, posting.end);
  const weeks: ComplianceWeek[] = [];
  if (first > last) return weeks;
  for (let monday = mondayOf(first); monday <= last; monday = addDays(monday, 7)) {
    const coveredDays = daysFrom(maxDate(monday, first), minDate(addDays(monday, 6), last)) + 1;
    const required = Math.floor((minPerWeek * coveredDays) / 7);
    const days = logged.get(monday) ?? 0;
    weeks.push({ week: isoWeekLabel(monday), monday, coveredDays, required, logged: days, short: days < required });
  }
  return weeks;
}
