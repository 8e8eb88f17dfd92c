import type { ProjectStatus } from '../../db/tables.ts';
import { auditBy } from '../accounts/audit.ts';
import { statusLabels } from './lifecycle.ts';
import { openProjectsLedBy, setLeadPosting, type Db } from './queries.ts';

export interface CarriedProject {
  projectId: number;
  title: string;
  status: ProjectStatus;
}

/**
 * A project outlives its lead's posting: when a posting is succeeded (or renewed), the projects
 * it leads that are neither completed nor cancelled pass to the new posting. Called by the
 * programs inside their own transaction, so the move and the new posting land or fail together.
 * Completed projects stay with the posting that finished them: their credit is its own.
 */
export async function carryOpenProjects(
  trx: Db,
  input: { fromPostingId: number; toPostingId: number; actor: string },
): Promise<CarriedProject[]> {
  const open = await openProjectsLedBy(trx, input.fromPostingId);
  await setLeadPosting(
    trx,
    open.map((p) => p.id),
    input.toPostingId,
  );
  for (const project of open) {
    await auditBy(trx, input, 'project.carry', 'project', project.id, {
      fromPostingId: input.fromPostingId,
      toPostingId: input.toPostingId,
      status: project.status,
    });
  }
  return open.map((p) => ({ projectId: p.id, title: p.title, status: p.status }));
}

/** How a carried project reads among the handover's open items. */
export const openItemOf = (project: CarriedProject) => ({
  description: `攻坚项目：${project.title}（${statusLabels[project.status].zh}）`,
  projectId: project.projectId,
});
