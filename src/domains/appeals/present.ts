import type { AppealState, AppealEvent, EventDataByType } from './lifecycle.ts';
import { isOverdue } from './lifecycle.ts';
import type { AppealRow, EventRow } from './queries.ts';
import type { Appeal, AppealEventView } from './schemas.ts';

/** The lifecycle state a stored row holds. */
export function stateOfRow(row: AppealRow): AppealState {
  return {
    status: row.status,
    version: row.version,
    lastEventAt: row.last_event_at,
    dispatchedUnit:
      row.dispatched_unit !== null && row.dispatched_unit_type !== null
        ? { name: row.dispatched_unit, type: row.dispatched_unit_type }
        : null,
    dispatchedAt: row.dispatched_at,
    responseDueAt: row.response_due_at,
    handlingDueAt: row.handling_due_at,
    respondedAt: row.responded_at,
    handledAt: row.handled_at,
    contacted: row.contacted,
    solved: row.solved,
    satisfaction: row.satisfaction,
    lastCallbackAt: row.last_callback_at,
    closedAt: row.closed_at,
  };
}

/** An event as the lifecycle reads it back. Its data was written by this domain's service. */
export function eventOfRow(row: EventRow): AppealEvent {
  return { type: row.type, at: row.at, actor: row.actor, data: row.data as EventDataByType[typeof row.type] } as AppealEvent;
}

/** 张三丰 → 张**: the family name stays so a caller can still be addressed; the length does not leak. */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const first = [...name.trim()][0];
  return first === undefined ? '' : `${first}**`;
}

/** 13812345678 → 138****5678; shorter numbers keep only their last four digits. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length > 4) return `****${digits.slice(-4)}`;
  return '****';
}

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

export function presentAppeal(row: AppealRow, options: { personalData: boolean; now: Date }): Appeal {
  const state = stateOfRow(row);
  const masked = !options.personalData;
  return {
    id: row.id,
    ticketNo: row.ticket_no,
    channel: row.channel,
    receivedAt: row.received_at.toISOString(),
    kind: row.kind,
    categoryCode: row.category_code,
    categoryNameZh: row.category_name_zh,
    categoryNameEn: row.category_name_en,
    description: row.description,
    address: row.address,
    communityCode: row.community_code,
    communityName: row.community_name,
    streetCode: row.street_code,
    streetName: row.street_name,
    districtCode: row.district_code,
    districtName: row.district_name,
    reporterName: masked ? maskName(row.reporter_name) : row.reporter_name,
    reporterPhone: masked ? maskPhone(row.reporter_phone) : row.reporter_phone,
    personalDataMasked: masked,
    urgency: row.urgency,
    historical: row.historical,
    duplicateOf: row.duplicate_of,
    status: state.status,
    dispatchedUnit: state.dispatchedUnit,
    dispatchedAt: iso(state.dispatchedAt),
    responseDueAt: iso(state.responseDueAt),
    handlingDueAt: iso(state.handlingDueAt),
    respondedAt: iso(state.respondedAt),
    handledAt: iso(state.handledAt),
    contacted: state.contacted,
    solved: state.solved,
    satisfaction: state.satisfaction,
    lastCallbackAt: iso(state.lastCallbackAt),
    closedAt: iso(state.closedAt),
    lastEventAt: state.lastEventAt.toISOString(),
    overdue: isOverdue(state, options.now),
    version: state.version,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

export function presentEvent(row: EventRow): AppealEventView {
  return {
    seq: row.seq,
    type: row.type,
    at: row.at.toISOString(),
    actor: row.actor,
    data: (row.data ?? {}) as Record<string, unknown>,
    recordedAt: row.recorded_at.toISOString(),
  };
}

/** The opaque cursor: where the last row of a page sits in (received_at, id) order. */
export function encodeCursor(row: Pick<AppealRow, 'received_key' | 'id'>): string {
  return Buffer.from(`${row.received_key}|${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { receivedKey: string; id: number } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? { receivedKey: match[1]!, id: Number(match[2]) } : undefined;
}
