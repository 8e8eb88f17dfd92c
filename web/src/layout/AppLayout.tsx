import {
  AimOutlined,
  BarChartOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  HomeOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { Grid, Layout, Menu, Segmented, Typography, theme } from 'antd';
import type { ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useI18n, type Lang, type TKey } from '../i18n.tsx';
import { UserMenu } from './UserMenu.tsx';

const { Header, Sider, Content } = Layout;

interface NavItem {
  path: string;
  labelKey: TKey;
  icon: ReactNode;
}

const NAV: NavItem[] = [
  { path: '/', labelKey: 'nav.overview', icon: <HomeOutlined /> },
  { path: '/appeals', labelKey: 'nav.appeals', icon: <FileTextOutlined /> },
  { path: '/evaluation', labelKey: 'nav.evaluation', icon: <BarChartOutlined /> },
  { path: '/programs', labelKey: 'nav.programs', icon: <TeamOutlined /> },
  { path: '/projects', labelKey: 'nav.projects', icon: <AimOutlined /> },
  { path: '/geo', labelKey: 'nav.geo', icon: <EnvironmentOutlined /> },
];

/** The menu key for a location: its first path segment, so /geo/110106 highlights /geo. */
function sectionOf(pathname: string): string {
  const first = pathname.split('/')[1];
  return first ? `/${first}` : '/';
}

export function AppLayout() {
  const { lang, setLang, t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;

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
          <Segmented<Lang>
            aria-label={t('lang.label')}
            data-testid="lang-switch"
            value={lang}
            onChange={setLang}
            size={narrow ? 'small' : undefined}
            options={[
              { label: narrow ? '中' : '中文', value: 'zh' },
              { label: narrow ? 'EN' : 'English', value: 'en' },
            ]}
          />
        </div>
      </Header>
      <Layout>
        <Sider breakpoint="lg" collapsedWidth={0} width={200} theme="light"
          style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}>
          <Menu
            mode="inline"
            selectedKeys={[sectionOf(location.pathname)]}
            onClick={({ key }) => navigate(key)}
            items={NAV.map((item) => ({ key: item.path, icon: item.icon, label: t(item.labelKey) }))}
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
