import { action, authenticatedRoute, publicRoute } from '../../http/policy.ts';
import type { ActionRules } from './viewer.ts';

export const accountActions = {
  'users.manage': ['admin'],
  'audit.read': ['admin'],
} satisfies ActionRules;

export const accountPolicy = {
  login: publicRoute,
  session: authenticatedRoute,
  manageUsers: action('users.manage'),
  readAudit: action('audit.read'),
};

/** Roles whose work needs residents' names and phone numbers; everyone else sees them masked. */
export const personalDataRoles = ['admin', 'hotline_office', 'street_office', 'community_committee'] as const;
