import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { invalid, notFound } from '../../errors.ts';
import { inScope, type Viewer } from '../accounts/viewer.ts';
import { assessmentMonthOf, assessmentMonthOfDay, periodBounds } from '../evaluation/assessment.ts';
import { currentRules, periodStartDayOf, rateKinds } from '../evaluation/config.ts';
import { addMonths as addPeriods, firstDay, MAX_MONTHS_PER_REQUEST, monthsBetween, parseMonth } from '../evaluation/periods.ts';
import { countsByMonth } from '../evaluation/queries.ts';
import { emptyCounts, figuresOf } from '../evaluation/rates.ts';
import { latestData } from '../evaluation/service.ts';
import { naturalCode } from '../geo/codes.ts';
import { findDivision } from '../geo/queries.ts';
import type { DashboardMark, DistrictDashboard, DistrictDashboardInput } from './dashboard-schemas.ts';
import { addDays, minDate, shanghaiToday } from '../../shared/dates.ts';
import { outOfScope } from './policy.ts';
import * as q from './queries.ts';

/** Before the first batch the trend reaches back this far, so the change it brought can be read. */
const MONTHS_BEFORE_FIRST_BATCH = 12;
/** The default trend is never shorter than two years. */
const MIN_DEFAULT_MONTHS = 24;

/**
 * A leader's view of one district: the postings on duty and the communities they cover on the
 * last day of an assessment period, and the district's resolution rate month by month with the
 * days its batches began and its secretaries were succeeded marked on it.
 *
 * "As of" follows the data, not the clock: the default period is the latest complete one with
 * appeals (the demo's end in 2023-12, not today), and a period under way is counted as of today.
 */
export async function districtDashboard(
  db: Kysely<Tables>,
  input: DistrictDashboardInput,
  viewer: Viewer,
  now: Date = new Date(),
): Promise<DistrictDashboard> {
  const districts = await q.districtsWithPrograms(db, viewer.scopeCode);
  const code = pickDistrict(input.district, viewer, districts);
  if (!inScope(viewer, code)) throw outOfScope(`区 ${code} `, `District ${code}`);
  const division = await findDivision(db, code);
  if (division?.level !== 'district') throw notFound(`没有区 ${code}`, `No district ${code}`);

  const config = await currentRules(db);
  const startDay = periodStartDayOf(config);
  const current = assessmentMonthOf(now, startDay).slice(0, 7);
  const latest = await latestData(db, { within: code }, viewer, now);
  const month = input.month !== undefined ? parseMonth(input.month) : (latest.month ?? addPeriods(current, -1));
  if (month > current) {
    throw invalid(`考核期 ${month} 尚未开始（当前为 ${current}）`, `The period ${month} has not begun (the current one is ${current})`, [
      { field: 'month', message: `≤ ${current}` },
    ]);
  }
  const today = shanghaiToday(now);
  const bounds = periodBounds(month, startDay);
  const periodStart = bounds.start.slice(0, 10);
  const periodEnd = addDays(bounds.end.slice(0, 10), -1);
  // A period under way is counted as it stands today, not on a last day still to come.
  const date = minDate(periodEnd, today);

  const firstBatch = await q.firstBatchStart(db, code);
  const from = input.from !== undefined ? parseMonth(input.from, 'from') : defaultFrom(month, firstBatch, startDay);
  requireTrendRange(from, month);

  const [coverage, byProgram, rows, starts, successions] = await Promise.all([
    q.coverageOfDistrict(db, code, date),
    q.coverageByProgram(db, code, date),
    countsByMonth(db, { from: firstDay(from), to: firstDay(month), within: code }, rateKinds(config)),
    q.batchStartsBetween(db, code, periodBounds(from, startDay).start.slice(0, 10), date),
    q.successionsBetween(db, code, periodBounds(from, startDay).start.slice(0, 10), date),
  ]);

  const byMonth = new Map(rows.map(({ month: m, ...counts }) => [m, counts]));
  let months = monthsBetween(from, month).map((m) => {
    const figures = figuresOf(byMonth.get(m) ?? emptyCounts(), config);
    return {
      month: m,
      volume: figures.volume,
      resolutionValid: figures.resolutionValid,
      solved: figures.solved,
      resolutionRate: figures.resolutionRate,
    };
  });

  const periodOf = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return assessmentMonthOfDay(y, m, d, startDay).slice(0, 7);
  };
  const marks: DashboardMark[] = [
    ...starts.map(
      (b): DashboardMark => ({
        kind: 'batch_start',
        date: b.start_date,
        month: periodOf(b.start_date),
        programId: b.program_id,
        programName: b.program_name,
        batchNumber: b.number,
        communities: b.communities,
        communityCode: null,
        communityName: null,
        cadreName: null,
        predecessorName: null,
      }),
    ),
    ...successions.rows.map(
      (s): DashboardMark => ({
        kind: 'succession',
        date: s.start_date,
        month: periodOf(s.start_date),
        programId: s.program_id,
        programName: s.program_name,
        batchNumber: s.batch_number,
        communities: null,
        communityCode: s.community_code,
        communityName: s.community_name,
        cadreName: s.cadre_name,
        predecessorName: s.predecessor_name,
      }),
    ),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind === b.kind ? 0 : a.kind === 'batch_start' ? -1 : 1));

  // A trend the reader did not bound starts where the district's appeals or its marks do, not on
  // empty months before them.
  if (input.from === undefined) {
    const firstData = months.findIndex((m) => m.volume > 0 || m.resolutionValid > 0);
    const firstMark = marks[0] ? months.findIndex((m) => m.month === marks[0]!.month) : -1;
    const first = Math.min(...[firstData, firstMark].filter((i) => i >= 0));
    if (Number.isFinite(first) && first > 0) months = months.slice(first);
  }

  return {
    district: { code, name: division.name },
    districts: districts.map((d) => ({ code: d.code, name: d.name, programs: d.programs })),
    asOf: { month, date, periodStart, periodEnd, latestComplete: latest.month, inProgress: latest.inProgress },
    postingsActive: coverage.postings_active,
    communitiesCovered: coverage.communities_covered,
    programs: byProgram.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      postingsActive: p.postings_active,
      communitiesCovered: p.communities_covered,
    })),
    trend: { from: months[0]?.month ?? from, to: month, maxMonths: MAX_MONTHS_PER_REQUEST, months },
    marks,
    successionsLeftOut: successions.total - successions.rows.length,
  };
}

/**
 * The district asked for, else the viewer's own (a user scoped to one district or below), else
 * the first district in scope that runs a program, else the first district in scope.
 */
function pickDistrict(requested: string | undefined, viewer: Viewer, districts: q.DistrictProgramsRow[]): string {
  if (requested !== undefined) {
    const code = naturalCode(requested);
    if (code === undefined || code.length !== 6) {
      throw invalid(`“${requested}”不是区的代码`, `"${requested}" is not a district code`, [
        { field: 'district', message: '6 位区代码，如 110106 / a 6-digit district code such as 110106' },
      ]);
    }
    return code;
  }
  if (viewer.scopeCode.length >= 6) return viewer.scopeCode.slice(0, 6);
  const chosen = districts.find((d) => d.programs > 0) ?? districts[0];
  if (!chosen) throw notFound('您的管辖范围内没有区', 'There is no district in your scope');
  return chosen.code;
}

/** A year before the first batch (two years at least), never more than the trend's limit. */
function defaultFrom(to: string, firstBatch: string | null, startDay: number): string {
  let from = addPeriods(to, -(MIN_DEFAULT_MONTHS - 1));
  if (firstBatch !== null) {
    const [y, m, d] = firstBatch.split('-').map(Number) as [number, number, number];
    const before = addPeriods(assessmentMonthOfDay(y, m, d, startDay).slice(0, 7), -MONTHS_BEFORE_FIRST_BATCH);
    if (before < from) from = before;
  }
  const earliest = addPeriods(to, -(MAX_MONTHS_PER_REQUEST - 1));
  return from < earliest ? earliest : from;
}

/** The trend runs forward and spans at most MAX_MONTHS_PER_REQUEST months; `from` is named when not. */
function requireTrendRange(from: string, to: string): void {
  if (from > to) {
    throw invalid(`趋势起始月份 ${from} 晚于统计月份 ${to}`, `The trend starts (${from}) after the period counted (${to})`, [
      { field: 'from', message: `≤ ${to}` },
    ]);
  }
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  // Counted, not listed: 0001-01 to 9999-12 must not build a list of 120,000 months to refuse.
  if ((ty - fy) * 12 + (tm - fm) + 1 > MAX_MONTHS_PER_REQUEST) {
    throw invalid(`趋势一次最多 ${MAX_MONTHS_PER_REQUEST} 个月`, `The trend spans at most ${MAX_MONTHS_PER_REQUEST} months`, [
      {
        field: 'from',
        message: `不早于 ${addPeriods(to, -(MAX_MONTHS_PER_REQUEST - 1))}，至多 ${MAX_MONTHS_PER_REQUEST} 个月 / at most ${MAX_MONTHS_PER_REQUEST} months, from ${addPeriods(to, -(MAX_MONTHS_PER_REQUEST - 1))}`,
      },
    ]);
  }
}
