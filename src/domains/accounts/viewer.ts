/**
 * Who is looking: the role and the division scope that every service call is filtered by.
 * Services take a Viewer, never a raw request.
 */
export const roles = [
  'admin',
  'org_department',
  'hotline_office',
  'street_office',
  'community_committee',
  'secretary',
  'department_handler',
  'viewer',
] as const;
export type Role = (typeof roles)[number];

export interface Viewer {
  /** The user's id, or null for the system itself (CLI, demo loader). */
  userId: number | null;
  /** What the audit log calls this viewer, e.g. the login name. */
  actor: string;
  role: Role;
  /** Natural division code of the scope: '11' is all of Beijing, '110106' Fengtai, and so on. */
  scopeCode: string;
  /**
   * The unit a user works for (a department handler's department), when recorded: handlers act
   * only on what was dispatched to it.
   */
  unitName?: string | null;
}

/** A division lies inside a scope when its code begins with the scope's code. */
export function inScope(viewer: Pick<Viewer, 'scopeCode'>, divisionCode: string): boolean {
  return divisionCode.startsWith(viewer.scopeCode);
}

/** The system acting for itself (CLI commands, first-start loading, the demo world): every province. */
export const systemViewer: Viewer = { userId: null, actor: 'system', role: 'admin', scopeCode: '' };

/** Which roles may take an action; each domain's policy.ts declares its own. */
export type ActionRules = Record<string, readonly Role[]>;

export const everyRole: readonly Role[] = roles;
