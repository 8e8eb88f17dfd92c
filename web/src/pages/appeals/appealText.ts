import type { TKey } from '../../i18n.tsx';
import {
  KINDS,
  STATUSES,
  type Appeal,
  type AppealChannel,
  type AppealEventType,
  type AppealFilter,
  type AppealKind,
  type AppealStatus,
  type Satisfaction,
  type Step,
  type UnitType,
  type Urgency,
} from './api.ts';

export const channelKey = (c: AppealChannel): TKey => `appeals.channel.${c}`;
export const kindKey = (k: AppealKind): TKey => `appeals.kind.${k}`;
export const statusKey = (s: AppealStatus): TKey => `appeals.status.${s}`;
export const urgencyKey = (u: Urgency): TKey => `appeals.urgency.${u}`;
export const unitTypeKey = (u: UnitType): TKey => `appeals.unitType.${u}`;
export const satisfactionKey = (s: Satisfaction): TKey => `appeals.satisfaction.${s}`;
export const stepKey = (s: Step): TKey => `appeal.step.${s}`;
export const stepDoneKey = (s: Step): TKey => `appeal.stepDone.${s}`;
export const eventKey = (e: AppealEventType): TKey => `appeal.event.${e}`;

/** antd Tag colours: blue while the hotline or a unit owes the next step, green once closed. */
export const statusColor: Record<AppealStatus, string> = {
  received: 'default',
  dispatched: 'processing',
  returned: 'warning',
  responded: 'cyan',
  handled: 'geekblue',
  called_back: 'purple',
  closed: 'success',
};

export function categoryName(a: Pick<Appeal, 'categoryNameZh' | 'categoryNameEn'>, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? a.categoryNameZh : a.categoryNameEn;
}

/** The most specific place an appeal names: its community, else its street, else its district. */
export function placeName(a: Pick<Appeal, 'communityName' | 'streetName' | 'districtName'>): string {
  return a.communityName ?? a.streetName ?? a.districtName;
}

export type DueState = 'none' | 'open' | 'late' | 'done' | 'doneLate';

/**
 * One due time against the step that meets it, the server's overdue rule (lifecycle.isOverdue):
 * late when the step is not done and the time has passed.
 */
export function dueState(due: string | null, done: string | null, now: number): DueState {
  if (due === null) return 'none';
  const dueAt = new Date(due).getTime();
  if (done !== null) return new Date(done).getTime() > dueAt ? 'doneLate' : 'done';
  return dueAt < now ? 'late' : 'open';
}

/**
 * The street office a street's appeals usually go to: 六里桥街道 → 六里桥街道办事处,
 * 长辛店镇 → 长辛店镇人民政府, 南苑地区 → 南苑地区办事处. A suggestion only; the user may type any unit.
 */
export function streetOfficeName(streetName: string | null): string | null {
  if (!streetName) return null;
  if (streetName.endsWith('街道') || streetName.endsWith('地区')) return `${streetName}办事处`;
  if (streetName.endsWith('镇') || streetName.endsWith('乡')) return `${streetName}人民政府`;
  return null;
}

// ---- The queue's filters in the URL: the same names the API takes, so a link reproduces the list.

const isKind = (v: string): v is AppealKind => (KINDS as readonly string[]).includes(v);
const isStatus = (v: string): v is AppealStatus => (STATUSES as readonly string[]).includes(v);
const isDay = (v: string | null): v is string => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isCode = (v: string | null): v is string => v !== null && /^\d{2,12}$/.test(v);

export function filterFromSearch(params: URLSearchParams): AppealFilter {
  const filter: AppealFilter = {};
  const division = params.get('division');
  if (isCode(division)) filter.division = division;
  const category = params.get('category');
  if (category) filter.category = category;
  const kinds = params.getAll('kind').filter(isKind);
  if (kinds.length > 0) filter.kind = kinds;
  const statuses = params.getAll('status').filter(isStatus);
  if (statuses.length > 0) filter.status = statuses;
  if (params.get('overdue') === 'true') filter.overdue = true;
  const from = params.get('receivedFrom');
  if (isDay(from)) filter.receivedFrom = from;
  const to = params.get('receivedTo');
  if (isDay(to)) filter.receivedTo = to;
  const q = params.get('q')?.trim();
  if (q) filter.q = q;
  return filter;
}

export function searchFromFilter(filter: AppealFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.division) params.set('division', filter.division);
  if (filter.category) params.set('category', filter.category);
  for (const k of filter.kind ?? []) params.append('kind', k);
  for (const s of filter.status ?? []) params.append('status', s);
  if (filter.overdue) params.set('overdue', 'true');
  if (filter.receivedFrom) params.set('receivedFrom', filter.receivedFrom);
  if (filter.receivedTo) params.set('receivedTo', filter.receivedTo);
  if (filter.q) params.set('q', filter.q);
  return params;
}
