import type { CountedAppeal } from '../evaluation/rollup-delta.ts';
import type { AppealState } from './lifecycle.ts';
import type { AppealInsert, AppealRow } from './queries.ts';

/**
 * What the monthly rollups count of an appeal: of the stored row, or of the row with the state a
 * step leads to (`state`, and the overdue flag stored with it). A writer hands the two to
 * evaluation's countAppealChange.
 */
export function countedOf(row: AppealRow | Omit<AppealInsert, 'ticket_no'>, state?: AppealState, overdue?: boolean): CountedAppeal {
  const time = (value: Date | string | null | undefined) => (value ? new Date(value) : null);
  return {
    receivedAt: new Date(row.received_at),
    lastCallbackAt: state ? state.lastCallbackAt : time(row.last_callback_at),
    districtCode: row.district_code,
    streetCode: row.street_code ?? null,
    communityCode: row.community_code ?? null,
    categoryCode: row.category_code,
    kind: row.kind,
    overdue: overdue ?? row.overdue_counted ?? false,
    contacted: state ? state.contacted : (row.contacted ?? null),
    solved: state ? state.solved : (row.solved ?? null),
    satisfaction: state ? state.satisfaction : (row.satisfaction ?? null),
  };
}
