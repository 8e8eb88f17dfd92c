// Client for the administrators' Open311 routes (/api/v1/open311/clients); the types are the
// server's (src/domains/open311/schemas.ts).
import type { ClientInputBody, ClientPage, ClientRole, IssuedClient, Open311Client } from '@server/domains/open311/schemas.ts';
import { request, valuesOf } from '../../api.ts';

export type { ClientRole, Open311Client };
export type ClientInput = ClientInputBody;

export const CLIENT_ROLES = valuesOf<ClientRole>()(['hotline_office', 'street_office', 'community_committee', 'department_handler']);

export const open311Api = {
  clients: (page: { limit: number; cursor?: string }, signal?: AbortSignal) => {
    const query = new URLSearchParams({ limit: String(page.limit), ...(page.cursor ? { cursor: page.cursor } : {}) });
    return request<ClientPage>('GET', `/api/v1/open311/clients?${query}`, undefined, signal);
  },
  issue: (input: ClientInput) => request<IssuedClient>('POST', '/api/v1/open311/clients', input),
  revoke: (id: number) => request<Open311Client>('POST', `/api/v1/open311/clients/${id}/revoke`),
};
