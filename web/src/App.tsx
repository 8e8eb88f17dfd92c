import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider } from './auth.tsx';
import { useI18n } from './i18n.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { StartupBanner } from './layout/StartupBanner.tsx';
import { AppealPage } from './pages/appeals/AppealPage.tsx';
import { AppealsPage } from './pages/appeals/AppealsPage.tsx';
import { ImportPage } from './pages/appeals/ImportPage.tsx';
import { AuditPage } from './pages/admin/AuditPage.tsx';
import { UsersPage } from './pages/admin/UsersPage.tsx';
import { Open311ClientsPage } from './pages/open311/Open311ClientsPage.tsx';
import { dashboardRoutes } from './pages/dashboard/routes.tsx';
import { evaluationRoutes } from './pages/evaluation/routes.tsx';
import { programsRoutes } from './pages/programs/routes.tsx';
import { projectsRoutes } from './pages/projects/routes.tsx';
import { GeoPage } from './pages/geo/GeoPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';

export function App() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS}>
      {/* AntApp gives message/notification/modal the locale and theme above (useApp). */}
      <AntApp>
        <AuthProvider>
          {/* While a first start loads the demo, every page says so, with the progress. */}
          <StartupBanner />
          <Routes>
            {/* The login page stands alone: no navigation to pages the visitor cannot open yet. */}
            <Route path="login" element={<LoginPage />} />
            <Route element={<AppLayout />}>
              <Route index element={<OverviewPage />} />
              <Route path="appeals" element={<AppealsPage />} />
              <Route path="appeals/import" element={<ImportPage />} />
              <Route path="appeals/:id" element={<AppealPage />} />
              {dashboardRoutes}
              {evaluationRoutes}
              {programsRoutes}
              {projectsRoutes}
              {/* One optional segment, so /geo and /geo/:code share one GeoPage instance. */}
              <Route path="geo/:code?" element={<GeoPage />} />
              <Route path="admin/users" element={<UsersPage />} />
              <Route path="admin/audit" element={<AuditPage />} />
              <Route path="admin/open311" element={<Open311ClientsPage />} />
              <Route path="admin" element={<Navigate to="/admin/users" replace />} />
              <Route path="overview" element={<Navigate to="/" replace />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
