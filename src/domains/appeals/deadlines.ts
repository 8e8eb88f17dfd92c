import type { Urgency } from '../../db/tables.ts';

/** A row of deadline_rule: limits in hours; a null category or urgency matches any. */
export interface DeadlineRule {
  categoryCode: string | null;
  urgency: Urgency | null;
  respondHours: number;
  handleHours: number;
}

/**
 * Used only if the deadline_rule table has lost even its default row: Beijing's regulation asks
 * for a response within 2 hours; 7 days to handle is the shipped default.
 */
export const fallbackRule: DeadlineRule = { categoryCode: null, urgency: null, respondHours: 2, handleHours: 168 };

/** 'heating.outage' → ['heating', 'heating.outage']: the category and every category above it. */
export function categoryLineage(code: string): string[] {
  const parts = code.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/**
 * The most specific rule that matches: naming the urgency beats not naming it (an urgent appeal
 * must not inherit a category's relaxed normal limit), then the deepest category wins.
 */
export function pickRule(rules: readonly DeadlineRule[], categoryCode: string, urgency: Urgency): DeadlineRule {
  const lineage = categoryLineage(categoryCode);
  const depth = (rule: DeadlineRule) => (rule.categoryCode === null ? 0 : lineage.indexOf(rule.categoryCode) + 1);
  const matching = rules.filter(
    (rule) => (rule.urgency === null || rule.urgency === urgency) && (rule.categoryCode === null || depth(rule) > 0),
  );
  const score = (rule: DeadlineRule) => (rule.urgency === null ? 0 : 100) + depth(rule);
  return (
    matching.reduce<DeadlineRule | undefined>((best, rule) => (!best || score(rule) > score(best) ? rule : best), undefined) ?? fallbackRule
  );
}

const hour = 3_600_000;

/** Due times count from the dispatch: the unit's clock starts when the work order reaches it. */
export function dueTimes(from: Date, rule: DeadlineRule): { responseDueAt: Date; handlingDueAt: Date } {
  return {
    responseDueAt: new Date(from.getTime() + Math.round(rule.respondHours * hour)),
    handlingDueAt: new Date(from.getTime() + Math.round(rule.handleHours * hour)),
  };
}
