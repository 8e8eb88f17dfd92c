import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import { AppError, invalid, notFound } from '../../errors.ts';
import { auditBy } from '../accounts/audit.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { inScope } from '../accounts/viewer.ts';
import { currentMonth } from '../evaluation/periods.ts';
import { idCursor, nextCursor } from '../../shared/paging.ts';
import { getProjectConfig } from './config.ts';
import { difference, figuresOver, relativeChange } from './figures.ts';
import { requirePastDate, requireProject } from './guards.ts';
import * as pq from './parts-queries.ts';
import type { BeforeAfter, LinkAppealsInput, LinkAppealsResult } from './parts-schemas.ts';
import { presentLinkedAppeal } from './present.ts';
import { aroundWork, monthsElapsed } from './windows.ts';

type Db = Kysely<Tables>;

/**
 * Links appeals the project answers, all or none. Each must be an appeal of the project's own
 * community: an appeal elsewhere (or outside the viewer's scope, which looks the same as absent)
 * is refused by its place in the list. Appeals already linked are left as they are.
 */
export async function linkAppeals(db: Db, projectId: number, input: LinkAppealsInput, viewer: Viewer): Promise<LinkAppealsResult> {
  return db.transaction().execute(async (trx) => {
    const project = await requireProject(trx, projectId, viewer, 'manage', true);
    const linkedOn = requirePastDate(input.linkedOn, 'linkedOn');
    const places = await pq.appealPlaces(trx, input.appealIds);
    const errors = input.appealIds.flatMap((id, i) => {
      const field = `appealIds.${i}`;
      const place = places.get(id);
      if (!place || !inScope(viewer, place.community_code ?? place.street_code ?? place.district_code))
        return [{ field, message: `没有诉求 ${id} / no appeal ${id}` }];
      if (place.community_code !== project.community_code) {
        return [
          {
            field,
            message: `诉求 ${id} 属于${place.community_code ? `社区 ${place.community_code}` : '尚未匹配社区'}，不是本项目所在社区 / appeal ${id} is not of community ${project.community_code}`,
          },
        ];
      }
      return [];
    });
    if (errors.length > 0) {
      throw invalid('只能关联本社区的诉求', `Only appeals of community ${project.community_code} can be linked`, errors);
    }
    const existing = new Set(await pq.alreadyLinked(trx, projectId, input.appealIds));
    const added = input.appealIds.filter((id) => !existing.has(id));
    await pq.insertLinks(
      trx,
      added.map((appealId) => ({ project_id: projectId, appeal_id: appealId, linked_on: linkedOn, linked_by: viewer.actor })),
    );
    if (added.length > 0) await auditBy(trx, viewer, 'project.appeals_link', 'project', projectId, { appealIds: added, linkedOn });
    return { added: added.length, alreadyLinked: existing.size };
  });
}

export async function unlinkAppeal(db: Db, projectId: number, appealId: number, viewer: Viewer): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireProject(trx, projectId, viewer, 'manage', true);
    if (!(await pq.deleteLink(trx, projectId, appealId)))
      throw notFound(`项目 ${projectId} 未关联诉求 ${appealId}`, `Project ${projectId} has no linked appeal ${appealId}`);
    await auditBy(trx, viewer, 'project.appeal_unlink', 'project', projectId, { appealId });
  });
}

export async function listLinkedAppeals(
  db: Db,
  projectId: number,
  page: { limit?: number | undefined; cursor?: string | undefined },
  viewer: Viewer,
) {
  await requireProject(db, projectId, viewer, 'read');
  const limit = page.limit ?? 50;
  const [rows, total] = await Promise.all([
    pq.listLinkedAppeals(db, projectId, { limit, before: idCursor(page.cursor) }),
    pq.countLinkedAppeals(db, projectId),
  ]);
  return { items: rows.map(presentLinkedAppeal), nextCursor: nextCursor(rows, limit, (r) => r.appeal_id), total };
}

/**
 * Appeals of the project's category in its community: the same number of whole months before
 * work started and after it was completed (see windows.ts for the month a date falls in).
 * Only a completed project has an after; one completed lately has a partial after, said so.
 */
export async function beforeAfter(db: Db, projectId: number, input: { months?: number | undefined }, viewer: Viewer): Promise<BeforeAfter> {
  const project = await requireProject(db, projectId, viewer, 'read');
  if (project.status !== 'completed' || project.actual_start_date === null || project.actual_end_date === null) {
    throw new AppError('conflict', '项目完成后才能比较前后的诉求', 'Before and after are compared once the project is completed', [
      { field: 'id', message: project.status },
    ]);
  }
  const months = input.months ?? (await getProjectConfig(db)).beforeAfterMonths;
  const windows = aroundWork(project.actual_start_date, project.actual_end_date, months);
  const [before, after] = await Promise.all([
    figuresOver(db, { code: project.community_code, window: windows.before, category: project.category_code }, viewer),
    figuresOver(db, { code: project.community_code, window: windows.after, category: project.category_code }, viewer),
  ]);
  const now = currentMonth();
  const afterElapsed = monthsElapsed(windows.after, now);
  return {
    projectId,
    communityCode: project.community_code,
    categoryCode: project.category_code,
    months,
    before: { ...windows.before, monthsElapsed: monthsElapsed(windows.before, now), figures: before },
    after: { ...windows.after, monthsElapsed: afterElapsed, figures: after },
    complete: now > windows.after.to,
    change: {
      volume: after.volume - before.volume,
      volumePercent: relativeChange(before.volume, after.volume),
      resolutionPoints: difference(before.resolutionRate, after.resolutionRate),
    },
  };
}
