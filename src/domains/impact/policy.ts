import { action } from '../../http/policy.ts';
import type { ActionRules } from '../accounts/viewer.ts';

/**
 * Who reads impact estimates. An estimate compares a program's communities with every other
 * community of the district (or the city), so only roles that read a district or wider take it:
 * the organization department that runs the programs, the hotline office, leadership (viewer)
 * and admins; the service then requires the viewer's scope to hold the whole comparison pool.
 */
export const impactActions = {
  'impact.read': ['admin', 'org_department', 'hotline_office', 'viewer'],
} satisfies ActionRules;

export const impactPolicy = {
  read: action('impact.read'),
};
