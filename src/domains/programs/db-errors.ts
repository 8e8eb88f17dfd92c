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
    throw new AppError('conflict', '该社区在这段时间已有本项目的在岗书记', 'The community already has a secretary of this program for these dates', [
      { field: 'startDate', message: '同一项目同一社区同一时间只能有一名在岗书记 / one active posting per community and program' },
    ]);
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
