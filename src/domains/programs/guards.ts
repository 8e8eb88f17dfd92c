import type { Kysely, Transaction } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { findDivision } from '../geo/queries.ts';
import { parseCode } from '../geo/service.ts';
import { mayManageDistrict, mayReadDistrict, mayTouchCommunity, outOfScope } from './policy.ts';
import * as q from './queries.ts';

/** The lookups every programs service starts with: the thing exists and the viewer may touch it. */
export type Db = Kysely<Tables> | Transaction<Tables>;

export async function requireProgram(db: Db, id: number, viewer: Viewer, mode: 'read' | 'manage'): Promise<q.ProgramRow> {
  const program = await q.findProgram(db, id);
  if (!program) throw notFound(`没有项目 ${id}`, `No program ${id}`);
  const allowed = mode === 'read' ? mayReadDistrict(viewer, program.district_code) : mayManageDistrict(viewer, program.district_code);
  // By id, not by name: the name is what the caller may not read.
  if (!allowed) throw outOfScope(`项目 ${id}`, `Program ${id}`);
  return program;
}

export async function requireBatch(
  db: Db,
  id: number,
  viewer: Viewer,
  mode: 'read' | 'manage',
): Promise<{ batch: q.BatchRow; program: q.ProgramRow }> {
  const batch = await q.findBatch(db, id);
  if (!batch) throw notFound(`没有批次 ${id}`, `No batch ${id}`);
  return { batch, program: await requireProgram(db, batch.program_id, viewer, mode) };
}

/** A community (natural or padded code) that exists and lies inside the viewer's scope. */
export async function requireCommunity(
  db: Db,
  input: string,
  viewer: Viewer,
  field = 'communityCode',
): Promise<{ code: string; name: string }> {
  const code = parseCode(input, field);
  const division = await findDivision(db, code);
  if (division?.level !== 'community') {
    throw new AppError('not_found', `没有社区（村）${input}`, `No community ${input}`, [{ field, message: 'not found' }]);
  }
  if (!mayTouchCommunity(viewer, division.code)) throw outOfScope(division.name, division.name);
  return { code: division.code, name: division.name };
}

/**
 * A posting the viewer may act on. Reading and managing follow the community's scope; logging
 * (duty days, apprentices) is a secretary's own business: their login must name the posting's cadre.
 */
export async function requirePosting(
  db: Db,
  id: number,
  viewer: Viewer,
  mode: 'read' | 'manage' | 'log',
  lock = false,
): Promise<q.PostingRow> {
  const posting = await q.findPosting(db, id, lock);
  if (!posting) throw notFound(`没有选派 ${id}`, `No posting ${id}`);
  if (viewer.role === 'secretary' && mode !== 'manage') {
    const own = viewer.userId !== null && (await q.cadreIdOfUser(db, viewer.userId)) === posting.cadre_id;
    // A secretary always reads their own posting; other postings only inside their scope, never to log on.
    if (own || (mode === 'read' && mayTouchCommunity(viewer, posting.community_code))) return posting;
    if (mode === 'log') throw new AppError('forbidden', '书记只能为本人的选派登记', 'A secretary logs only on their own posting');
  }
  if (!mayTouchCommunity(viewer, posting.community_code)) throw outOfScope(`选派 ${id}`, `Posting ${id}`);
  return posting;
}
