import { AppError } from '../../errors.ts';
import { action } from '../../http/policy.ts';
import { everyRole, inScope, type ActionRules, type Role, type Viewer } from '../accounts/viewer.ts';

/**
 * Who may do what with hard-nut projects. Streets, communities, the organization department and
 * admins work projects inside their scope; a secretary works the projects their own posting
 * leads; everyone reads inside their scope.
 */
export const projectActions = {
  'projects.read': everyRole,
  'projects.manage': ['admin', 'org_department', 'street_office', 'community_committee', 'secretary'],
  'projects.configure': ['admin'],
} satisfies ActionRules;

export const projectPolicy = {
  read: action('projects.read'),
  manage: action('projects.manage'),
  configure: action('projects.configure'),
};

const scopedManagers: readonly Role[] = ['admin', 'org_department', 'street_office', 'community_committee'];

export interface ProjectAccess {
  communityCode: string;
  /** The cadre of the posting that leads the project now, if any. */
  leadCadreId: number | null;
}

/** `ownCadreId` is the cadre the viewer's login names (secretaries only), null otherwise. */
export function mayManageProject(viewer: Viewer, project: ProjectAccess, ownCadreId: number | null): boolean {
  if (viewer.role === 'secretary') return ownCadreId !== null && ownCadreId === project.leadCadreId;
  return scopedManagers.includes(viewer.role) && inScope(viewer, project.communityCode);
}

/** Inside the scope, or a secretary's own project wherever it lies. */
export function mayReadProject(viewer: Viewer, project: ProjectAccess, ownCadreId: number | null): boolean {
  return (
    inScope(viewer, project.communityCode) || (viewer.role === 'secretary' && ownCadreId !== null && ownCadreId === project.leadCadreId)
  );
}

/** The refusal that fits: the role never changes projects, a secretary's project is not theirs, or it lies outside the scope. */
export function refuseManage(viewer: Viewer, zh: string, en: string): AppError {
  if (viewer.role === 'secretary')
    return new AppError('forbidden', '书记只能修改本人选派牵头的项目', 'A secretary changes only the projects their own posting leads');
  if (!scopedManagers.includes(viewer.role))
    return new AppError('forbidden', '当前角色无权修改攻坚项目', 'Your role may not change projects');
  return outOfScope(zh, en);
}

export const outOfScope = (zh: string, en: string) => new AppError('forbidden', `${zh}不在您的管辖范围内`, `${en} is outside your scope`);
