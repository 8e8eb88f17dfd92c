import { action, publicRoute } from '../../http/policy.ts';
import { everyRole, inScope, type ActionRules, type Viewer } from '../accounts/viewer.ts';

/** Who may do what with divisions and community profiles. */
export const geoActions = {
  'geo.profile.read': everyRole,
  'geo.profile.edit': ['admin', 'org_department', 'street_office', 'community_committee'],
} satisfies ActionRules;

export const geoPolicy = {
  /** The national divisions are published reference data. */
  readDivisions: publicRoute,
  readProfile: action('geo.profile.read'),
  editProfile: action('geo.profile.edit'),
};

/** A profile is read and edited only by users whose scope holds the community. */
export const mayTouchCommunity = (viewer: Viewer, communityCode: string) => inScope(viewer, communityCode);
