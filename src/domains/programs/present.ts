import type { Viewer } from '../accounts/viewer.ts';
import { cadreContactRoles } from './policy.ts';
import type { CadreRow, HandoverRow, PostingViewRow } from './queries.ts';
import type { Cadre, Handover, Posting } from './schemas.ts';

/** 13812345678 → 138****5678; shorter numbers keep only their last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length >= 7) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  return `${'*'.repeat(Math.max(digits.length - 2, 1))}${digits.slice(-2)}`;
}

export const seesContacts = (viewer: Viewer) => cadreContactRoles.includes(viewer.role);

export function presentCadre(row: CadreRow, viewer: Viewer): Cadre {
  return {
    id: row.id,
    name: row.name,
    unitId: row.unit_id,
    unitName: row.unit_name,
    unitType: row.unit_type,
    position: row.position,
    expertise: row.expertise,
    phone: row.phone === null ? null : seesContacts(viewer) ? row.phone : maskPhone(row.phone),
    notes: row.notes,
  };
}

/** Active until the day after its last day (Asia/Shanghai); status is never stored. */
export const postingStatus = (endDate: string | null, today: string) => (endDate !== null && endDate < today ? 'ended' : 'active');

export function presentPosting(row: PostingViewRow, today: string): Posting {
  return {
    id: row.id,
    programId: row.program_id,
    programName: row.program_name,
    batchId: row.batch_id,
    batchNumber: row.batch_number,
    communityCode: row.community_code,
    communityName: row.community_name,
    streetName: row.street_name,
    cadre: {
      id: row.cadre_id,
      name: row.cadre_name,
      unitId: row.unit_id,
      unitName: row.unit_name,
      unitType: row.unit_type,
      position: row.cadre_position,
    },
    role: row.role,
    kind: row.kind,
    predecessorPostingId: row.predecessor_posting_id,
    successorPostingId: row.successor_posting_id,
    startDate: row.start_date,
    endDate: row.end_date,
    endReason: row.end_reason,
    status: postingStatus(row.end_date, today),
    notes: row.notes,
  };
}

interface StoredContact {
  name: string;
  role?: string | null;
  phone?: string | null;
}

export function presentHandover(row: HandoverRow, viewer: Viewer): Handover {
  const contacts = (Array.isArray(row.contacts) ? row.contacts : []) as StoredContact[];
  const items = (Array.isArray(row.open_items) ? row.open_items : []) as Array<{ description: string; projectId?: number }>;
  return {
    id: row.id,
    fromPostingId: row.from_posting_id,
    toPostingId: row.to_posting_id,
    date: row.handover_date,
    notes: row.notes,
    contacts: contacts.map((c) => ({
      name: c.name,
      role: c.role ?? null,
      phone: c.phone ? (seesContacts(viewer) ? c.phone : maskPhone(c.phone)) : null,
    })),
    // An item carried over from an open project names it, so the successor can open it.
    openItems: items.map((i) => ({ description: i.description, ...(i.projectId !== undefined ? { projectId: i.projectId } : {}) })),
  };
}
