import { action, apiKeyAction, publicRoute } from '../../http/policy.ts';
import type { ActionRules } from '../accounts/viewer.ts';

/**
 * Open311's permissions. Reading services and requests is public (the spec's reads need no key,
 * and the answers carry no personal data). Filing and updating take a client's api key, which
 * acts as the role it was issued with: the appeals' own actions (appeal.create, and each step's
 * action) decide, so a key can do nothing a user of that role could not.
 */
export const open311Actions = {
  /** Issuing and revoking client applications' keys. */
  'open311.clients.manage': ['admin'],
} satisfies ActionRules;

export const open311Policy = {
  read: publicRoute,
  createRequest: apiKeyAction('appeal.create'),
  postUpdate: apiKeyAction('appeal.event'),
  manageClients: action('open311.clients.manage'),
};

/** The roles a key may be issued as: those whose work is filing appeals or taking their steps. */
export const clientRoles = ['hotline_office', 'street_office', 'community_committee', 'department_handler'] as const;
