import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createUser } from '../../src/domains/accounts/service.ts';
import { roles, systemViewer, type Role } from '../../src/domains/accounts/viewer.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';
import { addDays, shanghaiToday } from '../../src/shared/dates.ts';
import { seedProgramsForMatrix, type ProgramFixture } from '../programs/matrix-fixtures.ts';
import { seedProjectsForMatrix, type ProjectFixture } from '../projects/matrix-fixtures.ts';

/** Every user in this matrix is scoped to 六里桥街道, Fengtai. */
const SCOPE = '110106008';
const INSIDE = '110106008028'; // 京铁家园社区, Liuliqiao
const OUTSIDE = '110107009011'; // 高井路社区, Shijingshan

type Sample = (community: string) => InjectOptions;

interface Expectation {
  /** 'public': anyone, logged in or not; 'any': any logged-in role; else exactly these roles. */
  allowed: 'public' | 'any' | readonly Role[];
  request: Sample;
  /** The route acts on one community's data: out of scope it must be refused too. */
  scoped?: boolean;
}

const editors: readonly Role[] = ['admin', 'org_department', 'street_office', 'community_committee'];

/**
 * Written out by hand, not derived from the policy modules, so that a change of permissions
 * shows up here as a failing line. A route the app has and this table lacks fails the test.
 */
const expectations: Record<string, Expectation> = {
  'GET /api/v1/health': { allowed: 'public', request: () => ({ url: '/api/v1/health' }) },
  'GET /api/v1/status': { allowed: 'public', request: () => ({ url: '/api/v1/status' }) },
  'GET /api/v1/divisions': { allowed: 'public', request: () => ({ url: '/api/v1/divisions?q=jtjy' }) },
  'GET /api/v1/divisions/:code': { allowed: 'public', request: (c) => ({ url: `/api/v1/divisions/${c}` }) },
  'GET /api/v1/divisions/:code/children': { allowed: 'public', request: () => ({ url: `/api/v1/divisions/${SCOPE}/children` }) },
  'GET /api/v1/communities/:code/profile': { allowed: 'any', scoped: true, request: (c) => ({ url: `/api/v1/communities/${c}/profile` }) },
  'PUT /api/v1/communities/:code/profile': {
    allowed: editors,
    scoped: true,
    request: (c) => ({ method: 'PUT', url: `/api/v1/communities/${c}/profile`, payload: { notes: 'matrix' } }),
  },
  'POST /api/v1/auth/login': {
    allowed: 'public',
    request: () => ({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'matrix-login', password: 'a matrix of doors and keys' },
    }),
  },
  'POST /api/v1/auth/logout': { allowed: 'any', request: () => ({ method: 'POST', url: '/api/v1/auth/logout' }) },
  'GET /api/v1/auth/me': { allowed: 'any', request: () => ({ url: '/api/v1/auth/me' }) },
  'GET /api/v1/users': { allowed: ['admin'], request: () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/users': {
    allowed: ['admin'],
    request: () => ({ method: 'POST', url: '/api/v1/users', payload: { login: 'x', role: 'bogus', scope: SCOPE } }),
  },
  'PATCH /api/v1/users/:id': {
    allowed: ['admin'],
    request: () => ({ method: 'PATCH', url: '/api/v1/users/999999', payload: { displayName: 'x' } }),
  },
  'POST /api/v1/users/:id/tokens': {
    allowed: ['admin'],
    request: () => ({ method: 'POST', url: '/api/v1/users/999999/tokens', payload: { name: 'x' } }),
  },
  'GET /api/v1/users/:id/tokens': { allowed: ['admin'], request: () => ({ url: '/api/v1/users/999999/tokens' }) },
  'POST /api/v1/users/:id/password': { allowed: ['admin'], request: () => ({ method: 'POST', url: '/api/v1/users/999999/password' }) },
  'DELETE /api/v1/users/:id/tokens/:tokenId': {
    allowed: ['admin'],
    request: () => ({ method: 'DELETE', url: '/api/v1/users/999999/tokens/1' }),
  },
  'GET /api/v1/audit': { allowed: ['admin'], request: () => ({ url: '/api/v1/audit' }) },
  'GET /api/v1/audit/export': { allowed: ['admin'], request: () => ({ url: '/api/v1/audit/export' }) },
  'GET /api/v1/open311/clients': { allowed: ['admin'], request: () => ({ url: '/api/v1/open311/clients' }) },
  'POST /api/v1/open311/clients': {
    allowed: ['admin'],
    request: () => ({
      method: 'POST',
      url: '/api/v1/open311/clients',
      payload: { name: 'matrix-app', role: 'street_office', scope: '999999' },
    }),
  },
  'POST /api/v1/open311/clients/:id/revoke': {
    allowed: ['admin'],
    request: () => ({ method: 'POST', url: '/api/v1/open311/clients/999999/revoke' }),
  },
  'GET /api/v1/appeal-categories': { allowed: 'public', request: () => ({ url: '/api/v1/appeal-categories' }) },
  // Lists filter by scope rather than refuse (test/appeals covers that); a missing appeal is 404 for every role.
  'GET /api/v1/appeals': { allowed: 'any', request: (c) => ({ url: `/api/v1/appeals?division=${c}` }) },
  'GET /api/v1/appeals/:id': { allowed: 'any', request: () => ({ url: '/api/v1/appeals/999999999' }) },
  'POST /api/v1/appeals': {
    allowed: ['admin', 'hotline_office', 'street_office', 'community_committee', 'secretary'],
    scoped: true,
    request: (c) => ({
      method: 'POST',
      url: '/api/v1/appeals',
      payload: { channel: 'walk_in', kind: 'help', categoryCode: 'other', description: 'matrix', communityCode: c },
    }),
  },
  'GET /api/v1/appeals/:id/reporter': {
    allowed: ['admin', 'hotline_office', 'street_office', 'community_committee'],
    request: () => ({ url: '/api/v1/appeals/999999999/reporter' }),
  },
  'POST /api/v1/appeals/:id/events': {
    allowed: ['admin', 'hotline_office', 'street_office', 'community_committee', 'department_handler'],
    request: () => ({ method: 'POST', url: '/api/v1/appeals/999999999/events', payload: { type: 'respond', expectedVersion: 1 } }),
  },
};

const evaluationReads: Record<string, Expectation> = Object.fromEntries(
  [
    ['figures', (c: string) => `level=community&month=2022-06&within=${c}`],
    ['ranking', (c: string) => `level=community&month=2022-06&within=${c}`],
    ['trend', (c: string) => `code=${c}&from=2022-01&to=2022-06`],
    ['categories', (c: string) => `within=${c}&from=2022-01&to=2022-06`],
    ['key-communities', (c: string) => `month=2022-06&within=${c}`],
    ['key-communities.xlsx', (c: string) => `month=2022-06&within=${c}`],
    ['key-communities.csv', (c: string) => `month=2022-06&within=${c}`],
    ['hotspots', (c: string) => `month=2022-06&code=${c}`],
    ['latest', (c: string) => `within=${c}`],
  ].map(([name, query]) => [
    `GET /api/v1/evaluation/${name as string}`,
    {
      allowed: 'any',
      scoped: true,
      request: (c: string) => ({ url: `/api/v1/evaluation/${name as string}?${(query as (c: string) => string)(c)}` }),
    },
  ]),
);

Object.assign(expectations, evaluationReads, {
  'GET /api/v1/evaluation/reports/monthly': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/evaluation/reports/monthly?month=2022-06&within=${c}` }),
  },
  'GET /api/v1/evaluation/reports/monthly.xlsx': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/evaluation/reports/monthly.xlsx?month=2022-06&within=${c}` }),
  },
  'GET /api/v1/evaluation/reports/daily': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/evaluation/reports/daily?date=2022-06-01&within=${c}` }),
  },
  'GET /api/v1/evaluation/reports/daily.xlsx': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/evaluation/reports/daily.xlsx?date=2022-06-01&within=${c}` }),
  },
  'GET /api/v1/evaluation/config': { allowed: 'any', request: () => ({ url: '/api/v1/evaluation/config' }) },
  'PUT /api/v1/evaluation/config': {
    allowed: ['admin'],
    request: () => ({ method: 'PUT', url: '/api/v1/evaluation/config', payload: { basicallySatisfiedFactor: 2 } }),
  },
  'POST /api/v1/evaluation/rollups/check': {
    allowed: ['admin'],
    request: () => ({ method: 'POST', url: '/api/v1/evaluation/rollups/check' }),
  },
  'POST /api/v1/evaluation/rollups/rebuild': {
    allowed: ['admin'],
    request: () => ({ method: 'POST', url: '/api/v1/evaluation/rollups/rebuild' }),
  },
} satisfies Record<string, Expectation>);

// Appeal imports: the hotline office's and the admin's. Lists filter by scope; rows outside the
// importer's scope become bad rows (test/appeals/import covers both), so none is marked scoped.
const importers: readonly Role[] = ['admin', 'hotline_office'];
Object.assign(expectations, {
  'POST /api/v1/appeal-imports': {
    allowed: importers,
    request: () => ({ method: 'POST', url: '/api/v1/appeal-imports', payload: { not: 'multipart' } }),
  },
  'POST /api/v1/appeal-imports/preview': {
    allowed: importers,
    request: () => ({ method: 'POST', url: '/api/v1/appeal-imports/preview', payload: { not: 'multipart' } }),
  },
  'GET /api/v1/appeal-imports': { allowed: importers, request: () => ({ url: '/api/v1/appeal-imports' }) },
  'GET /api/v1/appeal-imports/:id': { allowed: importers, request: () => ({ url: '/api/v1/appeal-imports/999999999' }) },
  'GET /api/v1/appeal-imports/:id/errors.csv': {
    allowed: importers,
    request: () => ({ url: '/api/v1/appeal-imports/999999999/errors.csv' }),
  },
  'GET /api/v1/appeal-imports/unmatched': {
    allowed: importers,
    request: (c: string) => ({ url: `/api/v1/appeal-imports/unmatched?district=${c}` }),
  },
  'POST /api/v1/appeal-imports/unmatched/:id/match': {
    allowed: importers,
    request: (c: string) => ({ method: 'POST', url: '/api/v1/appeal-imports/unmatched/999999999/match', payload: { communityCode: c } }),
  },
} satisfies Record<string, Expectation>);

/** The programs fixtures of each matrix community, seeded in beforeAll. */
let px: (community: string) => ProgramFixture = () => {
  throw new Error('programs fixtures not seeded');
};
const programManagers: readonly Role[] = ['admin', 'org_department'];
const programLoggers: readonly Role[] = ['admin', 'org_department', 'secretary'];
// Two days ahead, so that a run across Beijing midnight still sends a future date.
const tomorrow = () => addDays(shanghaiToday(), 2);

// Units, cadres, programs and batches are kept per district, which a street-scoped user cannot
// manage: their writes go schema-invalid here (the role check answers first, then 400), and
// test/programs covers their district scope. Community-level routes are tried in and out of
// scope with input a rule refuses after the scope check, so the matrix writes nothing.
Object.assign(expectations, {
  'GET /api/v1/units': { allowed: 'any', request: () => ({ url: '/api/v1/units' }) },
  'POST /api/v1/units': {
    allowed: programManagers,
    request: () => ({ method: 'POST', url: '/api/v1/units', payload: { name: 'x', type: 'bogus' } }),
  },
  'GET /api/v1/units/:id': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/units/${px(c).unitId}` }) },
  'GET /api/v1/cadres': { allowed: 'any', request: () => ({ url: '/api/v1/cadres' }) },
  'POST /api/v1/cadres': { allowed: programManagers, request: () => ({ method: 'POST', url: '/api/v1/cadres', payload: { name: 'x' } }) },
  'GET /api/v1/cadres/:id': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/cadres/${px(c).cadreId}` }) },
  'PATCH /api/v1/cadres/:id': {
    allowed: programManagers,
    request: (c: string) => ({ method: 'PATCH', url: `/api/v1/cadres/${px(c).cadreId}`, payload: { expertise: ['NOT A CATEGORY'] } }),
  },
  'PUT /api/v1/cadres/:id/user': {
    allowed: programManagers,
    request: (c: string) => ({ method: 'PUT', url: `/api/v1/cadres/${px(c).cadreId}/user`, payload: {} }),
  },
  'GET /api/v1/communities/:code/cadre-matches': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/communities/${c}/cadre-matches?categories=parking` }),
  },
  'GET /api/v1/programs': { allowed: 'any', request: () => ({ url: '/api/v1/programs' }) },
  'POST /api/v1/programs': {
    allowed: programManagers,
    request: () => ({ method: 'POST', url: '/api/v1/programs', payload: { kind: 'bogus', name: 'x', districtCode: '110106' } }),
  },
  'GET /api/v1/programs/:id': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/programs/${px(c).programId}` }) },
  'GET /api/v1/programs/:id/batches': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/programs/${px(c).programId}/batches` }),
  },
  'POST /api/v1/programs/:id/batches': {
    allowed: programManagers,
    request: (c: string) => ({ method: 'POST', url: `/api/v1/programs/${px(c).programId}/batches`, payload: { startDate: 'soon' } }),
  },
  'GET /api/v1/batches/:id/communities': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/batches/${px(c).batchId}/communities` }),
  },
  'POST /api/v1/batches/:id/communities': {
    allowed: programManagers,
    request: (c: string) => ({ method: 'POST', url: `/api/v1/batches/${px(c).batchId}/communities`, payload: { communities: [] } }),
  },
  'GET /api/v1/postings': { allowed: 'any', request: () => ({ url: '/api/v1/postings' }) },
  'POST /api/v1/postings': {
    allowed: programManagers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: '/api/v1/postings',
      payload: { batchId: px(c).batchId, cadreId: px(c).otherCadreId, communityCode: c, startDate: '2000-01-01' },
    }),
  },
  'GET /api/v1/postings/:id': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `/api/v1/postings/${px(c).postingId}` }) },
  'POST /api/v1/postings/:id/end': {
    allowed: programManagers,
    scoped: true,
    request: (c: string) => ({ method: 'POST', url: `/api/v1/postings/${px(c).postingId}/end`, payload: { endDate: '2000-01-01' } }),
  },
  'POST /api/v1/postings/:id/succession': {
    allowed: programManagers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `/api/v1/postings/${px(c).postingId}/succession`,
      payload: { cadreId: px(c).otherCadreId, startDate: '2000-01-01' },
    }),
  },
  'POST /api/v1/postings/:id/renewal': {
    allowed: programManagers,
    scoped: true,
    request: (c: string) => ({ method: 'POST', url: `/api/v1/postings/${px(c).postingId}/renewal`, payload: {} }),
  },
  'GET /api/v1/communities/:code/secretaries': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/communities/${c}/secretaries` }),
  },
  'GET /api/v1/postings/:id/duty-days': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/postings/${px(c).postingId}/duty-days` }),
  },
  'POST /api/v1/postings/:id/duty-days': {
    allowed: programLoggers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `/api/v1/postings/${px(c).postingId}/duty-days`,
      payload: { date: tomorrow(), hours: 1, work: 'matrix' },
    }),
  },
  'POST /api/v1/postings/:id/duty-days/sheet': {
    allowed: programLoggers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `/api/v1/postings/${px(c).postingId}/duty-days/sheet`,
      payload: { days: [{ date: tomorrow(), hours: 1, work: 'matrix' }] },
    }),
  },
  'GET /api/v1/programs/:id/compliance': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/programs/${px(c).programId}/compliance?from=2022-05-01&to=2022-05-31` }),
  },
  'GET /api/v1/programs/:id/roster': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/programs/${px(c).programId}/roster` }),
  },
  'GET /api/v1/programs/:id/roster.xlsx': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/programs/${px(c).programId}/roster.xlsx` }),
  },
  'GET /api/v1/apprenticeships': { allowed: 'any', request: () => ({ url: '/api/v1/apprenticeships' }) },
  'POST /api/v1/apprenticeships': {
    allowed: programLoggers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: '/api/v1/apprenticeships',
      payload: { postingId: px(c).postingId, apprenticeName: 'x', startDate: '2000-01-01' },
    }),
  },
  'GET /api/v1/apprenticeships/:id': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/apprenticeships/${px(c).apprenticeshipId}` }),
  },
  'PATCH /api/v1/apprenticeships/:id': {
    allowed: programLoggers,
    scoped: true,
    request: (c: string) => ({
      method: 'PATCH',
      url: `/api/v1/apprenticeships/${px(c).apprenticeshipId}`,
      payload: { status: 'completed', endDate: '2000-01-01' },
    }),
  },
  'POST /api/v1/apprenticeships/:id/trainings': {
    allowed: programLoggers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `/api/v1/apprenticeships/${px(c).apprenticeshipId}/trainings`,
      payload: { date: tomorrow(), topic: 'x', hours: 1 },
    }),
  },
  'POST /api/v1/apprenticeships/:id/tasks': {
    allowed: programLoggers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `/api/v1/apprenticeships/${px(c).apprenticeshipId}/tasks`,
      payload: { description: 'x', since: tomorrow() },
    }),
  },
} satisfies Record<string, Expectation>);

/** The projects fixtures of each matrix community, seeded in beforeAll after the programs'. */
let pj: (community: string) => ProjectFixture = () => {
  throw new Error('projects fixtures not seeded');
};
const projectManagers: readonly Role[] = ['admin', 'org_department', 'street_office', 'community_committee', 'secretary'];
const project = (c: string) => `/api/v1/projects/${pj(c).projectId}`;
// Every write is tried in and out of scope with input a rule refuses after the scope check
// (an unknown category, a future date, an illegal transition, a missing part), so nothing is written.
Object.assign(expectations, {
  'GET /api/v1/projects': { allowed: 'any', request: () => ({ url: '/api/v1/projects' }) },
  'GET /api/v1/projects/board': { allowed: 'any', request: () => ({ url: '/api/v1/projects/board' }) },
  'POST /api/v1/projects': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { communityCode: c, title: 'x', categoryCode: 'no.such', origin: 'assignment', leadPostingId: px(c).postingId },
    }),
  },
  'GET /api/v1/projects/config': { allowed: 'any', request: () => ({ url: '/api/v1/projects/config' }) },
  'PUT /api/v1/projects/config': { allowed: ['admin'], request: () => ({ method: 'PUT', url: '/api/v1/projects/config', payload: {} }) },
  'GET /api/v1/projects/:id': { allowed: 'any', scoped: true, request: (c: string) => ({ url: project(c) }) },
  'PATCH /api/v1/projects/:id': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'PATCH', url: project(c), payload: { categoryCode: 'no.such' } }),
  },
  'POST /api/v1/projects/:id/transitions': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'POST', url: `${project(c)}/transitions`, payload: { to: 'completed' } }),
  },
  'POST /api/v1/projects/:id/stakeholders': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'POST', url: `${project(c)}/stakeholders`, payload: { unitId: 999999999, role: 'lead' } }),
  },
  'DELETE /api/v1/projects/:id/stakeholders/:stakeholderId': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'DELETE', url: `${project(c)}/stakeholders/999999999` }),
  },
  'POST /api/v1/projects/:id/consultations': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `${project(c)}/consultations`,
      payload: { heldOn: tomorrow(), form: 'meeting', participants: 1 },
    }),
  },
  'POST /api/v1/projects/:id/milestones': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'POST', url: `${project(c)}/milestones`, payload: { title: 'x', weight: 1.005 } }),
  },
  'PATCH /api/v1/projects/:id/milestones/:milestoneId': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'PATCH', url: `${project(c)}/milestones/${pj(c).milestoneId}`, payload: { weight: 1.005 } }),
  },
  'POST /api/v1/projects/:id/milestones/:milestoneId/done': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'POST', url: `${project(c)}/milestones/${pj(c).milestoneId}/done`, payload: {} }),
  },
  'POST /api/v1/projects/:id/funds': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `${project(c)}/funds`,
      payload: { amount: 1, sourceUnitId: px(c).unitId, receivedOn: tomorrow() },
    }),
  },
  'POST /api/v1/projects/:id/outputs': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({
      method: 'POST',
      url: `${project(c)}/outputs`,
      payload: { kind: 'parking_spaces', target: 1, achieved: 11 },
    }),
  },
  'PATCH /api/v1/projects/:id/outputs/:outputId': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'PATCH', url: `${project(c)}/outputs/999999999`, payload: { achieved: 1 } }),
  },
  'GET /api/v1/projects/:id/appeals': { allowed: 'any', scoped: true, request: (c: string) => ({ url: `${project(c)}/appeals` }) },
  'POST /api/v1/projects/:id/appeals': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'POST', url: `${project(c)}/appeals`, payload: { appealIds: [999999999] } }),
  },
  'DELETE /api/v1/projects/:id/appeals/:appealId': {
    allowed: projectManagers,
    scoped: true,
    request: (c: string) => ({ method: 'DELETE', url: `${project(c)}/appeals/999999999` }),
  },
  'GET /api/v1/projects/:id/before-after': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `${project(c)}/before-after` }),
  },
  'GET /api/v1/programs/:id/report': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/programs/${px(c).programId}/report` }),
  },
  'GET /api/v1/programs/:id/report.xlsx': {
    allowed: 'any',
    scoped: true,
    request: (c: string) => ({ url: `/api/v1/programs/${px(c).programId}/report.xlsx` }),
  },
} satisfies Record<string, Expectation>);

// Impact estimates compare with the whole district: only district-wide roles; a missing program is
// 404 for them. Their scope against the district's is tested in test/impact.
const impactReaders: readonly Role[] = ['admin', 'org_department', 'hotline_office', 'viewer'];
Object.assign(
  expectations,
  Object.fromEntries(
    ['', '/panel.csv', '/panel.xlsx'].map((file) => [
      `GET /api/v1/impact${file}`,
      { allowed: impactReaders, request: () => ({ url: `/api/v1/impact${file}?program=999999999` }) },
    ]),
  ) satisfies Record<string, Expectation>,
);

// A district's dashboard: the same district-wide roles; a month that is no month is 400 for them.
// The scope against the district's is tested in test/programs/dashboard.http.test.ts.
expectations['GET /api/v1/district-dashboard'] = {
  allowed: impactReaders,
  request: () => ({ url: '/api/v1/district-dashboard?district=110106&month=bad' }),
};

const denied = (status: number) => status === 401 || status === 403;

describe.each(backends)('permission matrix on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  const agents = new Map<Role, Agent>();

  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    for (const role of roles) agents.set(role, await loginAs(app, t.db, role, SCOPE));
    await createUser(
      t.db.kysely,
      { login: 'matrix-login', password: 'a matrix of doors and keys', role: 'viewer', scope: SCOPE },
      systemViewer,
    );
    px = await seedProgramsForMatrix(t.db, { inside: INSIDE, outside: OUTSIDE }, agents.get('secretary')!.userId);
    pj = await seedProjectsForMatrix(t.db, { inside: INSIDE, outside: OUTSIDE }, px);
  });
  afterAll(async () => {
    await app.close();
  });

  it('has an expectation for every route the app declares', () => {
    // Session routes; Open311's own (/open311/v2, api keys) are walked by test/open311.
    const declared = app.declaredRoutes
      .filter((r) => r.url.startsWith('/api/v1/'))
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(declared).toEqual(Object.keys(expectations).sort());
  });

  it('refuses anonymous callers everywhere but on public routes', async () => {
    for (const [route, expectation] of Object.entries(expectations)) {
      const res = await app.inject(expectation.request(INSIDE));
      if (expectation.allowed === 'public') expect(res.statusCode, route).not.toBe(401);
      else expect(res.statusCode, route).toBe(401);
    }
  });

  it.each(roles)('lets %s do exactly what its role allows, inside its scope only', async (role) => {
    for (const [route, expectation] of Object.entries(expectations)) {
      // Logging out would end the session the rest of the matrix uses: use a session of its own.
      const agent = route.endsWith('/logout') ? await loginAs(app, t.db, role, SCOPE) : agents.get(role)!;
      const roleAllowed = expectation.allowed === 'public' || expectation.allowed === 'any' || expectation.allowed.includes(role);
      const inside = await agent.inject(expectation.request(INSIDE));
      expect(denied(inside.statusCode), `${role} ${route} inside → ${inside.statusCode} ${inside.body.slice(0, 200)}`).toBe(!roleAllowed);
      if (expectation.scoped && roleAllowed) {
        const outside = await agent.inject(expectation.request(OUTSIDE));
        expect([403, 404], `${role} ${route} outside → ${outside.statusCode}`).toContain(outside.statusCode);
      }
    }
  });
});
