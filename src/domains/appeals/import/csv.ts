/**
 * The CSV reader of imports: the records csv-parse 7 gives with the options the import used,
 * `{ delimiter, relax_column_count, relax_quotes, skip_empty_lines,
 * skip_records_with_empty_values, info }`, each with `info.lines`, read straight from the
 * decoded text. csv-parse works byte by byte through a Transform stream and builds an info object
 * per record; a million-row export spent a sixth of its parse there. What is kept from it, down
 * to its quirks (test/appeals/import/csv.test.ts compares the two on random text):
 *
 * - The record delimiter is the first CR LF, LF or CR met outside quotes; after that the other
 *   two are ordinary characters.
 * - A field that starts with a quote is quoted; `""` inside it is one quote. A quote closes it
 *   only before the delimiter, the record delimiter, a NUL or the end; any other closing quote is
 *   kept as text together with the opening one (relax_quotes). A quote inside an unquoted field
 *   is text.
 * - `lines` counts every CR and LF read, inside quotes too (a CR LF inside quotes counts two),
 *   the one that ends a record after the record is out: a record's `lines` is the line it ends on.
 * - Empty lines are skipped, and so are records whose fields are all blank (String.trim).
 * - Text that ends inside quotes is an error, with csv-parse's message.
 */
export interface CsvRecord {
  fields: string[];
  /** The line the record ends on (csv-parse's info.lines). */
  lines: number;
}

/** Text that ends inside quotes: csv-parse's message, and the line the unclosed quote opened on. */
export class UnclosedQuoteError extends Error {
  constructor(
    message: string,
    readonly openedOnLine: number,
  ) {
    super(message);
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
/** The quote, CR, LF and both delimiters (',' is 44, tab 9) are at most this: any character above is text. */
const LAST_SPECIAL = 44;

export class CsvReader {
  private readonly delimiter: number;
  /** The text being read, from where the last piece left off. */
  private buf = '';
  private pos = 0;
  /** Where the current run of ordinary characters of the field began in `buf`. */
  private start = 0;
  /** How far `buf` may be read: all of it at the end, else up to the last two characters, which the next piece decides. */
  private stop = 0;
  private end = false;
  private finished = false;
  /** The record delimiter once known: '\r\n', '\n' or '\r'. */
  private rowEnd = '';
  private quoting = false;
  /** The line the open quote began on. */
  private quoteLine = 0;
  /** The current field was quoted (csv-parse's wasQuoting): it is a field even when empty. */
  private wasQuoting = false;
  /** The last character read was CR or LF: `lines` counts it when the next one is read. */
  private wasRowDelimiter = false;
  private lines = 1;
  /** The current field's text from earlier pieces or from before a quote. */
  private field = '';
  private record: string[] = [];

  constructor(delimiter: ',' | '\t') {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Adds the next piece of text, the last one when `end`. */
  feed(piece: string, end: boolean): void {
    this.field += this.buf.slice(this.start, this.pos);
    this.buf = this.pos === this.buf.length ? piece : this.buf.slice(this.pos) + piece;
    this.pos = 0;
    this.start = 0;
    this.end = end;
    this.stop = end ? this.buf.length : this.buf.length - 2;
  }

  /** Reads the text fed so far and all of it at the end: the records it completes, in `out`. */
  push(piece: string, end: boolean, out: CsvRecord[]): void {
    this.feed(piece, end);
    for (let record = this.next(); record; record = this.next()) out.push(record);
  }

  /**
   * The next record, or undefined when the text fed so far ends before one does. One at a time,
   * so that a record dies young: a whole piece's records at once outlived a young-generation
   * collection and were copied.
   */
  next(): CsvRecord | undefined {
    const buf = this.buf;
    const stop = this.stop;
    const delimiter = this.delimiter;
    let pos = this.pos;
    let start = this.start;
    while (pos < stop) {
      const c = buf.charCodeAt(pos);
      if (c > LAST_SPECIAL) {
        // Text, in quotes or not (nearly every character): skip the run of it.
        if (this.wasRowDelimiter) {
          this.lines++;
          this.wasRowDelimiter = false;
        }
        pos++;
        while (pos < stop && buf.charCodeAt(pos) > LAST_SPECIAL) pos++;
        continue;
      }
      if (this.wasRowDelimiter) {
        this.lines++;
        this.wasRowDelimiter = false;
      }
      if (!this.quoting && this.rowEnd === '' && (c === CR || c === LF)) this.discoverRowEnd(buf, pos);
      if (c === CR || c === LF) this.wasRowDelimiter = true;
      if (c === QUOTE) {
        if (this.quoting) {
          const next = buf.charCodeAt(pos + 1);
          if (next === QUOTE) {
            // An escaped quote: the first is dropped, the second is text.
            this.field += buf.slice(start, pos);
            start = pos + 1;
            pos += 2;
            continue;
          }
          const rowEndNext = this.rowEnd === '' ? this.discoverRowEnd(buf, pos + 1) : this.rowEndAt(buf, pos + 1);
          if (Number.isNaN(next) || next === 0 || next === delimiter || rowEndNext !== 0) {
            this.quoting = false;
            this.wasQuoting = true;
            this.field += buf.slice(start, pos);
            start = pos + 1;
            pos++;
            continue;
          }
          // A quote that does not close: the field is text from its opening quote on, this quote included.
          this.quoting = false;
          this.wasQuoting = true;
          this.field = `"${this.field}${buf.slice(start, pos)}`;
          start = pos;
          pos++;
          continue;
        }
        if (this.field === '' && pos === start) {
          this.quoting = true;
          this.quoteLine = this.lines;
          start = pos + 1;
          pos++;
          continue;
        }
        // A quote inside an unquoted field is text.
        pos++;
        continue;
      }
      if (!this.quoting) {
        const rowEnd = this.rowEnd !== '' && c === this.rowEnd.charCodeAt(0) ? this.rowEndAt(buf, pos) : 0;
        if (rowEnd !== 0) {
          const record =
            this.wasQuoting || this.record.length !== 0 || this.field !== '' || pos !== start
              ? this.endRecord(buf.slice(start, pos))
              : undefined;
          pos += rowEnd;
          start = pos;
          if (record) {
            this.pos = pos;
            this.start = start;
            return record;
          }
          continue;
        }
        if (c === delimiter) {
          this.endField(buf.slice(start, pos));
          pos++;
          start = pos;
          continue;
        }
      }
      pos++;
    }
    this.pos = pos;
    this.start = start;
    if (!this.end || this.finished) return undefined;
    this.finished = true;
    if (this.quoting)
      throw new UnclosedQuoteError(`Quote Not Closed: the parsing is finished with an opening quote at line ${this.lines}`, this.quoteLine);
    if (this.wasQuoting || this.record.length !== 0 || this.field !== '' || pos !== start) return this.endRecord(buf.slice(start, pos));
    return undefined;
  }

  /** Takes CR LF, LF or CR at `pos` as the record delimiter; returns its length, 0 when there is none. */
  private discoverRowEnd(buf: string, pos: number): number {
    const c = buf.charCodeAt(pos);
    if (c === CR) {
      this.rowEnd = buf.charCodeAt(pos + 1) === LF ? '\r\n' : '\r';
      return this.rowEnd.length;
    }
    if (c === LF) {
      this.rowEnd = '\n';
      return 1;
    }
    return 0;
  }

  /** The record delimiter's length when it is at `pos`, else 0. */
  private rowEndAt(buf: string, pos: number): number {
    const rowEnd = this.rowEnd;
    if (buf.charCodeAt(pos) !== rowEnd.charCodeAt(0)) return 0;
    if (rowEnd.length === 2 && buf.charCodeAt(pos + 1) !== rowEnd.charCodeAt(1)) return 0;
    return rowEnd.length;
  }

  private endField(tail: string): void {
    this.record.push(this.field === '' ? tail : this.field + tail);
    this.field = '';
    this.wasQuoting = false;
  }

  /** Ends the record with its last field; undefined when all its fields are blank, which are skipped. */
  private endRecord(tail: string): CsvRecord | undefined {
    this.endField(tail);
    const record = this.record;
    this.record = [];
    if (record.every((field) => field.trim() === '')) return undefined;
    return { fields: record, lines: this.lines };
  }
}
