import type { Kysely, Transaction } from 'kysely';
import { withRetry } from '../../db/transaction.ts';
import type { Tables } from '../../db/tables.ts';
import { Batcher, type Outcome } from '../../shared/batcher.ts';
import { writeAndCountAll } from '../evaluation/rollup.ts';
import { countedOf } from './counted.ts';
import * as q from './queries.ts';

type Db = Kysely<Tables> | Transaction<Tables>;

/** A step to write, with the appeal as it was read: what the rollups counted of it before. */
export interface QueuedStep extends q.StepWrite {
  row: q.AppealRow;
}

/**
 * Steps taken at the same moment are written together, as appeals filed together are
 * (filing-queue.ts): at 50 clients stepping through appeals, one statement carries many steps, so
 * PostgreSQL parses, plans and commits once for them. Each step keeps its own guard: one whose
 * appeal moved on meanwhile is not written (its answer is no events) while the others are.
 */
const LANES = 4;
const MOST = 64;

const queues = new WeakMap<Kysely<Tables>, Batcher<QueuedStep, q.EventRow[]>>();

/**
 * Writes one step with its event, audit entry and rollup counts: the appeal's events, the
 * appended one last, or none when the appeal was no longer as it was read.
 */
export function writeStep(db: Db, step: QueuedStep): Promise<q.EventRow[]> {
  // Inside a caller's transaction the step is the caller's, and cannot be shared.
  if (db.isTransaction) return writeAll(db, [step], false).then((events) => events[0]!);
  let queue = queues.get(db);
  if (!queue) {
    queue = new Batcher((steps) => writeTogether(db, steps), LANES, MOST);
    queues.set(db, queue);
  }
  return queue.submit(step);
}

/**
 * Each step's events, in the steps' order; none for a step not written. With `skipHeld`, a step
 * whose appeal another transaction holds is not written either, instead of waited for.
 */
async function writeAll(db: Db, steps: QueuedStep[], skipHeld: boolean): Promise<q.EventRow[][]> {
  const changes = steps.map((step) => ({ before: countedOf(step.row), after: countedOf(step.row, step.state, step.overdueCounted) }));
  const rows = await withRetry(() =>
    writeAndCountAll<q.SteppedEventRow>(db, changes, q.appealSteps(steps, skipHeld), (row) => Number(row.step_index)),
  );
  const events = steps.map((): q.EventRow[] => []);
  for (const { step_index: index, ...event } of rows) events[Number(index) - 1]!.push(event);
  return events;
}

/**
 * A lane never waits for an appeal another transaction holds (an import holds its appeals until
 * it commits, which may be minutes): such a step, and one whose appeal moved on, goes again
 * alone outside the lane (`later`), waits for the appeal if it must and gets its own answer,
 * while the steps written are answered at once and the lane takes the next ones.
 */
async function writeTogether(db: Db, steps: QueuedStep[]): Promise<Array<Outcome<q.EventRow[]>>> {
  const alone = (step: QueuedStep): Outcome<q.EventRow[]> => ({ later: writeAll(db, [step], false).then((events) => events[0]!) });
  try {
    return (await writeAll(db, steps, true)).map((events, i) => (events.length > 0 ? { value: events } : alone(steps[i]!)));
  } catch {
    // One of them was refused by the database: the statement wrote none, and each goes again
    // alone to get its own answer.
    return steps.map(alone);
  }
}
