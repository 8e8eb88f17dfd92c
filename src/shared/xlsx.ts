import type ExcelJS from 'exceljs';

/**
 * A worksheet of a downloaded workbook as every export lays it out: a bold header row of the
 * given columns (header and width), frozen while the rows scroll under it.
 */
export function tableSheet(
  book: ExcelJS.Workbook,
  name: string,
  columns: Array<[header: string, width: number]>,
  rows: unknown[][],
): ExcelJS.Worksheet {
  const ws = book.addWorksheet(name);
  ws.columns = columns.map(([header, width]) => ({ header, width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.addRows(rows);
  return ws;
}
