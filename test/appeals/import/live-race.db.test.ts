import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemViewer } from '../../../src/domains/accounts/viewer.ts';
import { importAppeals } from '../../../src/domains/appeals/import/service.ts';
import * as appeals from '../../../src/domains/appeals/service.ts';
import { checkRollups } from '../../../src/domains/evaluation/rollup.ts';
import { AppError } from '../../../src/errors.ts';
import { backends, useTestDatabase } from '../../support/databases.ts';
import fs from 'node:fs';
import path from 'node:path';
import { dir, header } from './fixtures.ts';

const COUNT = 200;
const day = (i: number) => String(1 + (i % 27)).padStart(2, '0');
type Place = { street: string; community: string };

/** The fixtures' columns with 办理时间 (handled) last instead of 办结时间 (closed): a handled appeal still takes a callback. */
function writeHandledCsv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${[header.replace('办结时间', '办理时间'), ...lines].join('\r\n')}\r\n`);
  return file;
}

/** Handled in January, not yet called back: each waits for a callback. */
const handled = (i: number, p: Place) =>
  `LR${String(i).padStart(5, '0')},2023-01-${day(i)} 10:00,投诉,停车难,小区停车难 ${i},丰台区,${p.street},${p.community},,,,,街道办事处,,,,,2023-01-${day(i)} 18:00`;
/** The same tickets as a later export has them: called back in April. */
const calledBack = (i: number, p: Place) =>
  `LR${String(i).padStart(5, '0')},2023-01-${day(i)} 10:00,投诉,停车难,小区停车难 ${i},丰台区,${p.street},${p.community},,,,,街道办事处,是,是,满意,2023-04-${day(i)} 18:00,2023-01-${day(i)} 18:00`;

/**
 * Issue 15: an import that updates stored appeals while clerks record callbacks on the same ones.
 * The import takes each stored appeal as the rollups counted it (FOR SHARE) before its update and
 * counts the difference; a callback landing between that read and the update would move the
 * appeal to a month the difference does not know, and leave that cell off by one (as the
 * place-month notes of the earlier recount did). A live step writes only if the appeal is still
 * as it read it. Whatever the interleaving, the rollups must equal a recount afterwards.
 */
describe.each(backends)('an import beside live callbacks on the same appeals, on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('leaves the rollups equal to a recount', { timeout: 120_000 }, async () => {
    const db = t.db;
    // An appeal per community: a cell an appeal leaves is then noted by no other appeal of its chunk.
    const places = (
      await sql<Place>`SELECT s.name AS street, c.name AS community FROM division c JOIN division s ON s.code = c.parent_code
        WHERE c.level = 'community' AND c.code LIKE '110106%'
          AND NOT EXISTS (SELECT 1 FROM division o WHERE o.parent_code = c.parent_code AND o.name = c.name AND o.code <> c.code)
        ORDER BY c.code LIMIT ${COUNT}`.execute(db.kysely)
    ).rows;
    const rows = (row: (i: number, p: Place) => string) => places.map((p, i) => row(i, p));
    await importAppeals(db, writeHandledCsv('live-race-1.csv', rows(handled)), systemViewer);
    const stored = await sql<{
      id: number;
      version: number;
    }>`SELECT id, version FROM appeal WHERE ticket_no LIKE 'LR%' ORDER BY ticket_no`.execute(db.kysely);
    expect(stored.rows).toHaveLength(places.length);

    // Callbacks in February and March, one appeal after another, while the April export lands.
    const clerks = Array.from({ length: 8 }, async (_, clerk) => {
      // From the file's end: the import reaches these last, so callbacks and the import's notes meet.
      for (const [n, row] of [...stored.rows.entries()].reverse()) {
        if (n % 8 !== clerk) continue;
        const callback = {
          contacted: true,
          solved: n % 2 === 0,
          satisfaction: 'basically' as const,
          at: `2023-0${2 + (n % 2)}-10T02:00:00Z`,
        };
        try {
          await appeals.appendEvent(db.kysely, row.id, { type: 'callback', expectedVersion: row.version, ...callback }, systemViewer);
        } catch (error) {
          // The import got there first: the appeal moved on (or closed), and the clerk is told so (409).
          if (!(error instanceof AppError && error.kind === 'conflict')) throw error;
        }
      }
    });
    // Small chunks: many windows between an import's notes and its updates.
    const [summary] = await Promise.all([
      importAppeals(db, writeHandledCsv('live-race-2.csv', rows(calledBack)), systemViewer, { chunkRows: 5 }),
      ...clerks,
    ]);
    expect(summary).toMatchObject({ status: 'done', rowsTotal: places.length });
    expect(await checkRollups(db.kysely)).toEqual([]);
  });
});
