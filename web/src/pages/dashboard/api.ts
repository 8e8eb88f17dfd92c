// Client for the leader's district dashboard (GET /api/v1/district-dashboard). The types are the
// server's own (src/domains/programs/dashboard-schemas.ts), imported as types only.
import type { DashboardMark, DistrictDashboard } from '@server/domains/programs/dashboard-schemas.ts';
import { query, request } from '../../api.ts';

export type { DashboardMark, DistrictDashboard };

export const dashboardApi = {
  /** Without a district: the viewer's own, or the first in scope running a program; without a month: the latest complete period. */
  get: (q: { district?: string; month?: string }, signal?: AbortSignal) =>
    request<DistrictDashboard>('GET', `/api/v1/district-dashboard${query({ district: q.district, month: q.month })}`, undefined, signal),
};
