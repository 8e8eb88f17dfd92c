import type { Kysely } from 'kysely';
import type { Tables } from '../../db/tables.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { getProjectConfig } from './config.ts';
import { ownCadreOf, requireProject } from './guards.ts';
import { transitions } from './lifecycle.ts';
import * as pq from './parts-queries.ts';
import type { ProjectDetail } from './parts-schemas.ts';
import { mayManageProject } from './policy.ts';
import {
  presentConsultation,
  presentFund,
  presentLinkedAppeal,
  presentMilestone,
  presentOutput,
  presentProject,
  presentStakeholder,
  yuan,
} from './present.ts';
import * as q from './queries.ts';

/** How many linked appeals the project page shows before it pages through the rest. */
const LINKED_ON_PAGE = 20;

/**
 * A project with everything its page shows, and whether the viewer may change it, so the web app
 * hides the buttons instead of guessing.
 */
export async function getProject(db: Kysely<Tables>, id: number, viewer: Viewer): Promise<ProjectDetail> {
  const project = await requireProject(db, id, viewer, 'read');
  const [row, config, own, stakeholders, consultations, milestones, funds, outputs, linked, linkedTotal, history] = await Promise.all([
    q.findProjectView(db, id),
    getProjectConfig(db),
    ownCadreOf(db, viewer),
    pq.listStakeholders(db, id),
    pq.listConsultations(db, id),
    pq.listMilestones(db, id),
    pq.listFunds(db, id),
    pq.listOutputs(db, id),
    pq.listLinkedAppeals(db, id, { limit: LINKED_ON_PAGE }),
    pq.countLinkedAppeals(db, id),
    q.statusHistory(db, id),
  ]);
  const manage = mayManageProject(viewer, { communityCode: project.community_code, leadCadreId: project.lead_cadre_id }, own);
  return {
    ...presentProject(row!, config),
    stakeholders: stakeholders.map(presentStakeholder),
    consultations: consultations.map(presentConsultation),
    milestones: milestones.map(presentMilestone),
    funds: funds.map(presentFund),
    fundsTotal: yuan(funds.reduce((sum, f) => sum + f.amount, 0)),
    outputs: outputs.map(presentOutput),
    linkedAppeals: {
      items: linked.map(presentLinkedAppeal),
      total: linkedTotal,
      // The rest pages on through GET /projects/{id}/appeals with this cursor.
      nextCursor: linked.length === LINKED_ON_PAGE ? String(linked[linked.length - 1]!.appeal_id) : null,
    },
    history: history.map((h) => ({ from: h.from_status, to: h.to_status, date: h.changed_on, note: h.note, actor: h.actor })),
    allowedTransitions: [...transitions[project.status]],
    abilities: { manage },
  };
}
