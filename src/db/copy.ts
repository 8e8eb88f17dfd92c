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
export async function copyEncoded(connection: CopyConnection, table: string, columns: readonly string[], text: Uint8Array): Promise<number> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${name}`);
  }
  async function* once(): AsyncGenerator<Uint8Array> {
    yield text;
  }
  return connection.copyIn(`COPY ${table} (${columns.join(', ')})`, once());
}

/** Rows in COPY's text format, as one buffer. */
export function encodeCopyText(rows: Iterable<CopyRow>, width: number): Uint8Array {
  const lines: string[] = [];
  for (const row of rows) {
    if (row.length !== width) throw new Error(`COPY row has ${row.length} values, expected ${width}`);
    lines.push(`${row.map(encodeValue).join('\t')}\n`);
  }
  return Buffer.from(lines.join(''), 'utf8');
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
