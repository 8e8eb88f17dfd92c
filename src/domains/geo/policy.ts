import { action, publicRoute } from '../../http/policy.ts';

/** Who may do what with divisions and community profiles. */
export const geoPolicy = {
  /** The national divisions are published reference data. */
  readDivisions: publicRoute,
  readProfile: action('geo.profile.read'),
  editProfile: action('geo.profile.edit'),
};
