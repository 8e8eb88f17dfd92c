// Client for the impact estimate (/api/v1/impact). The types mirror src/domains/impact/schemas.ts;
// keep them in step.
import { request } from '../../api.ts';

export interface Interval {
  estimate: number | null;
  low: number | null;
  high: number | null;
}
export type Verdict = 'positive' | 'negative' | 'inconclusive' | 'too_few';
export type OutcomeName = 'resolution' | 'response' | 'satisfaction' | 'volume';

export interface OutcomeReport {
  outcome: OutcomeName;
  label: string;
  unit: 'rate' | 'appeals';
  overall: Interval & { treated: number; controls: number; treatedWeight: number; controlWeight: number; verdict: Verdict; verdictText: string };
  cohorts: Array<Interval & { cohort: string; treated: number; controls: number; weight: number; preFrom: string; preTo: string; postFrom: string; postTo: string }>;
  event: Array<Interval & { e: number; weight: number }>;
  preTrend: { slope: Interval; diverged: boolean | null; text: string };
  naive: { label: string; before: number | null; after: number | null; change: number | null; beforeWeight: number; afterWeight: number };
}

interface Community {
  code: string;
  name: string;
  streetName: string;
}

export interface ImpactReport {
  lang: 'zh' | 'en';
  title: string;
  level: 'program' | 'batch' | 'posting';
  programId: number;
  programName: string;
  batchId: number | null;
  batchNumber: number | null;
  postingId: number | null;
  period: { from: string; to: string; text: string };
  data: { from: string; to: string; source: string };
  method: { estimator: string; matching: string; uncertainty: string; limits: { rateWidth: number; volumeWidthShare: number }; draws: number; seed: number; k: number; months: number; pool: 'district' | 'city' };
  treated: Array<Community & { batchNumber: number; firstStart: string; cohort: string; lastTreated: string | null; matches: Array<Community & { distance: number }> }>;
  excluded: Array<Community & { reason: string }>;
  comparison: Array<Community & { residents: number | null; timesMatched: number }>;
  poolSize: number;
  balance: Array<{ feature: string; label: string; treated: number | null; matched: number | null; pool: number | null; smdMatched: number | null; smdPool: number | null }>;
  outcomes: OutcomeReport[];
  placebo: Array<{ kind: 'untreated' | 'dates'; label: string; treated: number; controls: number; shift: number | null; resolution: Interval; runs: number; quiet: number; passed: boolean | null; text: string }>;
  notes: string[];
}

export interface ImpactParams {
  program: number;
  batch?: number | undefined;
  posting?: number | undefined;
  lang: 'zh' | 'en';
}

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
