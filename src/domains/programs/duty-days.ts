import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { parseCode } from '../geo/service.ts';
import * as aq from './activity-queries.ts';
import type { Compliance, ComplianceInput, DutyDay, DutyDayInput, DutyDayListInput } from './activity-schemas.ts';
import { complianceRule, postingWeeks } from './compliance.ts';
import { addDays, daysFrom, minDate, mondayOf, requireDate, shanghaiToday } from '../../shared/dates.ts';
import { translateConstraint } from './db-errors.ts';
import { nextCursor } from '../../shared/paging.ts';
import { requireBatch, requirePosting, requireProgram } from './guards.ts';
import type * as q from './queries.ts';

type Db = Kysely<Tables>;

function presentDutyDay(row: aq.DutyDayRow): DutyDay {
  return {
    id: row.id,
    postingId: row.posting_id,
    date: row.duty_date,
    hours: row.hours,
    work: row.work,
    withWhom: row.with_whom,
    loggedBy: row.logged_by,
    loggedAt: row.logged_at.toISOString(),
  };
}

/** A day's own checks, before the posting is read: a date, something done, hours in (0, 24]. */
function checkedDay(input: DutyDayInput, field: (name: string) => string) {
  const date = requireDate(input.date, field('date'));
  const work = input.work.trim();
  if (!work) throw invalid('请写明做了什么', 'Say what was done', [{ field: field('work'), message: 'empty' }]);
  if (!Number.isFinite(input.hours) || input.hours <= 0 || input.hours > 24) {
    throw invalid('时长应大于 0 且不超过 24 小时', 'Hours must be more than 0 and at most 24', [
      { field: field('hours'), message: '0 < hours ≤ 24' },
    ]);
  }
  return { date, work, hours: input.hours, withWhom: input.withWhom?.trim() || null, communityCode: input.communityCode };
}

/**
 * Logs days on site, one or a week's sheet of them, all or none. Refused with the reason (and,
 * for a sheet, which of its days): another community than the posting's, a day after today
 * (Beijing time), a day outside the posting's period, a day already logged or given twice.
 */
export async function logDutyDays(db: Db, postingId: number, inputs: readonly DutyDayInput[], viewer: Viewer): Promise<DutyDay[]> {
  if (inputs.length === 0) throw invalid('没有要登记的日子', 'No days to log', [{ field: 'days', message: 'empty' }]);
  const one = inputs.length === 1;
  const fieldOf = (i: number) => (name: string) => (one ? name : `days.${i}.${name}`);
  const where = (i: number) => (one ? { zh: '', en: '' } : { zh: `第 ${i + 1} 天：`, en: `Day ${i + 1}: ` });
  const days = inputs.map((input, i) => checkedDay(input, fieldOf(i)));
  return db.transaction().execute(async (trx) => {
    // The row lock keeps a concurrent end of the posting from leaving these days outside it.
    const posting = await requirePosting(trx, postingId, viewer, 'log', true);
    const today = shanghaiToday();
    const logged = await aq.loggedDays(
      trx,
      posting.id,
      days.map((day) => day.date),
    );
    const given = new Set<string>();
    for (const [i, day] of days.entries()) {
      const field = fieldOf(i);
      const { zh, en } = where(i);
      if (day.communityCode !== undefined && parseCode(day.communityCode, field('communityCode')) !== posting.community_code) {
        throw invalid(
          `${zh}该选派在社区 ${posting.community_code}，不能登记在社区 ${day.communityCode}`,
          `${en}The posting is in community ${posting.community_code}, not ${day.communityCode}`,
          [{ field: field('communityCode'), message: `应为 / must be ${posting.community_code}` }],
        );
      }
      if (day.date > today) {
        throw invalid(`${zh}${day.date} 还没到（今天是 ${today}），不能预先登记`, `${en}${day.date} is in the future (today is ${today})`, [
          { field: field('date'), message: `≤ ${today}` },
        ]);
      }
      if (day.date < posting.start_date || (posting.end_date !== null && day.date > posting.end_date)) {
        const span = `${posting.start_date} — ${posting.end_date ?? '…'}`;
        throw invalid(`${zh}${day.date} 不在选派期间（${span}）内`, `${en}${day.date} is outside the posting (${span})`, [
          { field: field('date'), message: span },
        ]);
      }
      if (logged.has(day.date)) {
        throw new AppError('conflict', `${zh}${day.date} 已经登记过了`, `${en}${day.date} is already logged`, [
          { field: field('date'), message: 'duplicate' },
        ]);
      }
      if (given.has(day.date)) {
        throw new AppError('conflict', `${zh}${day.date} 在这次登记里出现了两次`, `${en}${day.date} is given twice`, [
          { field: field('date'), message: 'duplicate' },
        ]);
      }
      given.add(day.date);
    }
    const rows = await aq
      .insertDutyDays(
        trx,
        days.map((day) => ({
          posting_id: posting.id,
          duty_date: day.date,
          hours: day.hours,
          work: day.work,
          with_whom: day.withWhom,
          logged_by: viewer.actor,
        })),
      )
      .catch(translateConstraint);
    await auditBy(
      trx,
      viewer,
      'duty_day.log',
      'posting',
      posting.id,
      one ? { date: days[0]!.date, hours: days[0]!.hours } : { days: days.map((d) => ({ date: d.date, hours: d.hours })) },
    );
    return rows.map(presentDutyDay);
  });
}

/** Logs one day on site; refused as logDutyDays refuses. */
export async function logDutyDay(db: Db, postingId: number, input: DutyDayInput, viewer: Viewer): Promise<DutyDay> {
  return (await logDutyDays(db, postingId, [input], viewer))[0]!;
}

export async function listDutyDays(db: Db, postingId: number, input: DutyDayListInput, viewer: Viewer) {
  const posting = await requirePosting(db, postingId, viewer, 'read');
  const limit = input.limit ?? 50;
  const range = { from: input.from ? requireDate(input.from, 'from') : undefined, to: input.to ? requireDate(input.to, 'to') : undefined };
  const after = input.cursor !== undefined ? requireDate(input.cursor, 'cursor') : undefined;
  const [rows, total] = await Promise.all([
    aq.listDutyDays(db, posting.id, { ...range, limit, after }),
    aq.countDutyDays(db, posting.id, range),
  ]);
  return { items: rows.map(presentDutyDay), nextCursor: nextCursor(rows, limit, (r) => r.duty_date), total };
}

/** Three years of weeks is as far as one report reaches; longer spans are asked for in parts. */
const MAX_REPORT_DAYS = 3 * 366;

/**
 * Days logged against the program's weekly minimum, per posting per ISO week, and the weeks each
 * cadre fell short in. See `complianceRule` for partial weeks.
 */
export async function complianceReport(db: Db, programId: number, input: ComplianceInput, viewer: Viewer): Promise<Compliance> {
  const program = await requireProgram(db, programId, viewer, 'read');
  if (input.batchId !== undefined) {
    const { batch } = await requireBatch(db, input.batchId, viewer, 'read');
    if (batch.program_id !== program.id)
      throw invalid('批次不属于该项目', 'The batch belongs to another program', [{ field: 'batchId', message: 'other program' }]);
  }
  const from = requireDate(input.from, 'from');
  const to = requireDate(input.to, 'to');
  if (to < from) throw invalid('截止日期早于起始日期', 'The range ends before it starts', [{ field: 'to', message: `≥ ${from}` }]);
  if (daysFrom(from, to) > MAX_REPORT_DAYS)
    throw invalid('一次最多统计三年', 'At most three years per report', [{ field: 'to', message: '≤ 3 years' }]);
  const today = shanghaiToday();
  const weekFrom = mondayOf(from);
  // Weeks after the program's on-site record ends are not judged: a record that stops (the demo's
  // in June 2023) says nothing about who was on site later, so nobody is listed short for them.
  const recordedUntil = program.last_duty_day;
  const recordEnd = recordedUntil === null ? null : addDays(mondayOf(recordedUntil), 6);
  const weekTo = [addDays(mondayOf(to), 6), addDays(mondayOf(today), -1), ...(recordEnd === null ? [] : [recordEnd])].reduce(minDate);
  const base = {
    programId: program.id,
    batchId: input.batchId ?? null,
    minDutyDaysPerWeek: program.min_duty_days_per_week,
    from: weekFrom,
    to: weekTo,
    recordedUntil,
    rule: complianceRule,
  };
  if (weekTo < weekFrom) return { ...base, postings: [], shortfalls: [] };

  const filter: q.PostingFilter & { from: string; to: string } = {
    scopeCode: viewer.scopeCode,
    today,
    programId: program.id,
    batchId: input.batchId,
    from: weekFrom,
    to: weekTo,
  };
  const postings = await aq.compliancePostings(db, filter);
  const counts = new Map<number, Map<string, number>>();
  for (const row of await aq.dutyDaysPerWeek(
    db,
    postings.map((p) => p.id),
    weekFrom,
    weekTo,
  )) {
    if (!counts.has(row.posting_id)) counts.set(row.posting_id, new Map());
    counts.get(row.posting_id)!.set(row.monday, row.days);
  }
  const report = postings.map((p) => {
    const weeks = postingWeeks(
      { start: p.start_date, end: p.end_date },
      { from: weekFrom, to: weekTo },
      program.min_duty_days_per_week,
      counts.get(p.id) ?? new Map(),
    );
    return {
      postingId: p.id,
      cadreId: p.cadre_id,
      cadreName: p.cadre_name,
      communityCode: p.community_code,
      communityName: p.community_name,
      weeks,
      shortWeeks: weeks.filter((w) => w.short).length,
    };
  });
  const shortfalls = report.flatMap((p) =>
    p.weeks
      .filter((w) => w.short)
      .map((w) => ({
        postingId: p.postingId,
        cadreName: p.cadreName,
        communityName: p.communityName,
        week: w.week,
        monday: w.monday,
        logged: w.logged,
        required: w.required,
      })),
  );
  return { ...base, postings: report, shortfalls };
}
