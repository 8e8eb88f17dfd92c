/**
 * The programs domain's rules, one module per part; the CLI, the demo loader and the routes
 * import them from here.
 */
export { createCadre, updateCadre, getCadre, listCadres, linkCadreUser, matchCadres } from './cadres.ts';
export {
  createProgram,
  getProgram,
  listPrograms,
  createBatch,
  listBatches,
  addBatchCommunities,
  listBatchCommunities,
  defaultRules,
} from './programs.ts';
export { createPosting, endPosting, succeedPosting, renewPosting, getPosting, listPostings, communitySecretaries } from './postings.ts';
export { logDutyDay, logDutyDays, listDutyDays, complianceReport } from './duty-days.ts';
export {
  createApprenticeship,
  updateApprenticeship,
  addTraining,
  addTask,
  getApprenticeship,
  listApprenticeships,
} from './apprenticeships.ts';
export { rosterReport, rosterWorkbook } from './roster.ts';
export { districtDashboard } from './dashboard.ts';
