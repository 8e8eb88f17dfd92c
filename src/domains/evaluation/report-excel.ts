import ExcelJS from 'exceljs';
import type { Figures } from './rates.ts';
import type { Report, ReportLine } from './reports.ts';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
const points = (change: number | null) => (change === null ? '—' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(2)} 个百分点`);
const score = (value: number | null) => (value === null ? '—' : value.toFixed(2));

function periodText(report: Report): string {
  if (report.kind === 'daily') {
    const [y, m, d] = report.period.split('-');
    return `${y}年${Number(m)}月${Number(d)}日`;
  }
  const [y, m] = report.period.split('-');
  return `${y}年${Number(m)}月`;
}

export function reportTitle(report: Report): string {
  return `${report.place.name}${periodText(report)}接诉即办${report.kind === 'daily' ? '日报' : '月报'}`;
}

const childLevelName = { district: '区', street: '街道（乡镇）', community: '社区（村）' } as const;

function lineRow(line: ReportLine, rank: number) {
  const f: Figures = line.figures;
  return [rank, line.nameZh, f.volume, percent(f.responseRate), percent(f.resolutionRate), percent(f.satisfactionRate), score(f.score)];
}

/** The report as an Excel workbook with Chinese headings, as district offices circulate it. */
export async function reportWorkbook(report: Report): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'mustanswer 必答题';
  const sheet = book.addWorksheet(report.kind === 'daily' ? '日报' : '月报');
  sheet.columns = [{ width: 8 }, { width: 26 }, { width: 12 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 12 }];

  const title = sheet.addRow([reportTitle(report)]);
  title.font = { bold: true, size: 16 };
  sheet.mergeCells(title.number, 1, title.number, 7);
  sheet.addRow([`统计口径：诉求量按受理时间，三率按最近一次有效回访时间；满意率 =（满意 + ${report.basicallySatisfiedFactor} × 基本满意）/ 有效回访。上期：${report.previousPeriod}`]);
  sheet.addRow([]);

  const heading = (text: string) => {
    const row = sheet.addRow([text]);
    row.font = { bold: true, size: 13 };
  };
  const header = (cells: string[]) => {
    const row = sheet.addRow(cells);
    row.font = { bold: true };
    row.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F0FF' } };
    });
  };

  heading('一、总体情况');
  header(['', '指标', '本期', '上期', '变化']);
  const c = report.current;
  const p = report.previous;
  sheet.addRow(['', '诉求量（件）', c.volume, p.volume, `${report.change.volume >= 0 ? '+' : ''}${report.change.volume}`]);
  sheet.addRow(['', '响应率', percent(c.responseRate), percent(p.responseRate), points(report.change.responseRate)]);
  sheet.addRow(['', '解决率', percent(c.resolutionRate), percent(p.resolutionRate), points(report.change.resolutionRate)]);
  sheet.addRow(['', '满意率', percent(c.satisfactionRate), percent(p.satisfactionRate), points(report.change.satisfactionRate)]);
  sheet.addRow(['', '综合得分', score(c.score), score(p.score), report.change.score === null ? '—' : report.change.score.toFixed(2)]);
  sheet.addRow(['', '超期（件）', c.overdue, p.overdue, '']);
  sheet.addRow([]);

  heading('二、诉求量前五的类别');
  header(['序号', '类别', '诉求量', '响应率', '解决率', '满意率', '综合得分']);
  report.topCategories.forEach((line, i) => sheet.addRow(lineRow(line, i + 1)));
  sheet.addRow([]);

  const level = childLevelName[report.childLevel];
  heading(`三、综合得分前三的${level}`);
  header(['名次', level, '诉求量', '响应率', '解决率', '满意率', '综合得分']);
  report.best.forEach((line, i) => sheet.addRow(lineRow(line, i + 1)));
  sheet.addRow([]);
  heading(`四、综合得分后三的${level}`);
  header(['倒数', level, '诉求量', '响应率', '解决率', '满意率', '综合得分']);
  report.worst.forEach((line, i) => sheet.addRow(lineRow(line, i + 1)));
  if (report.skipped > 0) sheet.addRow([`另有 ${report.skipped} 个${level}有效回访不足 ${report.minValidCallbacks} 件，未参与排名。`]);

  return Buffer.from(await book.xlsx.writeBuffer());
}
