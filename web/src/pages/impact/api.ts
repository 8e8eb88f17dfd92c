// Client for the impact estimate (/api/v1/impact); the types are the server's
// (src/domains/impact/schemas.ts).
import type { ImpactInput, ImpactReport, Interval, OutcomeName, OutcomeReport, Verdict } from '@server/domains/impact/schemas.ts';
import { request } from '../../api.ts';

export type { ImpactReport, Interval, OutcomeName, OutcomeReport, Verdict };
/** What the card asks for: a program, or one of its batches or postings, in the reader's language. */
export type ImpactParams = Pick<ImpactInput, 'program' | 'batch' | 'posting'> & Required<Pick<ImpactInput, 'lang'>>;

const qs = (p: ImpactParams) => {
  const s = new URLSearchParams({ program: String(p.program), lang: p.lang });
  if (p.batch) s.set('batch', String(p.batch));
  if (p.posting) s.set('posting', String(p.posting));
  return s.toString();
};

export const impactApi = {
  report: (p: ImpactParams, signal?: AbortSignal) => request<ImpactReport>('GET', `/api/v1/impact?${qs(p)}`, undefined, signal),
  csvUrl: (p: ImpactParams) => `/api/v1/impact/panel.csv?${qs(p)}`,
  xlsxUrl: (p: ImpactParams) => `/api/v1/impact/panel.xlsx?${qs(p)}`,
};
