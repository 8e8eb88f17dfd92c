import { Route } from 'react-router-dom';
import { CadrePage } from './CadrePage.tsx';
import { CadresPage } from './CadresPage.tsx';
import { CommunitySecretariesPage } from './CommunitySecretariesPage.tsx';
import { PostingPage } from './PostingPage.tsx';
import { ProgramPage } from './ProgramPage.tsx';
import { ProgramsPage } from './ProgramsPage.tsx';

/** The secretary programs' routes, placed inside the app layout by App.tsx. Fixed segments come before :id. */
export const programsRoutes = (
  <>
    <Route path="programs" element={<ProgramsPage />} />
    <Route path="programs/cadres" element={<CadresPage />} />
    <Route path="programs/cadres/:id" element={<CadrePage />} />
    <Route path="programs/postings/:id" element={<PostingPage />} />
    <Route path="programs/communities/:code" element={<CommunitySecretariesPage />} />
    <Route path="programs/:id" element={<ProgramPage />} />
  </>
);
