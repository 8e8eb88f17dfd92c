import { action, publicRoute } from '../../http/policy.ts';
import { AppError } from '../../errors.ts';
import { personalDataRoles } from '../accounts/policy.ts';
import { everyRole, type ActionRules, type Role, type Viewer } from '../accounts/viewer.ts';
import type { Step } from './lifecycle.ts';

/**
 * Who may do what with appeals. The table is data, merged into accounts' actionRules: the
 * accounts module enforces each route's action, and since one route takes every step, the
 * service checks the step's own action too.
 */
const handlers: readonly Role[] = ['admin', 'street_office', 'community_committee', 'department_handler'];
const hotline: readonly Role[] = ['admin', 'hotline_office'];

export const appealActions = {
  'appeal.read': everyRole,
  // Secretaries file appeals for residents they help; streets and communities take walk-ins.
  'appeal.create': ['admin', 'hotline_office', 'street_office', 'community_committee', 'secretary'],
  /** Taking any step; which step a role may take is the step's own action below. */
  'appeal.event': [...new Set([...hotline, ...handlers])],
  'appeal.dispatch': hotline,
  'appeal.return': handlers,
  'appeal.respond': handlers,
  'appeal.handle': handlers,
  'appeal.callback': hotline,
  'appeal.close': hotline,
  'appeal.reopen': hotline,
  /** Unmasking a reporter's name and phone: deliberate, and written to the audit log. */
  'appeal.reveal_reporter': [...personalDataRoles],
} satisfies ActionRules;

export type AppealAction = keyof typeof appealActions;

export const stepActions: Record<Step, AppealAction> = {
  dispatch: 'appeal.dispatch',
  return: 'appeal.return',
  respond: 'appeal.respond',
  handle: 'appeal.handle',
  callback: 'appeal.callback',
  close: 'appeal.close',
  reopen: 'appeal.reopen',
};

export const appealPolicy = {
  read: action('appeal.read'),
  create: action('appeal.create'),
  appendEvent: action('appeal.event'),
  revealReporter: action('appeal.reveal_reporter'),
  /** The category tree is published reference data, like Open311's service list. */
  readCategories: publicRoute,
};

export function mayTake(viewer: Pick<Viewer, 'role'>, name: AppealAction): boolean {
  return (appealActions[name] as readonly Role[]).includes(viewer.role);
}

export function requireAction(viewer: Viewer, name: AppealAction): void {
  if (!mayTake(viewer, name)) {
    throw new AppError('forbidden', `当前角色无权执行 ${name}`, `Your role may not ${name}`);
  }
}

/** The steps a handling unit takes on what was dispatched to it. */
const unitSteps: ReadonlySet<Step> = new Set<Step>(['return', 'respond', 'handle']);

/**
 * A department handler acts only on appeals dispatched to its own unit (issue 17: one could
 * respond to and return an appeal dispatched to another unit of its district). Streets and
 * communities act by place, which their scope already decides; the hotline and admins dispatch.
 * Call with the appeal's current dispatched unit before taking `step`.
 */
export function requireOwnUnit(
  viewer: Pick<Viewer, 'role' | 'unitName'>,
  dispatchedUnit: { name: string } | null | undefined,
  step: Step,
): void {
  if (viewer.role !== 'department_handler' || !unitSteps.has(step)) return;
  const mine = viewer.unitName?.trim();
  if (!mine || dispatchedUnit?.name.trim() !== mine) {
    throw new AppError('forbidden', '只能办理派给本单位的诉求', 'You may act only on appeals dispatched to your own unit');
  }
}

/** Reporters' names and phones, unmasked: only roles whose work needs them (accounts' list). */
export function maySeePersonalData(viewer: Pick<Viewer, 'role'>): boolean {
  return (personalDataRoles as readonly Role[]).includes(viewer.role);
}
