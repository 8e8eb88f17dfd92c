import { appealActions } from '../appeals/policy.ts';
import { importActions } from '../appeals/import/policy.ts';
import { geoActions } from '../geo/policy.ts';
import { accountActions } from './policy.ts';
import { evaluationActions } from '../evaluation/policy.ts';
import { unitActions } from '../units/policy.ts';
import { programActions } from '../programs/policy.ts';
import { projectActions } from '../projects/policy.ts';
import { impactActions } from '../impact/policy.ts';
import { open311Actions } from '../open311/policy.ts';
import type { ActionRules, Role } from './viewer.ts';

/** Every action of every domain with the roles that may take it: the one table of permissions. */
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
  return Object.keys(actionRules).filter((name) => allows(role, name)).sort();
}
