import { invalid, notFound } from '../../errors.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { cadreIdOfUser } from '../programs/queries.ts';
import { requireDate, shanghaiToday } from '../../shared/dates.ts';
import { mayManageProject, mayReadProject, outOfScope, refuseManage } from './policy.ts';
import * as q from './queries.ts';

/** The lookups every projects service starts with: the project exists and the viewer may touch it. */

/** The cadre a secretary's login names; other roles act by scope, not as a cadre. */
export async function ownCadreOf(db: q.Db, viewer: Viewer): Promise<number | null> {
  if (viewer.role !== 'secretary' || viewer.userId === null) return null;
  return cadreIdOfUser(db, viewer.userId);
}

/**
 * A project the viewer may read or change. Outside the scope it answers 403 like the programs
 * do (the project's community is no secret); a secretary changes only what their posting leads.
 */
export async function requireProject(db: q.Db, id: number, viewer: Viewer, mode: 'read' | 'manage', lock = false): Promise<q.ProjectRow> {
  const project = await q.findProject(db, id, lock);
  if (!project) throw notFound(`没有攻坚项目 ${id}`, `No project ${id}`);
  const access = { communityCode: project.community_code, leadCadreId: project.lead_cadre_id };
  const own = await ownCadreOf(db, viewer);
  if (mode === 'read' && !mayReadProject(viewer, access, own)) throw outOfScope(`项目 ${id}`, `Project ${id}`);
  if (mode === 'manage' && !mayManageProject(viewer, access, own)) throw refuseManage(viewer, `项目 ${id}`, `Project ${id}`);
  return project;
}

/** A day that has happened (Beijing time): results are recorded, not planned, through these. */
export function requirePastDate(value: string | undefined, field: string): string {
  const today = shanghaiToday();
  if (value === undefined) return today;
  const date = requireDate(value, field);
  if (date > today)
    throw invalid(`${date} 还没到（今天是 ${today}）`, `${date} is in the future (today is ${today})`, [{ field, message: `≤ ${today}` }]);
  return date;
}

export const optionalDate = (value: string | null | undefined, field: string) => (value == null ? value : requireDate(value, field));
