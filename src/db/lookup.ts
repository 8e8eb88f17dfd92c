import type { Kysely } from 'kysely';
import { Batcher } from '../shared/batcher.ts';

/**
 * Lookups waiting while this many are under way go together (src/shared/batcher.ts): under light
 * load every lookup runs at once and alone; at 50 clients stepping appeals most go in twos to
 * tens, and the server spent 15 % less CPU per step (bench/intake.ts, BENCHMARKS.md).
 */
const LANES = 2;
const MOST = 64;

/**
 * A lookup by key that many requests make at the same moment (the appeal a step names, the API
 * token a request brings), sent as one statement over an array of keys (`readMany`) for all the
 * lookups that wait together. `keyOf` gives a found row's key, as the caller gave it; a key
 * without a row is answered with undefined. Each lookup still reads what was committed before it
 * was asked: a waiting lookup goes in a statement that starts after it.
 *
 * In a transaction a lookup is the transaction's own; with a Kysely that has plugins (a test's
 * statement recorder) each lookup is its own statement too.
 */
export function batchedLookup<DB, K, R>(
  readMany: (db: Kysely<DB>, keys: K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
): (db: Kysely<DB>, key: K) => Promise<R | undefined> {
  const queues = new WeakMap<Kysely<DB>, Batcher<K, R | undefined>>();
  return async (db, key) => {
    if (db.isTransaction || db.getExecutor().plugins.length > 0) return (await readMany(db, [key])).find((row) => keyOf(row) === key);
    let queue = queues.get(db);
    if (!queue) {
      queue = new Batcher(
        async (keys: K[]) => {
          const found = new Map((await readMany(db, keys)).map((row) => [keyOf(row), row]));
          return keys.map((k) => ({ value: found.get(k) }));
        },
        LANES,
        MOST,
      );
      queues.set(db, queue);
    }
    return queue.submit(key);
  };
}
