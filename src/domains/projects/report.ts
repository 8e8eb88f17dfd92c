import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { invalid } from '../../errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { addMonths, currentMonth } from '../evaluation/periods.ts';
import { categoryNames, latestVolumeMonth } from '../evaluation/queries.ts';
import { figuresOf, type Counts, type Figures } from '../evaluation/rates.ts';
import { requireDate, shanghaiToday } from '../../shared/dates.ts';
import { requireBatch, requireProgram } from '../programs/guards.ts';
import { listApprenticeships } from '../programs/activity-queries.ts';
import { listBatches, type BatchRow } from '../programs/queries.ts';
import { difference, figuresAround, relativeChange, sumCounts } from './figures.ts';
import { outputLabel, statusLabels } from './lifecycle.ts';
import { yuan } from './present.ts';
import * as rq from './report-queries.ts';
import type { AchievementReport, CommunityChange, ReportInput, ReportLang } from './report-schemas.ts';
import { aroundDate, monthsElapsed } from './windows.ts';
import { getConfig } from '../evaluation/service.ts';

type Db = Kysely<Tables>;

const PROJECT_LIST_LIMIT = 1000;
/** Communities read in parallel: each is one trend over the rollups. */
const PARALLEL = 8;
export const RESOLUTION_RULE: Record<ReportLang, string> = {
  zh: '各社区以本项目首次选派的开始日为界，比较之前与之后各 N 个整月的解决率（解决 / 参与解决率的有效回访）；开始日所在月份归入天数较多的一侧。批次总体为各社区计数合计后的比率，变化以百分点和相对百分比表示。',
  en: 'Each community is split at the start of the program’s first posting there: the resolution rate (solved / valid callbacks counted for resolution) over the N whole months before is compared with the N months after; the month of the start goes to the side with more of its days. The batch’s overall rate pools the communities’ counts; the change is given in points and as a relative percentage.',
};

/** The report's own title, in its language; the program's name stays as recorded. */
function reportTitle(lang: ReportLang, programName: string, batchNumber: number | null, from: string, to: string): string {
  if (lang === 'en') return `Achievement report: ${programName}${batchNumber !== null ? `, batch ${batchNumber}` : ''} (${from} to ${to})`;
  return `${programName}${batchNumber !== null ? `第${batchNumber}批` : ''}工作成效报告（${from} 至 ${to}）`;
}

const resolutionOf = (f: Figures) => ({ resolutionValid: f.resolutionValid, solved: f.solved, resolutionRate: f.resolutionRate });

/**
 * What a program (or one batch) achieved over a period: funds secured, problems solved by
 * category, historical problems, appeals assisted, households benefited, and each community's
 * resolution rate before and after the program's first posting there, with the overall change.
 * Inside the viewer's scope only: a street sees its own communities' share.
 */
export async function achievementReport(db: Db, programId: number, input: ReportInput, viewer: Viewer): Promise<AchievementReport> {
  const program = await requireProgram(db, programId, viewer, 'read');
  let batch: BatchRow | null = null;
  if (input.batch !== undefined) {
    batch = (await requireBatch(db, input.batch, viewer, 'read')).batch;
    if (batch.program_id !== program.id)
      throw invalid('批次不属于该项目', 'The batch belongs to another program', [{ field: 'batch', message: 'other program' }]);
  }
  const from = input.from !== undefined ? requireDate(input.from, 'from') : (batch?.start_date ?? (await firstBatchStart(db, program.id)));
  const to = input.to !== undefined ? requireDate(input.to, 'to') : await defaultEnd(db, program, batch, from);
  if (to < from) throw invalid('截止日期早于起始日期', 'The period ends before it starts', [{ field: 'to', message: `≥ ${from}` }]);
  const filter: rq.ReportFilter = { programId: program.id, batchId: batch?.id ?? null, scopeCode: viewer.scopeCode, from, to };
  const months = input.months ?? 12;
  const lang = input.lang ?? 'zh';

  const [funds, solved, appeals, outputs, projects, projectCount, names, resolution, apprentices] = await Promise.all([
    rq.fundsSecured(db, filter),
    rq.problemsSolved(db, filter),
    rq.appealsAssisted(db, filter),
    rq.outputTotals(db, filter),
    rq.reportProjects(db, filter, PROJECT_LIST_LIMIT),
    rq.countReportProjects(db, filter),
    categoryNames(db),
    resolutionChange(db, filter, months, lang, viewer),
    listApprenticeships(db, { scopeCode: viewer.scopeCode, programId: program.id, batchId: batch?.id }, { limit: 500 }),
  ]);

  const byCategory = new Map<string, { completedProjects: number; completedOutputs: number; historicalProblemsSolved: number }>();
  for (const row of solved) {
    const entry = byCategory.get(row.category) ?? { completedProjects: 0, completedOutputs: 0, historicalProblemsSolved: 0 };
    if (row.source === 'project') entry.completedProjects += row.solved;
    else entry.completedOutputs += row.solved;
    if (row.historical) entry.historicalProblemsSolved += row.solved;
    byCategory.set(row.category, entry);
  }
  const categories = [...byCategory.entries()]
    .map(([category, e]) => ({
      category,
      nameZh: names.get(category)?.zh ?? category,
      nameEn: names.get(category)?.en ?? category,
      ...e,
      problemsSolved: e.completedProjects + e.completedOutputs,
    }))
    .sort((a, b) => b.problemsSolved - a.problemsSolved || a.category.localeCompare(b.category));

  return {
    lang,
    title: reportTitle(lang, program.name, batch?.number ?? null, from, to),
    programId: program.id,
    programName: program.name,
    districtName: program.district_name,
    batchId: batch?.id ?? null,
    batchNumber: batch?.number ?? null,
    from,
    to,
    totals: {
      projects: projectCount,
      fundsSecured: yuan(funds.total),
      fundEntries: funds.count,
      problemsSolved: categories.reduce((sum, c) => sum + c.problemsSolved, 0),
      historicalProblemsSolved: categories.reduce((sum, c) => sum + c.historicalProblemsSolved, 0),
      appealsAssisted: appeals.total,
      appealsLinked: appeals.linked,
      appealsActedOn: appeals.acted,
      householdsBenefited: solved.filter((r) => r.source === 'project').reduce((sum, r) => sum + r.households, 0),
    },
    byCategory: categories,
    outputs: outputs.map((o) => {
      const label = outputLabel(o.kind, o.unit_label);
      return {
        kind: o.kind,
        label: label[lang],
        unitLabel: lang === 'zh' ? label.unit : label.unitEn,
        outputs: o.outputs,
        done: o.done,
        target: o.target,
        achieved: o.achieved,
      };
    }),
    apprentices: apprentices
      .filter((a) => a.start_date <= to)
      .map((a) => ({
        apprenticeName: a.apprentice_name,
        apprenticePosition: a.apprentice_position,
        secretaryName: a.cadre_name,
        communityName: a.community_name,
        startDate: a.start_date,
        status: a.status,
      })),
    resolution,
    projects: projects.map((p) => ({
      id: p.id,
      communityName: p.community_name,
      title: p.title,
      categoryName: names.get(p.category_code)?.[lang] ?? p.category_name,
      historical: p.historical,
      status: p.status,
      statusLabel: statusLabels[p.status][lang],
      leadCadreName: p.lead_cadre_name,
      progress: p.progress ?? (p.status === 'completed' ? 1 : null),
      funds: yuan(p.funds),
      actualStartDate: p.actual_start_date,
      actualEndDate: p.actual_end_date,
      householdsBenefited: p.households_benefited,
    })),
    projectsTruncated: projectCount > projects.length,
  };
}

/** Without a period the report covers the program from its first batch on. */
/**
 * Where a report without an end runs to: today, or earlier where a term or the data says so — the
 * batch's end (every batch's, for the whole program, once all have ended) and the last day
 * anything was recorded (lastRecordedDay). A batch that ended in 2023 is not reported "to" today.
 */
async function defaultEnd(db: Db, program: { id: number; district_code: string }, batch: BatchRow | null, from: string): Promise<string> {
  const today = shanghaiToday();
  const batches = batch ? [batch] : await listBatches(db, program.id);
  const ends = batches.map((b) => b.end_date);
  const termEnd = ends.length > 0 && ends.every((e): e is string => e !== null) ? ends.reduce((a, b) => (a > b ? a : b)) : today;
  const recorded = await rq.lastRecordedDay(db, program.id, program.district_code, today);
  const dataEnd = recorded !== null && recorded >= from ? recorded : today;
  return [today, termEnd, dataEnd].reduce((a, b) => (a < b ? a : b));
}

async function firstBatchStart(db: Db, programId: number): Promise<string> {
  return (await listBatches(db, programId))[0]?.start_date ?? shanghaiToday();
}

/** Each community before and after the program's first posting there, and the batch as a whole. */
async function resolutionChange(
  db: Db,
  filter: rq.ReportFilter,
  months: number,
  lang: ReportLang,
  viewer: Viewer,
): Promise<AchievementReport['resolution']> {
  const communities = await rq.reportCommunities(db, filter);
  // Windows are measured against the last month with appeals, never today: an after-window that
  // runs past the data is not complete however long ago it began.
  const thisMonth = currentMonth();
  const latest = communities.length > 0 ? await latestVolumeMonth(db, communities[0]!.community_code.slice(0, 6), `${thisMonth}-01`) : null;
  const now = latest === null ? addMonths(thisMonth, -1) : latest < thisMonth ? latest : addMonths(thisMonth, -1);
  const rows: Array<CommunityChange & { counts: { before: Counts; after: Counts } }> = [];
  for (let i = 0; i < communities.length; i += PARALLEL) {
    rows.push(
      ...(await Promise.all(
        communities.slice(i, i + PARALLEL).map(async (c) => {
          const windows = aroundDate(c.first_start, months);
          const { before, after } = await figuresAround(db, c.community_code, windows, viewer);
          return {
            communityCode: c.community_code,
            communityName: c.community_name,
            streetName: c.street_name,
            firstPostingStart: c.first_start,
            before: { ...windows.before, ...resolutionOf(before) },
            after: { ...windows.after, monthsElapsed: monthsElapsed(windows.after, now), ...resolutionOf(after) },
            changePoints: difference(before.resolutionRate, after.resolutionRate),
            changePercent: relativeChange(before.resolutionRate, after.resolutionRate),
            counts: { before, after },
          };
        }),
      )),
    );
  }
  const config = await getConfig(db);
  const before = figuresOf(sumCounts(rows.map((r) => r.counts.before)), config);
  const after = figuresOf(sumCounts(rows.map((r) => r.counts.after)), config);
  return {
    months,
    rule: RESOLUTION_RULE[lang].replace(/\bN\b/g, String(months)),
    communities: rows.map(({ counts: _counts, ...row }) => row),
    overall: {
      before: resolutionOf(before),
      after: resolutionOf(after),
      changePoints: difference(before.resolutionRate, after.resolutionRate),
      changePercent: relativeChange(before.resolutionRate, after.resolutionRate),
    },
    complete: rows.every((r) => r.after.to <= now),
  };
}
