import ExcelJS from 'exceljs';
import type { Figures } from './rates.ts';
import type { Report, ReportLine } from './reports.ts';

/** The language a workbook is written in; names of places stay as recorded, categories in their own two names. */
export type ReportLang = 'zh' | 'en';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(2)}%`);
const score = (value: number | null) => (value === null ? '—' : value.toFixed(2));
const signed = (n: number, digits = 0) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Every word of the workbook in each language. */
const words = {
  zh: {
    period: (report: Report) => {
      const [y, m, d] = report.period.split('-');
      return report.kind === 'daily' ? `${y}年${Number(m)}月${Number(d)}日` : `${y}年${Number(m)}月`;
    },
    title: (report: Report, period: string) => `${report.place.name}${period}接诉即办${report.kind === 'daily' ? '日报' : '月报'}`,
    sheet: (report: Report) => (report.kind === 'daily' ? '日报' : '月报'),
    rule: (report: Report) =>
      `统计口径：诉求量按受理时间，三率按最近一次有效回访时间；满意率 =（满意 + ${report.basicallySatisfiedFactor} × 基本满意）/ 有效回访。${
        report.kind === 'monthly' && report.periodStartDay > 1
          ? `考核周期：上月 ${report.periodStartDay} 日至本月 ${report.periodStartDay - 1} 日。`
          : ''
      }上期：${report.previousPeriod}`,
    points: (change: number | null) => (change === null ? '—' : `${signed(change * 100, 2)} 个百分点`),
    overall: '一、总体情况',
    figure: '指标',
    now: '本期',
    before: '上期',
    change: '变化',
    volume: '诉求量（件）',
    responseRate: '响应率',
    resolutionRate: '解决率',
    satisfactionRate: '满意率',
    score: '综合得分',
    overdue: '超期（件）',
    topCategories: '二、诉求量前五的类别',
    rank: '序号',
    category: '类别',
    volumeShort: '诉求量',
    level: { district: '区', street: '街道（乡镇）', community: '社区（村）' },
    best: (level: string) => `三、综合得分前三的${level}`,
    worst: (level: string) => `四、综合得分后三的${level}`,
    place: '名次',
    fromBottom: '倒数',
    skipped: (n: number, level: string, min: number) => `另有 ${n} 个${level}有效回访不足 ${min} 件，未参与排名。`,
    categoryName: (line: ReportLine) => line.nameZh,
  },
  en: {
    period: (report: Report) => {
      const [y, m, d] = report.period.split('-');
      return report.kind === 'daily' ? `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}` : `${MONTHS[Number(m) - 1]} ${y}`;
    },
    title: (report: Report, period: string) =>
      `${report.place.name}: 12345 hotline ${report.kind === 'daily' ? 'daily' : 'monthly'} report, ${period}`,
    sheet: (report: Report) => (report.kind === 'daily' ? 'Daily report' : 'Monthly report'),
    rule: (report: Report) =>
      `Volume by the time received; the three rates by the latest valid callback; satisfaction rate = (satisfied + ${report.basicallySatisfiedFactor} × basically satisfied) / valid callbacks. ${
        report.kind === 'monthly' && report.periodStartDay > 1
          ? `Each month runs from day ${report.periodStartDay} of the month before to day ${report.periodStartDay - 1}. `
          : ''
      }Previous period: ${report.previousPeriod}`,
    points: (change: number | null) => (change === null ? '—' : `${signed(change * 100, 2)} points`),
    overall: '1. Overview',
    figure: 'Figure',
    now: 'This period',
    before: 'Previous',
    change: 'Change',
    volume: 'Appeals',
    responseRate: 'Response rate',
    resolutionRate: 'Resolution rate',
    satisfactionRate: 'Satisfaction rate',
    score: 'Score',
    overdue: 'Overdue',
    topCategories: '2. The five categories with most appeals',
    rank: 'No.',
    category: 'Category',
    volumeShort: 'Appeals',
    level: { district: 'district', street: 'street (town)', community: 'community (village)' },
    best: (level: string) => `3. The three best-scoring by ${level}`,
    worst: (level: string) => `4. The three lowest-scoring by ${level}`,
    place: 'Rank',
    fromBottom: 'From bottom',
    skipped: (n: number, level: string, min: number) => `${n} more (${level}) had fewer than ${min} valid callbacks and are not ranked.`,
    categoryName: (line: ReportLine) => line.nameEn,
  },
} as const;

export function reportTitle(report: Report, lang: ReportLang = 'zh'): string {
  const w = words[lang];
  return w.title(report, w.period(report));
}

/** The report as an Excel workbook, in Chinese as district offices circulate it, or in English. */
export async function reportWorkbook(report: Report, lang: ReportLang = 'zh'): Promise<Buffer> {
  const w = words[lang];
  const book = new ExcelJS.Workbook();
  book.creator = 'mustanswer 必答题';
  const sheet = book.addWorksheet(w.sheet(report));
  sheet.columns = [{ width: 8 }, { width: 26 }, { width: 12 }, { width: 14 }, { width: 14 }, { width: 14 }, { width: 12 }];

  const title = sheet.addRow([reportTitle(report, lang)]);
  title.font = { bold: true, size: 16 };
  sheet.mergeCells(title.number, 1, title.number, 7);
  sheet.addRow([w.rule(report)]);
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
  const lineRow = (line: ReportLine, rank: number, name: string) => {
    const f: Figures = line.figures;
    return [rank, name, f.volume, percent(f.responseRate), percent(f.resolutionRate), percent(f.satisfactionRate), score(f.score)];
  };
  const figureHeader = (first: string, second: string) =>
    header([first, second, w.volumeShort, w.responseRate, w.resolutionRate, w.satisfactionRate, w.score]);

  heading(w.overall);
  header(['', w.figure, w.now, w.before, w.change]);
  const c = report.current;
  const p = report.previous;
  sheet.addRow(['', w.volume, c.volume, p.volume, signed(report.change.volume)]);
  sheet.addRow(['', w.responseRate, percent(c.responseRate), percent(p.responseRate), w.points(report.change.responseRate)]);
  sheet.addRow(['', w.resolutionRate, percent(c.resolutionRate), percent(p.resolutionRate), w.points(report.change.resolutionRate)]);
  sheet.addRow([
    '',
    w.satisfactionRate,
    percent(c.satisfactionRate),
    percent(p.satisfactionRate),
    w.points(report.change.satisfactionRate),
  ]);
  sheet.addRow(['', w.score, score(c.score), score(p.score), report.change.score === null ? '—' : report.change.score.toFixed(2)]);
  sheet.addRow(['', w.overdue, c.overdue, p.overdue, '']);
  sheet.addRow([]);

  heading(w.topCategories);
  figureHeader(w.rank, w.category);
  report.topCategories.forEach((line, i) => {
    sheet.addRow(lineRow(line, i + 1, w.categoryName(line)));
  });
  sheet.addRow([]);

  const level = w.level[report.childLevel];
  heading(w.best(level));
  figureHeader(w.place, level);
  report.best.forEach((line, i) => {
    sheet.addRow(lineRow(line, i + 1, line.nameZh));
  });
  sheet.addRow([]);
  heading(w.worst(level));
  figureHeader(w.fromBottom, level);
  report.worst.forEach((line, i) => {
    sheet.addRow(lineRow(line, i + 1, line.nameZh));
  });
  if (report.skipped > 0) sheet.addRow([w.skipped(report.skipped, level, report.minValidCallbacks)]);

  return Buffer.from(await book.xlsx.writeBuffer());
}
