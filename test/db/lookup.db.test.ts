import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { batchedLookup } from '../../src/db/lookup.ts';
import { preparedRead } from '../../src/db/prepared.ts';
import type { Tables } from '../../src/db/tables.ts';
import { backends, useTestDatabase } from '../support/databases.ts';

/**
 * Lookups by key that arrive together go as one statement over an array of keys
 * (src/db/lookup.ts): each caller must still get its own row, or none, and see what was
 * committed before it asked.
 */
const divisionsByCode = preparedRead((db: Kysely<Tables>, codes: string[]) =>
  db.selectFrom('division').select(['code', 'name']).where('code', '=', sql<string>`ANY(${codes}::text[])`),
);

/** The lookup of divisions by code, with every statement's keys noted. */
function countedLookup() {
  const statements: string[][] = [];
  const lookup = batchedLookup(
    (db: Kysely<Tables>, codes: string[]) => {
      statements.push(codes);
      return divisionsByCode(db, codes);
    },
    (row) => row.code,
  );
  return { lookup, statements };
}

describe.each(backends)('lookups that arrive together, on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('go in fewer statements, each lookup answered with its own row or none', async () => {
    const { lookup, statements } = countedLookup();
    const codes = ['110106', '110108', '110106008028', 'no-such-code', '110106', '110101'];
    const found = await Promise.all(codes.map((code) => lookup(t.db.kysely, code)));
    expect(found.map((row) => row?.name ?? null)).toEqual(['丰台区', '海淀区', expect.any(String), null, '丰台区', '东城区']);
    expect(found[2]?.code).toBe('110106008028');
    // The first two run at once (two lanes); the other four wait and go together.
    expect(statements.length).toBeLessThan(codes.length);
    expect(statements.flat().sort()).toEqual([...codes].sort());
    // Alone, a lookup goes at once, by itself.
    statements.length = 0;
    expect((await lookup(t.db.kysely, '110108'))?.name).toBe('海淀区');
    expect(statements).toEqual([['110108']]);
  });

  it('see what was committed before they were asked, and a transaction its own rows', async () => {
    const { lookup } = countedLookup();
    const add = (db: Kysely<Tables>, code: string) =>
      db
        .insertInto('division')
        .values({ code, name: `测试${code}`, short_name: '测试', initials: 'cs', level: 'community', parent_code: '110106008' })
        .execute();
    await add(t.db.kysely, '110106008998');
    expect((await lookup(t.db.kysely, '110106008998'))?.name).toBe('测试110106008998');
    await t.db.kysely.transaction().execute(async (trx) => {
      await add(trx, '110106008999');
      expect((await lookup(trx, '110106008999'))?.name).toBe('测试110106008999');
    });
  });

  it('fail every lookup of a statement that fails, and the next ones go on', async () => {
    let fail = true;
    const lookup = batchedLookup(
      async (db: Kysely<Tables>, codes: string[]) => {
        if (fail) throw new Error('the database went away');
        return divisionsByCode(db, codes);
      },
      (row) => row.code,
    );
    const asked = ['110106', '110108', '110101'].map((code) => lookup(t.db.kysely, code));
    for (const result of await Promise.allSettled(asked)) expect(result.status).toBe('rejected');
    fail = false;
    expect((await lookup(t.db.kysely, '110106'))?.name).toBe('丰台区');
  });
});
