import { lazy, Suspense, type ReactNode } from 'react';
import { Route } from 'react-router-dom';
import { Spin } from 'antd';

// The evaluation pages carry ECharts: loaded when first opened, not with the app.
const EvaluationPage = lazy(() => import('./EvaluationPage.tsx').then((m) => ({ default: m.EvaluationPage })));
const CommunityPage = lazy(() => import('./CommunityPage.tsx').then((m) => ({ default: m.CommunityPage })));
const ReportsPage = lazy(() => import('./ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));

const later = (page: ReactNode) => <Suspense fallback={<Spin style={{ display: 'block', marginTop: 48 }} />}>{page}</Suspense>;

/** The evaluation section's routes, placed inside the app layout by App.tsx. */
export const evaluationRoutes = (
  <>
    <Route path="evaluation" element={later(<EvaluationPage />)} />
    <Route path="evaluation/community/:code" element={later(<CommunityPage />)} />
    <Route path="evaluation/reports" element={later(<ReportsPage />)} />
  </>
);
