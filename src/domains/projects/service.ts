/**
 * The projects domain's rules, one module per part; the routes, the CLI and the demo loader
 * import them from here. The programs call `carryOpenProjects` (succession.ts) on their own.
 */
export { createProject, updateProject, transitionProject, listProjects, projectBoard } from './projects.ts';
export { getProject } from './detail.ts';
export {
  addStakeholder,
  removeStakeholder,
  addConsultation,
  addMilestone,
  updateMilestone,
  markMilestoneDone,
  addFund,
  addOutput,
  updateOutput,
} from './parts.ts';
export { linkAppeals, unlinkAppeal, listLinkedAppeals, beforeAfter } from './appeals.ts';
export { achievementReport } from './report.ts';
export { achievementWorkbook } from './report-excel.ts';
export { getProjectConfig, updateProjectConfig } from './config.ts';
