import { AppError } from '../../errors.ts';
import { action } from '../../http/policy.ts';
import { everyRole, inScope, type ActionRules, type Role, type Viewer } from '../accounts/viewer.ts';

/**
 * Who may do what with the secretary programs. The organization department runs them; a
 * secretary logs their own duty days and apprentices; everyone else reads within their scope.
 * Admin and org_department may also log duty days (from paper sign-in sheets) inside their scope.
 */
export const programActions = {
  'programs.read': everyRole,
  'programs.manage': ['admin', 'org_department'],
  'programs.duty_days.log': ['admin', 'org_department', 'secretary'],
  'programs.apprenticeships.manage': ['admin', 'org_department', 'secretary'],
  // A district's dashboard (postings on duty, communities covered, the district's resolution rate):
  // the roles that read a whole district, as impact estimates are; the service then requires the
  // viewer's scope to hold the district.
  'programs.dashboard.read': ['admin', 'org_department', 'hotline_office', 'viewer'],
} satisfies ActionRules;

export const programPolicy = {
  read: action('programs.read'),
  manage: action('programs.manage'),
  logDutyDays: action('programs.duty_days.log'),
  manageApprenticeships: action('programs.apprenticeships.manage'),
  readDashboard: action('programs.dashboard.read'),
};

/** Roles that see a cadre's phone number; everyone else sees 138****5678. */
export const cadreContactRoles: readonly Role[] = ['admin', 'org_department'];

/** A program, its batches and the communities they cover are managed by users whose scope holds its district. */
export const mayManageDistrict = (viewer: Viewer, districtCode: string) => inScope(viewer, districtCode);

/** A district's program is read by its users and by the users of its streets and communities. */
export const mayReadDistrict = (viewer: Viewer, districtCode: string) =>
  inScope(viewer, districtCode) || viewer.scopeCode.startsWith(districtCode);

/** Postings, duty days and apprenticeships belong to a community: read and changed inside its scope. */
export const mayTouchCommunity = (viewer: Viewer, communityCode: string) => inScope(viewer, communityCode);

export const outOfScope = (zh: string, en: string) => new AppError('forbidden', `${zh}不在您的管辖范围内`, `${en} is outside your scope`);
