import { AppError } from '../../errors.ts';

/** The SQLSTATE and constraint of a database error, whichever driver raised it (pg and PGlite both set them). */
function pgError(error: unknown): { code: string; constraint?: string } | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code, constraint } = error as { code: unknown; constraint?: unknown };
  return typeof code === 'string' ? { code, ...(typeof constraint === 'string' ? { constraint } : {}) } : undefined;
}

/**
 * Turns the constraints that guard the programs into the errors a user can act on. They fire when
 * two requests race past the service's own checks; anything else is rethrown untouched.
 */
export function translateConstraint(error: unknown): never {
  const pg = pgError(error);
  if (pg?.code === '23P01' && pg.constraint === 'posting_one_active_per_community') {
    throw new AppError(
      'conflict',
      '该社区在这段时间已有本项目的在岗书记',
      'The community already has a secretary of this program for these dates',
      [{ field: 'startDate', message: '同一项目同一社区同一时间只能有一名在岗书记 / one active posting per community and program' }],
    );
  }
  if (pg?.code === '23505' && pg.constraint === 'duty_day_posting_id_duty_date_key') {
    throw new AppError('conflict', '这一天已经登记过了', 'That day is already logged', [{ field: 'date', message: 'duplicate' }]);
  }
  if (pg?.code === '23505' && pg.constraint === 'posting_predecessor_posting_id_key') {
    throw new AppError('conflict', '该选派已有接任或续任', 'The posting already has a successor or renewal');
  }
  if (pg?.code === '23505' && pg.constraint === 'batch_program_id_number_key') {
    throw new AppError('conflict', '该批次编号已存在', 'A batch with that number exists', [{ field: 'number', message: 'taken' }]);
  }
  throw error;
}

/** Failures that a second try of the same transaction clears: a deadlock, a serialization failure. */
const retryable = new Set(['40P01', '40001']);

/**
 * Runs a whole transaction again when PostgreSQL picked it as a deadlock's victim. Concurrent
 * inserts that clash on an exclusion constraint (two postings of one community at once) can wait
 * on each other; retried, the loser sees the winner's row and gets its conflict (409) instead of
 * a 500. Gives up after `attempts` tries and rethrows.
 */
export async function retryingDeadlocks<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !retryable.has(pgError(error)?.code ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
