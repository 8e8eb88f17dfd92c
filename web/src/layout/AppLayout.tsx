import {
  AimOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  HomeOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { Grid, Layout, Menu, Typography, theme, type MenuProps } from 'antd';
import type { ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth.tsx';
import { useI18n, type TKey } from '../i18n.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { UserMenu } from './UserMenu.tsx';

const { Header, Sider, Content } = Layout;

interface NavItem {
  path: string;
  labelKey: TKey;
  icon: ReactNode;
  /** Shown only to roles with this ability (session.abilities); the server checks again. */
  ability?: string;
  testId?: string;
}

const NAV: NavItem[] = [
  { path: '/', labelKey: 'nav.overview', icon: <HomeOutlined /> },
  {
    path: '/dashboard',
    labelKey: 'nav.dashboard',
    icon: <DashboardOutlined />,
    ability: 'programs.dashboard.read',
    testId: 'nav-dashboard',
  },
  { path: '/appeals', labelKey: 'nav.appeals', icon: <FileTextOutlined /> },
  {
    path: '/appeals/import',
    labelKey: 'appeals.import.nav',
    icon: <CloudUploadOutlined />,
    ability: 'appeal.import.read',
    testId: 'nav-appeal-import',
  },
  { path: '/evaluation', labelKey: 'nav.evaluation', icon: <BarChartOutlined /> },
  { path: '/evaluation/reports', labelKey: 'nav.evaluationReports', icon: <FileDoneOutlined />, testId: 'nav-evaluation-reports' },
  { path: '/programs', labelKey: 'nav.programs', icon: <TeamOutlined /> },
  { path: '/projects', labelKey: 'nav.projects', icon: <AimOutlined /> },
  { path: '/geo', labelKey: 'nav.geo', icon: <EnvironmentOutlined /> },
];

const ADMIN_NAV: NavItem[] = [
  { path: '/admin/users', labelKey: 'nav.adminUsers', icon: <UserSwitchOutlined />, ability: 'users.manage', testId: 'nav-admin-users' },
  { path: '/admin/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, ability: 'audit.read', testId: 'nav-admin-audit' },
  {
    path: '/admin/open311',
    labelKey: 'nav.open311',
    icon: <ApiOutlined />,
    ability: 'open311.clients.manage',
    testId: 'nav-admin-open311',
  },
];

/** The menu key for a location: the longest nav path it lies under, so /geo/110106 highlights /geo. */
function sectionOf(pathname: string): string {
  let best = '/';
  for (const { path } of [...NAV, ...ADMIN_NAV]) {
    if ((pathname === path || pathname.startsWith(`${path}/`)) && path.length > best.length) best = path;
  }
  return best;
}

export function AppLayout() {
  const { t } = useI18n();
  const { can } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;

  const toItem = (item: NavItem) => ({
    key: item.path,
    icon: item.icon,
    label: <span data-testid={item.testId}>{t(item.labelKey)}</span>,
  });
  const adminItems = ADMIN_NAV.filter((item) => !item.ability || can(item.ability)).map(toItem);
  const items: MenuProps['items'] = [
    ...NAV.filter((item) => !item.ability || can(item.ability)).map(toItem),
    ...(adminItems.length > 0 ? [{ type: 'group' as const, key: 'admin', label: t('nav.admin'), children: adminItems }] : []),
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 16,
          paddingInline: narrow ? 12 : 24,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
          <span style={{ color: '#c8102e' }}>必答题</span> mustanswer
        </Typography.Title>
        {!narrow && (
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {t('app.tagline')}
          </Typography.Text>
        )}
        <div style={{ marginInlineStart: 'auto', display: 'flex', alignItems: 'center', gap: 12 }}>
          <UserMenu compact={narrow} />
          <LanguageSwitch compact={narrow} />
        </div>
      </Header>
      <Layout>
        <Sider
          breakpoint="lg"
          collapsedWidth={0}
          width={200}
          theme="light"
          style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}
        >
          <Menu
            mode="inline"
            selectedKeys={[sectionOf(location.pathname)]}
            onClick={({ key }) => navigate(key)}
            items={items}
            style={{ borderInlineEnd: 'none', paddingTop: 8 }}
          />
        </Sider>
        <Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
