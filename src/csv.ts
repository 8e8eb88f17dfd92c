/**
 * The one CSV writer of mustanswer. Every CSV the product writes (the audit export, the import's
 * error reports on the web and from the CLI, the demo's hotline exports) goes through it, because
 * each can be opened in Excel or WPS by someone other than the person whose text is in it.
 *
 * A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by spreadsheets
 * as a formula (`=HYPERLINK(…)`, `=cmd|…`): OWASP's advice on CSV injection is to make such a cell
 * plain text by putting a single quote before it, and to quote every cell that needs it. The
 * full-width forms (＝ ＋ － ＠) are treated the same, since some Chinese spreadsheet software turns
 * them into their ASCII forms. Numbers, booleans and dates are written as values and never altered.
 */
/** Anything a cell can hold: text, numbers, dates, and JSON values (written as JSON). */
export type CsvValue = unknown;

const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const needsQuotes = /[",\r\n]/;

/** The text of one cell, neutralised and quoted as needed. */
export function csvCell(value: CsvValue): string {
  let text: string;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') text = formulaStart.test(value) ? `'${value}` : value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else {
    const json = JSON.stringify(value);
    text = formulaStart.test(json) ? `'${json}` : json;
  }
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line of cells, without its line ending. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

export interface CsvOptions {
  /** A UTF-8 byte order mark first, so that Excel reads Chinese text as UTF-8 (default true). */
  bom?: boolean;
  /** Line ending (default CRLF, as RFC 4180 and Excel write). */
  eol?: string;
}

/** A whole file: the header line, then one line per row, each ending in `eol`. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>, options: CsvOptions = {}): string {
  const eol = options.eol ?? '\r\n';
  const lines = [csvRow(header)];
  for (const row of rows) lines.push(csvRow(row));
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join(eol)}${eol}`;
}
