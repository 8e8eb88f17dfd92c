import ExcelJS from 'exceljs';
import type { AchievementReport } from './report-schemas.ts';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
const signedPercent = (change: number | null) => (change === null ? '—' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)}%`);
const points = (change: number | null) => (change === null ? '—' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)} 个百分点`);
const month = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

function sheet(book: ExcelJS.Workbook, name: string, columns: Array<[header: string, width: number]>, rows: unknown[][]) {
  const ws = book.addWorksheet(name);
  ws.columns = columns.map(([header, width]) => ({ header, width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.addRows(rows);
  return ws;
}

/** The achievement report as a workbook with Chinese headings: summary first, then the details behind each figure. */
export async function achievementWorkbook(report: AchievementReport): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '必答题 mustanswer';

  const summary = book.addWorksheet('成效汇总');
  summary.columns = [{ width: 30 }, { width: 22 }, { width: 60 }];
  const title = summary.addRow([report.title]);
  title.font = { bold: true, size: 16 };
  summary.mergeCells(title.number, 1, title.number, 3);
  summary.addRow([`${report.districtName} · 统计期间 ${report.from} 至 ${report.to}`]);
  summary.addRow([]);
  const header = summary.addRow(['指标', '数值', '口径']);
  header.font = { bold: true };
  const t = report.totals;
  const o = report.resolution.overall;
  summary.addRows([
    ['争取资金（元）', t.fundsSecured, `到位日期在统计期间内、当日由本项目书记牵头的项目资金，共 ${t.fundEntries} 笔`],
    ['解决问题（个）', t.problemsSolved, '完成的攻坚项目，加上尚未整体完成的项目中已达目标的成果'],
    ['其中历史遗留问题（个）', t.historicalProblemsSolved, '标记为历史遗留问题的项目及其成果'],
    ['协助解决诉求（件）', t.appealsAssisted, `关联到项目的诉求 ${t.appealsLinked} 件与书记本人经手的诉求 ${t.appealsActedOn} 件，去重计数`],
    ['受益户数（户）', t.householdsBenefited, '统计期间内完成的项目'],
    ['牵头项目（个）', t.projects, '本项目（批次）书记牵头过的全部攻坚项目'],
    ['选派前解决率', percent(o.before.resolutionRate), `各社区首次选派前 ${report.resolution.months} 个月合计`],
    ['选派后解决率', percent(o.after.resolutionRate), `各社区首次选派后 ${report.resolution.months} 个月合计${report.resolution.complete ? '' : '（部分社区尚未满期）'}`],
    ['解决率变化', points(o.changePoints), '后 − 前'],
    ['解决率相对提升', signedPercent(o.changePercent), '（后 − 前）/ 前'],
  ]);
  summary.addRow([]);
  summary.addRow([report.resolution.rule]);

  sheet(book, '按问题类别', [['类别', 16], ['完成项目', 10], ['完成成果', 10], ['解决问题', 10], ['其中历史遗留', 14]],
    report.byCategory.map((c) => [c.nameZh, c.completedProjects, c.completedOutputs, c.problemsSolved, c.historicalProblemsSolved]));
  sheet(book, '成果', [['成果', 20], ['单位', 8], ['条数', 8], ['已达标', 8], ['目标', 12], ['已完成', 12]],
    report.outputs.map((x) => [x.label, x.unitLabel, x.outputs, x.done, x.target, x.achieved]));
  sheet(book, '解决率前后对比', [['社区代码', 16], ['社区', 20], ['街道', 16], ['首次选派', 12], ['选派前期间', 22], ['选派前解决率', 14],
    ['选派后期间', 22], ['选派后解决率', 14], ['变化（百分点）', 18], ['相对变化', 12]],
  report.resolution.communities.map((c) => [c.communityCode, c.communityName, c.streetName, c.firstPostingStart,
    `${month(c.before.from)}—${month(c.before.to)}`, percent(c.before.resolutionRate),
    `${month(c.after.from)}—${month(c.after.to)}`, percent(c.after.resolutionRate), points(c.changePoints), signedPercent(c.changePercent)]));
  sheet(book, '项目清单', [['编号', 8], ['社区', 18], ['项目', 36], ['类别', 12], ['历史遗留', 10], ['状态', 10], ['牵头书记', 10], ['进度', 8],
    ['资金（元）', 14], ['开工', 12], ['完工', 12], ['受益户数', 10]],
  report.projects.map((p) => [p.id, p.communityName, p.title, p.categoryName, p.historical ? '是' : '否', p.statusLabel, p.leadCadreName ?? '',
    p.progress === null ? '' : percent(p.progress), p.funds, p.actualStartDate ?? '', p.actualEndDate ?? '', p.householdsBenefited ?? '']));

  return Buffer.from(await book.xlsx.writeBuffer());
}
