import type { Kysely, Transaction } from 'kysely';
import { withRetry } from '../../db/transaction.ts';
import type { Tables } from '../../db/tables.ts';
import { Batcher, type Outcome } from '../../shared/batcher.ts';
import { writeAndCountAll } from '../evaluation/rollup.ts';
import { countedOf } from './counted.ts';
import * as q from './queries.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

const UNMATCHED_REASON = '登记时未指明社区 / filed without a community';

/**
 * Appeals filed at the same moment are written together: at 50 clients filing at once, one
 * statement carries many filings, so PostgreSQL parses, plans and commits once for them and each
 * rollup row they share moves once (bench/intake.ts). Up to LANES statements run at a time, each
 * with at most MOST filings; a lone filing is never held back.
 */
const LANES = 4;
const MOST = 64;

const queues = new WeakMap<Kysely<Tables>, Batcher<q.Filing, q.FiledRow>>();

/** Files one appeal with its event, queue place, audit entry and rollup counts; the stored row. */
export function fileAppeal(db: Db, filing: q.Filing): Promise<q.FiledRow> {
  // Inside a caller's transaction the filing is the caller's to retry, and cannot be shared.
  if (db.isTransaction) return fileAll(db, [filing]).then((rows) => rows[0]!);
  let queue = queues.get(db);
  if (!queue) {
    queue = new Batcher((filings) => fileTogether(db, filings), LANES, MOST);
    queues.set(db, queue);
  }
  return queue.submit(filing);
}

async function fileAll(db: Db, filings: q.Filing[]): Promise<q.FiledRow[]> {
  const changes = filings.map(({ row }) => ({ before: null, after: countedOf(row) }));
  const rows = await writeAndCountAll<q.FiledRow>(db, changes, q.appealFilings(filings, UNMATCHED_REASON));
  if (rows.length !== filings.length) throw new Error(`the filing wrote ${rows.length} of ${filings.length} appeals`);
  return rows.sort((a, b) => a.filed_index - b.filed_index);
}

async function fileTogether(db: Db, filings: q.Filing[]): Promise<Array<Outcome<q.FiledRow>>> {
  if (filings.length > 1) {
    try {
      return (await withRetry(() => fileAll(db, filings))).map((value) => ({ value }));
    } catch {
      // One of them was refused (a ticket filed twice, a category that does not exist) and the
      // statement wrote none: each goes again alone, and gets its own answer.
    }
  }
  return Promise.all(
    filings.map(async (filing): Promise<Outcome<q.FiledRow>> => {
      try {
        return { value: (await withRetry(() => fileAll(db, [filing])))[0]! };
      } catch (error) {
        return { error };
      }
    }),
  );
}
