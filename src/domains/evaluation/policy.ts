import { action } from '../../http/policy.ts';
import { everyRole, type ActionRules } from '../accounts/viewer.ts';

/** Everyone reads the figures of their own scope; only admins change the rules or rebuild. */
export const evaluationActions = {
  'evaluation.read': everyRole,
  'evaluation.configure': ['admin'],
  'evaluation.maintain': ['admin'],
} satisfies ActionRules;

export const evaluationPolicy = {
  read: action('evaluation.read'),
  configure: action('evaluation.configure'),
  maintain: action('evaluation.maintain'),
};
