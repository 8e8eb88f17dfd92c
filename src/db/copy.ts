import type { CopyConnection } from './connection.ts';

/**
 * COPY, the same on both backends: PostgreSQL takes it through pg-copy-streams, PGlite from
 * /dev/blob (connection.ts hides which). Rows go in PostgreSQL's text format, which needs no
 * quoting, only backslash escapes.
 */
export type CopyValue = string | number | boolean | Date | null | undefined | readonly string[];
export type CopyRow = readonly CopyValue[];

// Use: db.withConnection((connection) => connection.kysely.transaction().execute(async (trx) => {
//   … await copyInto(connection, 'staging', ['a', 'b'], rows) … })), so the COPY is part of trx.

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Copies `rows` into `table (columns)`; returns how many rows went in. */
export async function copyInto(
  connection: CopyConnection,
  table: string,
  columns: readonly string[],
  rows: Iterable<CopyRow> | AsyncIterable<CopyRow>,
): Promise<number> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
  }
  return connection.copyIn(`COPY ${table} (${columns.join(', ')})`, encodeRows(rows, columns.length));
}

/**
 * Copies rows already encoded with `encodeCopyText` (in a worker thread, say) into `table (columns)`.
 */
export async function copyEncoded(
  connection: CopyConnection,
  table: string,
  columns: readonly string[],
  text: Uint8Array,
): Promise<number> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
  }
  async function* once(): AsyncGenerator<Uint8Array> {
    yield text;
  }
  return connection.copyIn(`COPY ${table} (${columns.join(', ')})`, once());
}

/**
 * Rows in COPY's text format, as one buffer: the same bytes as encoding every value with
 * `encodeValue`, joining with tabs and newlines and converting to UTF-8, but written straight
 * into the buffer. An import encodes a million rows of 33 values; as strings, joined and then
 * converted, most of its time went to the garbage those strings leave.
 */
export function encodeCopyText(rows: Iterable<CopyRow>, width: number): Uint8Array {
  const out = new CopyWriter();
  for (const row of rows) {
    if (row.length !== width) throw new Error(`COPY row has ${row.length} values, expected ${width}`);
    for (let i = 0; i < width; i++) {
      if (i > 0) out.byte(TAB);
      out.value(row[i]);
    }
    out.byte(NEWLINE);
  }
  return out.done();
}

const TAB = 9;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const BACKSLASH = 92;
const QUOTE = 34;
/** The UTF-8 of one UTF-16 code unit is at most three bytes; an escaped character is at most four (a backslash in a text[] element). */
const MAX_BYTES_PER_UNIT = 4;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: toISOString writes four-digit years in between. */
const ISO_FIRST_MS = -62_167_219_200_000;
const ISO_LAST_MS = 253_402_300_799_999;
const DAY_MS = 86_400_000;

/** Where CopyWriter writes, kept between calls: `done` copies the bytes out, and a thread runs one call at a time. */
let scratch = Buffer.allocUnsafe(64 * 1024);
const KEPT_SCRATCH_BYTES = 4 * 1024 * 1024;

class CopyWriter {
  private buf = scratch;
  private at = 0;

  /** Makes room for `bytes` more. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
    scratch = bigger;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }

  value(value: CopyValue): void {
    if (value === null || value === undefined) this.ascii('\\N');
    else if (typeof value === 'string') this.text(value, false);
    else if (typeof value === 'number') this.ascii(encodeValue(value));
    else if (typeof value === 'boolean') this.byte(value ? 0x74 : 0x66);
    else if (value instanceof Date) this.date(value);
    else this.array(value);
  }

  /** Text that is ASCII and needs no escape (numbers, 't', '\N'). */
  private ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.at++] = text.charCodeAt(i);
  }

  /**
   * A text value as UTF-8, escaped as escapeText does; inside a text[] literal (`element`), with
   * arrayLiteral's escapes under escapeText's too. Encoded here rather than by Buffer#write: the
   * values are short, and the call and escapeText's scan cost more than the loop.
   */
  private text(text: string, element: boolean): void {
    const n = text.length;
    this.room(n * MAX_BYTES_PER_UNIT);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) {
        if (c === BACKSLASH) {
          // \ → \\, and inside an element \\ → \\\\.
          buf[at++] = BACKSLASH;
          buf[at++] = BACKSLASH;
          if (element) {
            buf[at++] = BACKSLASH;
            buf[at++] = BACKSLASH;
          }
        } else if (c === TAB || c === NEWLINE || c === CARRIAGE_RETURN) {
          buf[at++] = BACKSLASH;
          buf[at++] = c === TAB ? 0x74 : c === NEWLINE ? 0x6e : 0x72;
        } else if (c === QUOTE && element) {
          // " → \" in the literal, whose backslash escapeText doubles.
          buf[at++] = BACKSLASH;
          buf[at++] = BACKSLASH;
          buf[at++] = QUOTE;
        } else {
          buf[at++] = c;
        }
      } else if (c < 0x800) {
        buf[at++] = 0xc0 | (c >> 6);
        buf[at++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          buf[at++] = 0xf0 | (cp >> 18);
          buf[at++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[at++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[at++] = 0x80 | (cp & 0x3f);
          i++;
        } else {
          // A lone surrogate: U+FFFD, as Buffer's encoder writes it.
          buf[at++] = 0xef;
          buf[at++] = 0xbf;
          buf[at++] = 0xbd;
        }
      } else {
        buf[at++] = 0xe0 | (c >> 12);
        buf[at++] = 0x80 | ((c >> 6) & 0x3f);
        buf[at++] = 0x80 | (c & 0x3f);
      }
    }
    this.at = at;
  }

  /** A text[] literal, as escapeText(arrayLiteral(values)) writes it. */
  private array(values: readonly string[]): void {
    this.room(2);
    this.buf[this.at++] = 0x7b;
    for (let i = 0; i < values.length; i++) {
      this.room(2);
      if (i > 0) this.buf[this.at++] = 0x2c;
      this.buf[this.at++] = QUOTE;
      this.text(values[i]!, true);
      this.room(1);
      this.buf[this.at++] = QUOTE;
    }
    this.room(1);
    this.buf[this.at++] = 0x7d;
  }

  /** A timestamp as toISOString writes it (2021-03-05T02:22:13.000Z), without making the string. */
  private date(date: Date): void {
    const ms = date.getTime();
    if (!(ms >= ISO_FIRST_MS && ms <= ISO_LAST_MS)) {
      // Six-digit years, and toISOString's RangeError for an invalid date.
      this.ascii(date.toISOString());
      return;
    }
    const days = Math.floor(ms / DAY_MS);
    let rest = ms - days * DAY_MS;
    // Days since 1970-01-01 to the civil date (H. Hinnant's days_from_civil, inverted).
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const hour = Math.floor(rest / 3_600_000);
    rest -= hour * 3_600_000;
    const minute = Math.floor(rest / 60_000);
    rest -= minute * 60_000;
    const second = Math.floor(rest / 1_000);
    const milli = rest - second * 1_000;
    this.room(24);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = 48 + Math.floor(year / 1000);
    buf[at++] = 48 + (Math.floor(year / 100) % 10);
    buf[at++] = 48 + (Math.floor(year / 10) % 10);
    buf[at++] = 48 + (year % 10);
    buf[at++] = 0x2d;
    buf[at++] = 48 + Math.floor(month / 10);
    buf[at++] = 48 + (month % 10);
    buf[at++] = 0x2d;
    buf[at++] = 48 + Math.floor(day / 10);
    buf[at++] = 48 + (day % 10);
    buf[at++] = 0x54;
    buf[at++] = 48 + Math.floor(hour / 10);
    buf[at++] = 48 + (hour % 10);
    buf[at++] = 0x3a;
    buf[at++] = 48 + Math.floor(minute / 10);
    buf[at++] = 48 + (minute % 10);
    buf[at++] = 0x3a;
    buf[at++] = 48 + Math.floor(second / 10);
    buf[at++] = 48 + (second % 10);
    buf[at++] = 0x2e;
    buf[at++] = 48 + Math.floor(milli / 100);
    buf[at++] = 48 + (Math.floor(milli / 10) % 10);
    buf[at++] = 48 + (milli % 10);
    buf[at++] = 0x5a;
    this.at = at;
  }

  /** The bytes written, in a buffer of their own: a worker posts it, and a post copies the whole underlying buffer. */
  done(): Uint8Array {
    const bytes = new Uint8Array(this.at);
    bytes.set(this.buf.subarray(0, this.at));
    // One big call should not hold its buffer for the life of the process.
    if (scratch.length > KEPT_SCRATCH_BYTES) scratch = Buffer.allocUnsafe(64 * 1024);
    return bytes;
  }
}

const BATCH_BYTES = 256 * 1024;

/** Text-format lines, batched into buffers of about 256 KB so the stream is not chatty. */
async function* encodeRows(rows: Iterable<CopyRow> | AsyncIterable<CopyRow>, width: number): AsyncGenerator<Uint8Array> {
  let batch: string[] = [];
  let size = 0;
  for await (const row of rows) {
    if (row.length !== width) throw new Error(`COPY row has ${row.length} values, expected ${width}`);
    const line = `${row.map(encodeValue).join('\t')}\n`;
    batch.push(line);
    size += line.length;
    if (size >= BATCH_BYTES) {
      yield Buffer.from(batch.join(''), 'utf8');
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) yield Buffer.from(batch.join(''), 'utf8');
}

export function encodeValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot COPY ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  return escapeText(arrayLiteral(value));
}

// Backslash first, then the characters that end a field or a row.
function escapeText(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

/** A text[] literal: every element quoted, with its quotes and backslashes escaped. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
