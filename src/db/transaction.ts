import type { Kysely, Transaction } from 'kysely';
import type { Tables } from './tables.ts';

/**
 * PostgreSQL's answers that mean "nothing was wrong with this transaction, only its timing":
 * deadlock_detected and serialization_failure. Running it again from the start is the remedy
 * PostgreSQL's documentation gives for both.
 */
const RETRYABLE = new Set(['40P01', '40001']);

export const isRetryable = (error: unknown): boolean => RETRYABLE.has(String((error as { code?: unknown } | null)?.code));

/**
 * Runs `work` in a transaction, again (up to `attempts` times, after a short random pause) when
 * PostgreSQL aborts it for a deadlock or a serialization failure, so that a race between writers
 * never reaches a user as a 500. `work` must do nothing outside the database that a second run
 * would repeat.
 */
export async function transact<T>(db: Kysely<Tables>, work: (trx: Transaction<Tables>) => Promise<T>, attempts = 5): Promise<T> {
  return withRetry(() => db.transaction().execute(work), attempts);
}

/** Runs `work` (a transaction, or one statement that commits alone) again as transact does. */
export async function withRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      // Spread the retries out, so that the same writers do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
