import { action } from '../../../http/policy.ts';
import { AppError } from '../../../errors.ts';
import type { ActionRules, Role, Viewer } from '../../accounts/viewer.ts';

/**
 * Imports are the hotline office's work (and the admin's): loading exports, reading what they
 * reported, matching rows to communities. Every row must lie inside the importer's scope.
 */
const importers: readonly Role[] = ['admin', 'hotline_office'];

export const importActions = {
  'appeal.import': importers,
  'appeal.import.read': importers,
  'appeal.import.match': importers,
} satisfies ActionRules;

export type ImportAction = keyof typeof importActions;

export const importPolicy = {
  upload: action('appeal.import'),
  read: action('appeal.import.read'),
  match: action('appeal.import.match'),
};

export function requireImportAction(viewer: Viewer, name: ImportAction): void {
  if (!(importActions[name] as readonly Role[]).includes(viewer.role)) {
    throw new AppError('forbidden', `当前角色无权执行 ${name}`, `Your role may not ${name}`);
  }
}
