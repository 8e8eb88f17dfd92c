import { appealActions } from '../domains/appeals/policy.ts';
import { importActions } from '../domains/appeals/import/policy.ts';
import { geoActions } from '../domains/geo/policy.ts';
import { accountActions } from '../domains/accounts/policy.ts';
import { evaluationActions } from '../domains/evaluation/policy.ts';
import { unitActions } from '../domains/units/policy.ts';
import { programActions } from '../domains/programs/policy.ts';
import { projectActions } from '../domains/projects/policy.ts';
import { impactActions } from '../domains/impact/policy.ts';
import { open311Actions } from '../domains/open311/policy.ts';
import type { ActionRules, Role } from '../domains/accounts/viewer.ts';

/**
 * Every action of every domain with the roles that may take it: the one table of permissions.
 * It sits beside the route policies, above the domains, so that accounts (which every domain
 * uses) need not import every domain to check a role.
 */
export const actionRules: ActionRules = {
  ...geoActions,
  ...accountActions,
  ...evaluationActions,
  ...appealActions,
  ...importActions,
  ...unitActions,
  ...programActions,
  ...projectActions,
  ...impactActions,
  ...open311Actions,
};

export const knownActions: ReadonlySet<string> = new Set(Object.keys(actionRules));

export function allows(role: Role, actionName: string): boolean {
  return actionRules[actionName]?.includes(role) ?? false;
}

/** What a role may do, sent to the web app so it hides what the user cannot press. */
export function abilitiesOf(role: Role): string[] {
  return Object.keys(actionRules)
    .filter((name) => allows(role, name))
    .sort();
}
