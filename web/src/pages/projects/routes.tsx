import { Route } from 'react-router-dom';
import { BoardPage } from './BoardPage.tsx';
import { ProjectPage } from './ProjectPage.tsx';
import { ReportPage } from './ReportPage.tsx';

/** The hard-nut projects' routes, placed inside the app layout by App.tsx. Fixed segments come before :id. */
export const projectsRoutes = (
  <>
    <Route path="projects" element={<BoardPage />} />
    <Route path="projects/report" element={<ReportPage />} />
    <Route path="projects/:id" element={<ProjectPage />} />
  </>
);
