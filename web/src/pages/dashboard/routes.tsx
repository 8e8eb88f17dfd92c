import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Route } from 'react-router-dom';

// The dashboard carries ECharts: loaded when first opened, not with the app.
const DashboardPage = lazy(() => import('./DashboardPage.tsx').then((m) => ({ default: m.DashboardPage })));

/** Where a viewer (leadership) lands after logging in. */
export const DASHBOARD_PATH = '/dashboard';

/** The leader's dashboard's route, placed inside the app layout by App.tsx. */
export const dashboardRoutes = (
  <Route
    path="dashboard"
    element={
      <Suspense fallback={<Spin style={{ display: 'block', marginTop: 48 }} />}>
        <DashboardPage />
      </Suspense>
    }
  />
);
