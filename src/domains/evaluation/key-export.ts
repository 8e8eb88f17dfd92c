import ExcelJS from 'exceljs';
import { csvDocument, type CsvValue } from '../../csv.ts';
import type { KeyCommunityList } from './schemas.ts';

/**
 * The key-community list as a file to hand on: one row per community with the evidence it is on
 * the list for (how often it was in the top N, its rank and volume now and over the window) and
 * its three rates beside the area's resolution rate. CSV goes through the shared writer, which
 * neutralises cells a spreadsheet would run as formulas; Excel keeps numbers as numbers.
 */
const header = [
  '社区代码 code',
  '社区 community',
  '上榜次数 times on the list',
  '统计期数 periods',
  '本期排名 rank now',
  '本期诉求量 volume now',
  '期间诉求量 volume in the window',
  '响应率 response rate',
  '解决率 resolution rate',
  '满意率 satisfaction rate',
  '同期区域解决率 area resolution rate',
  '建议选派 suggested',
];

function rows(list: KeyCommunityList): CsvValue[][] {
  const rate = (r: number | null) => (r === null ? null : Math.round(r * 10_000) / 10_000);
  return list.items.map((item) => [
    item.code,
    item.name,
    item.appearances,
    list.periods,
    item.rankNow,
    item.volumeNow,
    item.volumeTotal,
    rate(item.figures.responseRate),
    rate(item.figures.resolutionRate),
    rate(item.figures.satisfactionRate),
    rate(list.areaResolutionRate),
    item.candidate ? '是 yes' : '否 no',
  ]);
}

export function keyCommunityFileName(list: KeyCommunityList, ext: 'csv' | 'xlsx'): string {
  return `重点社区名单-${list.from}-${list.month}-前${list.topN}.${ext}`;
}

export function keyCommunityCsv(list: KeyCommunityList): string {
  return csvDocument(header, rows(list));
}

export async function keyCommunityWorkbook(list: KeyCommunityList): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('重点社区名单');
  sheet.addRow([`重点社区名单（${list.from} 至 ${list.month}，每期诉求量前 ${list.topN}，上榜 ${list.minAppearances} 次及以上建议选派）`]);
  sheet.addRow(header);
  sheet.getRow(2).font = { bold: true };
  for (const row of rows(list)) sheet.addRow(row);
  for (const column of [8, 9, 10, 11]) sheet.getColumn(column).numFmt = '0.00%';
  sheet.getColumn(2).width = 24;
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
