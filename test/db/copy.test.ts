import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { copyInto, encodeCopyText, encodeValue, type CopyRow } from '../../src/db/copy.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

describe.each(backends)('COPY through src/db on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('copies awkward values inside the caller’s transaction, and rolls back with it', async () => {
    const rows = [
      [1, 'tab\there, line\nbreak, back\\slash, 引号"', true, new Date('2021-03-05T02:22:13Z'), ['停车', 'a"b', 'c\\d', 'e,f']],
      [2, null, false, null, []],
    ] as const;
    const copied = await t.db.withConnection((connection) =>
      connection.kysely.transaction().execute(async (trx) => {
        await sql`CREATE TEMP TABLE copy_check (n int, text text, flag boolean, at timestamptz, words text[]) ON COMMIT DROP`.execute(trx);
        const n = await copyInto(connection, 'copy_check', ['n', 'text', 'flag', 'at', 'words'], rows);
        const back = await sql<{
          n: number;
          text: string | null;
          flag: boolean;
          at: Date | null;
          words: string[];
        }>`SELECT * FROM copy_check ORDER BY n`.execute(trx);
        return { n, back: back.rows };
      }),
    );
    expect(copied.n).toBe(2);
    expect(copied.back).toEqual([
      { n: 1, text: rows[0][1], flag: true, at: rows[0][3], words: [...rows[0][4]] },
      { n: 2, text: null, flag: false, at: null, words: [] },
    ]);

    await sql`CREATE TABLE copy_rollback (n int)`.execute(t.db.kysely);
    await expect(
      t.db.withConnection((connection) =>
        connection.kysely.transaction().execute(async () => {
          await copyInto(connection, 'copy_rollback', ['n'], [[1], [2]]);
          throw new Error('abort');
        }),
      ),
    ).rejects.toThrow('abort');
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM copy_rollback`.execute(t.db.kysely);
    expect(left.rows[0]!.n).toBe(0);
    await expect(copyInto({} as never, 'x; drop', ['n'], [])).rejects.toThrow(/identifier/);
  });
});

describe('encodeCopyText', () => {
  it('writes the bytes of encodeValue joined by tabs and newlines, awkward text and dates included', () => {
    const texts = [
      '',
      'plain',
      'tab\there',
      'line\nbreak\r',
      'back\\slash',
      '引号"和，',
      'é\u0301',
      '😀',
      '\uD800 lone',
      'end\uDBFF',
      '\uDC00',
      '\u07ff\u0800\uffff',
      '{a,b}',
    ];
    const dates = [
      new Date('2021-03-05T02:22:13.5Z'),
      new Date(0),
      new Date(-1),
      new Date(-62_167_219_200_000),
      new Date(253_402_300_799_999),
      new Date(253_402_300_800_000),
      new Date(-62_167_219_200_001),
      new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)),
    ];
    const rows: CopyRow[] = [];
    for (let i = 0; i < 40; i++) {
      rows.push([
        i,
        texts[i % texts.length]!,
        i % 3 === 0,
        dates[i % dates.length]!,
        i % 5 === 0 ? null : texts.slice(i % 7, (i % 7) + (i % 4)),
        undefined,
        -1.5,
      ]);
    }
    const expected = rows.map((row) => `${row.map(encodeValue).join('\t')}\n`).join('');
    expect(Buffer.from(encodeCopyText(rows, 7)).equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(() => encodeCopyText([[new Date(NaN)]], 1)).toThrow(RangeError);
    expect(() => encodeCopyText([[1, 2]], 1)).toThrow(/expected 1/);
  });
});
