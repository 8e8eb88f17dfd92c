import type { AppealEventType, AppealStatus } from '../../db/tables.ts';
import { statusNames, type EventDataByType } from '../appeals/lifecycle.ts';
import { list, type Tree, type TreeObject } from './format.ts';
import type { PublicRow, UpdateRow } from './queries.ts';

/**
 * What Open311 clients see of an appeal. Public: no reporter name or phone (they are never
 * selected), no address as typed (the place is named by its community, street and district),
 * digits that look like a phone or a house, building or room number masked in free text, and
 * coordinates rounded to about 100 m.
 */

const SHANGHAI_MS = 8 * 3600_000;

/** W3C / ISO 8601 with Beijing's offset, as the spec asks: 2023-03-01T09:00:00+08:00 (China keeps no summer time). */
export function w3cTime(date: Date): string {
  return `${new Date(date.getTime() + SHANGHAI_MS).toISOString().slice(0, 19)}+08:00`;
}

const w3cOrNull = (date: Date | null) => (date === null ? null : w3cTime(date));

const mask = (digits: string) => digits.replace(/[0-9０-９]/g, '*');

/** Best effort, and tested: phone numbers, and the numbers of a building, unit, floor, room or house. */
export function scrub(text: string): string {
  return (
    text
      // Phone numbers: seven or more digits (half or full width), perhaps split by spaces or dashes.
      .replace(/[+＋]?[0-9０-９](?:[\s-－]?[0-9０-９]){6,}/g, mask)
      // 3号楼 2单元 501室 12号 8栋 …: the number goes, the word stays.
      .replace(/[0-9０-９]+(?:[-－][0-9０-９]+)?(?=\s*(?:号楼|号院|号|栋|幢|单元|层|楼|室|户|门牌))/g, mask)
      // The room after a unit (2单元501) is a house number even without 室.
      .replace(/(单元|楼|栋|幢)(\s*)([0-9０-９]+)/g, (_m, word: string, space: string, digits: string) => `${word}${space}${mask(digits)}`)
  );
}

const round = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

const satisfactionNames = {
  satisfied: ['满意', 'satisfied'],
  basically: ['基本满意', 'basically satisfied'],
  unsatisfied: ['不满意', 'unsatisfied'],
} as const;

/** What a step says to the public: the text the handler wrote where there is one, else the step's name. */
export function noteOf(type: AppealEventType | null, data: unknown, status: AppealStatus): string | null {
  const d = (data ?? {}) as Partial<EventDataByType[Exclude<AppealEventType, 'imported'>]> & Record<string, unknown>;
  const note = typeof d.note === 'string' && d.note.trim() ? scrub(d.note.trim()) : null;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? scrub(value.trim()) : '');
  switch (type) {
    case null:
    case 'imported':
      return `${statusNames[status].zh} / ${statusNames[status].en}`;
    case 'received':
      return note;
    case 'dispatch': {
      const unit = (d as Partial<EventDataByType['dispatch']>).unit?.name ?? '';
      return `已派单至${unit} / dispatched to ${unit}${note ? `: ${note}` : ''}`;
    }
    case 'return':
      return `已退单 / returned: ${text(d.reason)}`;
    case 'respond':
      return note ?? '承办单位已响应 / the handling unit has responded';
    case 'handle':
      return text(d.result) || note;
    case 'callback': {
      const c = d as Partial<EventDataByType['callback']>;
      if (!c.contacted) return '回访未联系上诉求人 / callback: the resident was not reached';
      const solved = c.solved ? ['已解决', 'solved'] : ['未解决', 'not solved'];
      const satisfied = c.satisfaction ? satisfactionNames[c.satisfaction] : ['', ''];
      return `回访：${solved[0]}${satisfied[0] ? `，${satisfied[0]}` : ''} / callback: ${solved[1]}${satisfied[1] ? `, ${satisfied[1]}` : ''}`;
    }
    case 'close':
      return note ?? '已办结 / closed';
    case 'reopen':
      return `已重启 / reopened: ${text(d.reason)}`;
  }
}

export const open311Status = (status: AppealStatus): 'open' | 'closed' => (status === 'closed' ? 'closed' : 'open');

/** A service request in the spec's field order. */
export function presentRequest(row: PublicRow, extra: { serviceNotice?: string | null } = {}): TreeObject {
  return {
    service_request_id: row.ticket_no,
    status: open311Status(row.status),
    status_notes: noteOf(row.last_type, row.last_data, row.status),
    service_name: row.category_name_zh,
    service_code: row.category_code,
    description: scrub(row.description).slice(0, 4000),
    agency_responsible: row.dispatched_unit,
    service_notice: extra.serviceNotice ?? null,
    requested_datetime: w3cTime(row.received_at),
    updated_datetime: w3cTime(row.last_event_at),
    expected_datetime: w3cOrNull(row.handling_due_at),
    // Most specific first, as the spec asks; never the address as the reporter typed it.
    address: [row.community_name, row.street_name, row.district_name].filter((n): n is string => Boolean(n)).join(', '),
    address_id: row.community_code ?? row.street_code ?? row.district_code,
    zipcode: null,
    lat: round(row.lat),
    long: round(row.long),
    media_url: row.media_url,
  };
}

export const updateId = (ticketNo: string, seq: number) => `${ticketNo}.${seq}`;

/** One step as the servicerequestupdates extension shows it: the status it left the request in. */
export function presentUpdate(row: UpdateRow): TreeObject {
  const status: AppealStatus = row.type === 'close' ? 'closed' : 'received';
  return {
    update_id: updateId(row.ticket_no, row.seq),
    service_request_id: row.ticket_no,
    status: open311Status(status),
    updated_datetime: w3cTime(row.at),
    description: noteOf(row.type, row.data, status) ?? '已受理 / received',
    media_url: null,
  };
}

export const requestList = (items: readonly Tree[]) => list('request', items);
