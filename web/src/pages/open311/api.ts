// Client for the administrators' Open311 routes (/api/v1/open311/clients). The types mirror
// src/domains/open311/schemas.ts; keep them in step.
import { request } from '../../api.ts';

export const CLIENT_ROLES = ['hotline_office', 'street_office', 'community_committee', 'department_handler'] as const;
export type ClientRole = (typeof CLIENT_ROLES)[number];

export interface Open311Client {
  id: number;
  name: string;
  contact: string | null;
  role: ClientRole;
  scopeCode: string;
  scopeName: string;
  keyPrefix: string;
  perMinute: number;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface ClientInput {
  name: string;
  contact?: string | null;
  role: ClientRole;
  scope: string;
  perMinute?: number;
}

export const open311Api = {
  clients: (page: { limit: number; cursor?: string }, signal?: AbortSignal) => {
    const query = new URLSearchParams({ limit: String(page.limit), ...(page.cursor ? { cursor: page.cursor } : {}) });
    return request<{ items: Open311Client[]; nextCursor: string | null }>('GET', `/api/v1/open311/clients?${query}`, undefined, signal);
  },
  issue: (input: ClientInput) => request<{ client: Open311Client; apiKey: string }>('POST', '/api/v1/open311/clients', input),
  revoke: (id: number) => request<Open311Client>('POST', `/api/v1/open311/clients/${id}/revoke`),
};
