import { action } from '../../http/policy.ts';
import { everyRole, inScope, type ActionRules, type Viewer } from '../accounts/viewer.ts';

/** Who may read and extend the registry of organizations. */
export const unitActions = {
  'units.read': everyRole,
  'units.manage': ['admin', 'org_department'],
} satisfies ActionRules;

export const unitPolicy = {
  read: action('units.read'),
  manage: action('units.manage'),
};

/**
 * A district's units are recorded by users whose scope holds the district; a municipal unit (no
 * district) is shared by every district, so only a city-wide user records one.
 */
export function mayRecordUnitIn(viewer: Viewer, districtCode: string | null): boolean {
  return districtCode === null ? viewer.scopeCode.length <= 2 : inScope(viewer, districtCode);
}

/** The read side of `unitVisibleTo` in queries.ts, for one unit already loaded. */
export function maySeeUnit(viewer: Viewer, districtCode: string | null): boolean {
  return districtCode === null || inScope(viewer, districtCode) || viewer.scopeCode.startsWith(districtCode);
}
