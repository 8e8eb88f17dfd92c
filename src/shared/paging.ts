import type { Kysely, ReferenceExpression, SelectQueryBuilder } from 'kysely';
import type { Tables } from '../db/tables.ts';
import { invalid, type AppError } from '../errors.ts';

/**
 * Keyset paging, the one way every list pages: the client sends back the `nextCursor` of the page
 * it has, and the next page starts strictly after (or before) that row.
 */

/** What a cursor that no page gave out is told. */
export const cursorProblem = { field: 'cursor', message: '请使用上一页返回的 nextCursor / use nextCursor from the previous page' } as const;

/** The problem of a cursor that no page gave out. */
export const badCursor = (): AppError => invalid('分页游标无效', 'Invalid cursor', [{ ...cursorProblem }]);

/** A cursor that is the last row's id; undefined for the first page. */
export function idCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const id = Number(cursor);
  if (!Number.isInteger(id)) throw badCursor();
  return id;
}

/** The cursor of the page after `rows`: null when the page was not full, so there is none. */
export const nextCursor = <T>(rows: T[], limit: number, key: (row: T) => string | number): string | null =>
  rows.length === limit ? String(key(rows[rows.length - 1]!)) : null;

/** How many rows a list's filtered query holds in all, whatever page is shown: a page's `total`. */
export async function totalOf<DB, TB extends keyof DB, O>(db: Kysely<Tables>, filtered: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const row = await db
    .selectFrom(filtered.as('filtered'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** One page of a list in id order: the `limit` rows after the cursor's id (`idColumn` names it in the query). */
export function pageAfterId<DB, TB extends keyof DB, O>(
  filtered: SelectQueryBuilder<DB, TB, O>,
  idColumn: ReferenceExpression<DB, TB>,
  page: { limit: number; after?: number | undefined },
): Promise<O[]> {
  const after = page.after === undefined ? filtered : filtered.where(idColumn, '>', page.after);
  return after.orderBy(idColumn).limit(page.limit).execute();
}
