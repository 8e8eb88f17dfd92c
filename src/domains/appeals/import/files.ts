import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { AppError, invalid } from '../../../errors.ts';
import { CsvReader, UnclosedQuoteError } from './csv.ts';
import { headerScore, type ImportMapping } from './mapping.ts';
import { clean, fromSpreadsheetDate } from './values.ts';
import { checkZip } from './zip-guard.ts';

/** One cell as read: text, or what a spreadsheet stored as a number or a date. */
export type Cell = string | number | Date;

export interface RawRow {
  /** The row number a person sees when they open the file (1 = the first line or row). */
  rowNo: number;
  cells: Cell[];
}

export interface OpenedExport {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  header: string[];
  /** The row the header is on (1 = the first). */
  headerRow: number;
  /** The rows after the header. */
  rows: AsyncGenerator<RawRow>;
  /** Bytes read so far, for a progress bar over the file's size. */
  bytesRead(): number;
}

/** How far down a title block may push the header row. */
const HEADER_SEARCH_ROWS = 10;
/** A header row names at least this many known fields; a title row names none. */
const HEADER_MIN_FIELDS = 3;

export async function openExport(file: string, mapping: ImportMapping): Promise<OpenedExport> {
  const head = Buffer.alloc(4);
  const fd = await fs.promises.open(file, 'r');
  try {
    await fd.read(head, 0, 4, 0);
  } finally {
    await fd.close();
  }
  // An XLSX file is a zip archive, whatever it is called.
  const isXlsx = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  // A zip bomb is refused before the spreadsheet reader inflates anything.
  if (isXlsx) await checkZip(file);
  const opened = isXlsx ? readXlsx(file) : await readCsv(file);
  const { header, headerRow, rows } = await findHeader(opened.rows, mapping);
  return { ...opened, header, headerRow, rows };
}

/**
 * The first rows of an export, read once for the inference, and the rows again from the first:
 * the sampled ones replayed, then the rest.
 */
export async function sampleRows(rows: AsyncGenerator<RawRow>, count: number): Promise<{ sample: RawRow[]; rows: AsyncGenerator<RawRow> }> {
  const sample: RawRow[] = [];
  while (sample.length < count) {
    const next = await rows.next();
    if (next.done) break;
    if (next.value.cells.every((c) => c === '')) continue;
    sample.push(next.value);
  }
  async function* replay(): AsyncGenerator<RawRow> {
    try {
      yield* sample;
      yield* rows;
    } finally {
      await rows.return(undefined);
    }
  }
  return { sample, rows: replay() };
}

async function findHeader(
  rows: AsyncGenerator<RawRow>,
  mapping: ImportMapping,
): Promise<{ header: string[]; headerRow: number; rows: AsyncGenerator<RawRow> }> {
  for (let seen = 0; seen < HEADER_SEARCH_ROWS; seen++) {
    const next = await rows.next();
    if (next.done) break;
    const cells = next.value.cells.map((c) => (typeof c === 'string' ? c : String(c)));
    if (headerScore(cells, mapping) >= HEADER_MIN_FIELDS) return { header: cells, headerRow: next.value.rowNo, rows };
  }
  await rows.return(undefined);
  throw invalid(
    `前 ${HEADER_SEARCH_ROWS} 行中找不到表头（应含工单编号、受理时间、诉求内容等列）`,
    `No header row in the first ${HEADER_SEARCH_ROWS} rows (expected columns such as 工单编号, 受理时间, 诉求内容)`,
  );
}

const SNIFF_BYTES = 64 * 1024;

/**
 * The text encoding of a CSV: a BOM says UTF-8 (or UTF-16); otherwise the first 64 KB either are
 * valid UTF-8 or the file is GBK (read as GB18030, its superset), as district offices' Excel
 * saves it. The header is in those first bytes and is Chinese, so the sample decides reliably.
 */
export function sniffEncoding(sample: Uint8Array): { encoding: 'utf-8' | 'utf-16le' | 'gb18030'; bom: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  // Cut a multi-byte character the sample ends inside of: that is no evidence against UTF-8.
  let end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = sample[end - back]!;
    if ((byte & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    return { encoding: 'gb18030', bom: 0 };
  }
}

async function readCsv(file: string): Promise<Omit<OpenedExport, 'header' | 'headerRow'>> {
  const sample = Buffer.alloc(SNIFF_BYTES);
  const fd = await fs.promises.open(file, 'r');
  let sampleLength: number;
  try {
    sampleLength = (await fd.read(sample, 0, SNIFF_BYTES, 0)).bytesRead;
  } finally {
    await fd.close();
  }
  const { encoding, bom } = sniffEncoding(sample.subarray(0, sampleLength));
  const firstLine = new TextDecoder(encoding).decode(sample.subarray(bom, sampleLength)).split('\n', 1)[0] ?? '';
  // Some "CSV" exports are tab-separated: the header line tells.
  const delimiter = (firstLine.match(/\t/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? '\t' : ',';

  const stream = fs.createReadStream(file, { start: bom, highWaterMark: 256 * 1024 });
  const decoder = new TextDecoder(encoding);
  const reader = new CsvReader(delimiter);
  async function* rows(): AsyncGenerator<RawRow> {
    // The line a record ends on: the row number in an editor and, without line breaks inside cells, in Excel.
    try {
      for await (const chunk of stream) {
        reader.feed(decoder.decode(chunk as Buffer, { stream: true }), false);
        for (let record = reader.next(); record; record = reader.next()) yield { rowNo: record.lines, cells: record.fields.map(clean) };
      }
      reader.feed(decoder.decode(), true);
      for (let record = reader.next(); record; record = reader.next()) yield { rowNo: record.lines, cells: record.fields.map(clean) };
    } catch (error) {
      if (error instanceof UnclosedQuoteError) {
        const line = error.openedOnLine;
        throw invalid(
          `第 ${line} 行的引号没有闭合：从这里到文件末尾都被读成了一个单元格。请检查该行的双引号（单元格内的引号应写成两个 ""）`,
          `The quote opened on line ${line} is never closed: everything from there to the end of the file reads as one cell. Check that row's double quotes (a quote inside a cell is written "")`,
          [{ field: `第 ${line} 行 / row ${line}`, message: '引号未闭合 / unclosed quote' }],
        );
      }
      throw error;
    } finally {
      stream.destroy();
    }
  }
  return { format: 'csv', encoding: encoding === 'gb18030' ? 'gbk' : encoding, rows: rows(), bytesRead: () => stream.bytesRead + bom };
}

function readXlsx(file: string): Omit<OpenedExport, 'header' | 'headerRow'> {
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  async function* rows(): AsyncGenerator<RawRow> {
    let last = 0;
    try {
      for await (const sheet of workbook) {
        for await (const row of sheet) {
          const values = row.values as unknown[];
          const cells: Cell[] = [];
          for (let i = 1; i < values.length; i++) cells.push(cellOf(values[i]));
          last = row.number;
          yield { rowNo: row.number, cells };
        }
        // Only the first worksheet is the export; the rest are notes and pivot tables.
        break;
      }
    } catch (error) {
      if (error instanceof AppError) throw error;
      // The library's own words stay out of the message: they name zip internals, not the file.
      const where = last === 0 ? '读第一个工作表时' : `第 ${last} 行之后`;
      const whereEn = last === 0 ? 'reading the first worksheet' : `after row ${last}`;
      throw invalid(
        `XLSX 文件已损坏，${where}无法继续读取。请在 Excel 中打开并另存为 XLSX 或 CSV 后重新导入`,
        `The XLSX file is broken: it cannot be read ${whereEn}. Open it in Excel, save it again as XLSX or CSV, and import that`,
        [{ field: last === 0 ? 'file' : `第 ${last + 1} 行 / row ${last + 1}`, message: 'XLSX 已损坏 / broken XLSX' }],
      );
    } finally {
      stream.destroy();
    }
  }
  return { format: 'xlsx', encoding: null, rows: rows(), bytesRead: () => stream.bytesRead };
}

/** A spreadsheet cell's value as text, number or Beijing-time date. */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return clean(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return fromSpreadsheetDate(value);
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; text?: unknown; result?: unknown; error?: unknown };
    if (v.richText) return clean(v.richText.map((part) => part.text).join(''));
    if ('result' in v) return cellOf(v.result);
    if (v.text !== undefined) return cellOf(v.text);
  }
  return '';
}
