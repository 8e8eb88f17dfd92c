import ExcelJS from 'exceljs';
import { tableSheet } from '../../shared/xlsx.ts';
import type { AchievementReport, ReportLang } from './report-schemas.ts';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
const signedPercent = (change: number | null) => (change === null ? '—' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}%`);
const signedPoints = (change: number | null) => (change === null ? null : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}`);

/**
 * Every word of the workbook in the report's language. The report's own fields (title, labels,
 * category names, rule) come already written in it; names of places and people stay as recorded.
 */
const words = {
  zh: {
    summary: '成效汇总',
    period: (district: string, from: string, to: string) => `${district} · 统计期间 ${from} 至 ${to}`,
    header: ['指标', '数值', '口径'],
    funds: '争取资金（元）',
    fundsRule: (n: number) => `到位日期在统计期间内、当日由本项目书记牵头的项目资金，共 ${n} 笔`,
    problems: '解决问题（个）',
    problemsRule: '完成的攻坚项目，加上尚未整体完成的项目中已达目标的成果',
    historical: '其中历史遗留问题（个）',
    historicalRule: '标记为历史遗留问题的项目及其成果',
    appeals: '协助解决诉求（件）',
    appealsRule: (linked: number, acted: number) => `关联到项目的诉求 ${linked} 件与书记本人经手的诉求 ${acted} 件，去重计数`,
    households: '受益户数（户）',
    householdsRule: '统计期间内完成的项目',
    projects: '牵头项目（个）',
    projectsRule: '本项目（批次）书记牵头过的全部攻坚项目',
    before: '选派前解决率',
    beforeRule: (m: number) => `各社区首次选派前 ${m} 个月合计`,
    after: '选派后解决率',
    afterRule: (m: number, complete: boolean) => `各社区首次选派后 ${m} 个月合计${complete ? '' : '（部分社区尚未满期）'}`,
    change: '解决率变化',
    changeRule: '后 − 前',
    relative: '解决率相对提升',
    relativeRule: '（后 − 前）/ 前',
    points: (p: string) => `${p} 个百分点`,
    month: (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`,
    byCategory: '按问题类别',
    byCategoryColumns: ['类别', '完成项目', '完成成果', '解决问题', '其中历史遗留'],
    outputs: '成果',
    outputColumns: ['成果', '单位', '条数', '已达标', '目标', '已完成'],
    resolution: '解决率前后对比',
    resolutionColumns: [
      '社区代码',
      '社区',
      '街道',
      '首次选派',
      '选派前期间',
      '选派前解决率',
      '选派后期间',
      '选派后解决率',
      '变化（百分点）',
      '相对变化',
    ],
    projectList: '项目清单',
    projectColumns: ['编号', '社区', '项目', '类别', '历史遗留', '状态', '牵头书记', '进度', '资金（元）', '开工', '完工', '受益户数'],
    yes: '是',
    no: '否',
  },
  en: {
    summary: 'Summary',
    period: (district: string, from: string, to: string) => `${district} · period ${from} to ${to}`,
    header: ['Figure', 'Value', 'How it is counted'],
    funds: 'Funds secured (yuan)',
    fundsRule: (n: number) => `Funds received in the period by projects a secretary of the program led on that day; ${n} entries`,
    problems: 'Problems solved',
    problemsRule: 'Completed projects, plus outputs that reached their target in projects still going on',
    historical: 'of which long-standing problems',
    historicalRule: 'Projects marked as long-standing problems, and their outputs',
    appeals: 'Appeals assisted',
    appealsRule: (linked: number, acted: number) =>
      `${linked} appeals linked to projects and ${acted} handled by a secretary in person, each counted once`,
    households: 'Households benefited',
    householdsRule: 'Projects completed in the period',
    projects: 'Projects led',
    projectsRule: 'Every project a secretary of the program (batch) has led',
    before: 'Resolution rate before',
    beforeRule: (m: number) => `The ${m} months before each community’s first posting, pooled`,
    after: 'Resolution rate after',
    afterRule: (m: number, complete: boolean) =>
      `The ${m} months after each community’s first posting, pooled${complete ? '' : ' (some have not passed yet)'}`,
    change: 'Change in resolution rate',
    changeRule: 'after − before',
    relative: 'Relative change',
    relativeRule: '(after − before) / before',
    points: (p: string) => `${p} points`,
    month: (m: string) => m,
    byCategory: 'By category',
    byCategoryColumns: ['Category', 'Completed projects', 'Completed outputs', 'Problems solved', 'Long-standing'],
    outputs: 'Outputs',
    outputColumns: ['Output', 'Unit', 'Outputs', 'Reached', 'Target', 'Achieved'],
    resolution: 'Before and after',
    resolutionColumns: [
      'Community code',
      'Community',
      'Street',
      'First posting',
      'Before',
      'Rate before',
      'After',
      'Rate after',
      'Change (points)',
      'Relative change',
    ],
    projectList: 'Projects',
    projectColumns: [
      'No.',
      'Community',
      'Project',
      'Category',
      'Long-standing',
      'Status',
      'Lead secretary',
      'Progress',
      'Funds (yuan)',
      'Started',
      'Completed',
      'Households',
    ],
    yes: 'yes',
    no: 'no',
  },
} satisfies Record<ReportLang, unknown>;

const zip = (headers: readonly string[], widths: readonly number[]): Array<[string, number]> => headers.map((h, i) => [h, widths[i] ?? 12]);

/** The achievement report as a workbook in the report's language: summary first, then the details behind each figure. */
export async function achievementWorkbook(report: AchievementReport): Promise<Buffer> {
  const w = words[report.lang];
  const points = (change: number | null) => {
    const p = signedPoints(change);
    return p === null ? '—' : w.points(p);
  };
  const book = new ExcelJS.Workbook();
  book.creator = '必答题 mustanswer';

  const summary = book.addWorksheet(w.summary);
  summary.columns = [{ width: 30 }, { width: 22 }, { width: 60 }];
  const title = summary.addRow([report.title]);
  title.font = { bold: true, size: 16 };
  summary.mergeCells(title.number, 1, title.number, 3);
  summary.addRow([w.period(report.districtName, report.from, report.to)]);
  summary.addRow([]);
  const header = summary.addRow(w.header);
  header.font = { bold: true };
  const t = report.totals;
  const o = report.resolution.overall;
  const m = report.resolution.months;
  summary.addRows([
    [w.funds, t.fundsSecured, w.fundsRule(t.fundEntries)],
    [w.problems, t.problemsSolved, w.problemsRule],
    [w.historical, t.historicalProblemsSolved, w.historicalRule],
    [w.appeals, t.appealsAssisted, w.appealsRule(t.appealsLinked, t.appealsActedOn)],
    [w.households, t.householdsBenefited, w.householdsRule],
    [w.projects, t.projects, w.projectsRule],
    [w.before, percent(o.before.resolutionRate), w.beforeRule(m)],
    [w.after, percent(o.after.resolutionRate), w.afterRule(m, report.resolution.complete)],
    [w.change, points(o.changePoints), w.changeRule],
    [w.relative, signedPercent(o.changePercent), w.relativeRule],
  ]);
  summary.addRow([]);
  summary.addRow([report.resolution.rule]);

  tableSheet(
    book,
    w.byCategory,
    zip(w.byCategoryColumns, [16, 10, 10, 10, 14]),
    report.byCategory.map((c) => [
      report.lang === 'zh' ? c.nameZh : c.nameEn,
      c.completedProjects,
      c.completedOutputs,
      c.problemsSolved,
      c.historicalProblemsSolved,
    ]),
  );
  tableSheet(
    book,
    w.outputs,
    zip(w.outputColumns, [20, 8, 8, 8, 12, 12]),
    report.outputs.map((x) => [x.label, x.unitLabel, x.outputs, x.done, x.target, x.achieved]),
  );
  tableSheet(
    book,
    w.resolution,
    zip(w.resolutionColumns, [16, 20, 16, 12, 22, 14, 22, 14, 18, 12]),
    report.resolution.communities.map((c) => [
      c.communityCode,
      c.communityName,
      c.streetName,
      c.firstPostingStart,
      `${w.month(c.before.from)}—${w.month(c.before.to)}`,
      percent(c.before.resolutionRate),
      `${w.month(c.after.from)}—${w.month(c.after.to)}`,
      percent(c.after.resolutionRate),
      points(c.changePoints),
      signedPercent(c.changePercent),
    ]),
  );
  tableSheet(
    book,
    w.projectList,
    zip(w.projectColumns, [8, 18, 36, 12, 10, 10, 10, 8, 14, 12, 12, 10]),
    report.projects.map((p) => [
      p.id,
      p.communityName,
      p.title,
      p.categoryName,
      p.historical ? w.yes : w.no,
      p.statusLabel,
      p.leadCadreName ?? '',
      p.progress === null ? '' : percent(p.progress),
      p.funds,
      p.actualStartDate ?? '',
      p.actualEndDate ?? '',
      p.householdsBenefited ?? '',
    ]),
  );

  return Buffer.from(await book.xlsx.writeBuffer());
}
