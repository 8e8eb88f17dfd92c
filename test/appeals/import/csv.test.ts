import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { CsvReader, type CsvRecord } from '../../../src/domains/appeals/import/csv.ts';

/** The options the import gave csv-parse before it had its own reader. */
const options = (delimiter: string) => ({
  delimiter,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  info: true,
});

type Outcome = { records: Array<{ fields: string[]; lines: number }> } | { error: string };

async function csvParse(pieces: string[], delimiter: ',' | '\t'): Promise<Outcome> {
  const parser = Readable.from(pieces).pipe(parse(options(delimiter)));
  const records: Array<{ fields: string[]; lines: number }> = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>)
      records.push({ fields: record, lines: info.lines });
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { records };
}

function ours(pieces: string[], delimiter: ',' | '\t'): Outcome {
  const reader = new CsvReader(delimiter);
  const records: CsvRecord[] = [];
  try {
    for (const [i, piece] of pieces.entries()) reader.push(piece, i === pieces.length - 1, records);
  } catch (error) {
    return { error: (error as Error).message };
  }
  return { records };
}

/** A small seeded generator (mulberry32), so that a failure comes back on the next run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Cuts a text into pieces at random places (an empty piece now and then), never inside a
 * surrogate pair: the import's TextDecoder never does either.
 */
function cut(text: string, next: () => number): string[] {
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = at + Math.floor(next() * 8);
    if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end++;
    pieces.push(text.slice(at, end));
    at = end;
  }
  pieces.push('');
  return pieces;
}

describe('the import’s CSV reader', () => {
  it('reads what csv-parse read, lines included, on random text full of quotes, line breaks and blanks', async () => {
    const next = random(12345);
    const alphabet = ['a', 'b', '中', '文', ',', ',', '\t', '"', '"', '"', '\r', '\n', '\n', '\r\n', ' ', '\u3000', '\0', '\uFEFF', '😀'];
    for (let n = 0; n < 3000; n++) {
      const delimiter = next() < 0.7 ? ',' : '\t';
      let text = '';
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)]!;
      const expected = await csvParse(cut(text, next), delimiter);
      expect(ours(cut(text, next), delimiter), JSON.stringify(text)).toEqual(expected);
      expect(ours([text], delimiter), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('reads export-like files the same: quoted cells with commas, quotes and line breaks, CRLF or LF', async () => {
    const next = random(777);
    const cells = [
      '2021-03-05 10:22:13',
      '小区停车难，车位不够',
      '"带""引号""的内容"',
      '"多行\r\n内容"',
      '"地址,有逗号"',
      '',
      ' ',
      '张三',
      '"未闭合的"引号',
      '中间"引号',
    ];
    for (let n = 0; n < 300; n++) {
      const rowEnd = next() < 0.5 ? '\r\n' : '\n';
      const rows: string[] = [];
      for (let r = 0; r < 1 + Math.floor(next() * 6); r++) {
        rows.push(Array.from({ length: 1 + Math.floor(next() * 6) }, () => cells[Math.floor(next() * cells.length)]!).join(','));
      }
      const text = rows.join(rowEnd) + (next() < 0.7 ? rowEnd : '');
      expect(ours(cut(text, next), ','), JSON.stringify(text)).toEqual(await csvParse([text], ','));
    }
  });

  it('gives csv-parse’s error for text that ends inside quotes', async () => {
    const text = 'a,b\n1,"open\n\n';
    const expected = await csvParse([text], ',');
    expect(expected).toEqual({ error: 'Quote Not Closed: the parsing is finished with an opening quote at line 3' });
    expect(ours([text], ',')).toEqual(expected);
  });
});
