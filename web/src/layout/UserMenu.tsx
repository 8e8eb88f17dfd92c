import { DownOutlined, LoginOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Spin, Typography, theme } from 'antd';
import { roleKey, useAuth } from '../auth.tsx';
import { useT } from '../i18n.tsx';
import { useErrorText } from '../useErrorText.ts';
import { useNavigate } from 'react-router-dom';

/** The header's login button, or who is logged in (name, role, scope) with logout in its menu. */
export function UserMenu({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const { state, openLogin, logout } = useAuth();

  if (state.kind === 'loading') return <Spin size="small" />;
  if (state.kind === 'anonymous') {
    return (
      <Button icon={<LoginOutlined />} onClick={openLogin} data-testid="login-open" aria-label={t('auth.login')}>
        {compact ? null : t('auth.login')}
      </Button>
    );
  }
  const { user } = state.session;
  const key = roleKey(user.role);
  const role = key ? t(key) : user.role;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'role', disabled: true, label: t('auth.role', { role }) },
          { key: 'scope', disabled: true, label: t('auth.scope', { scope: `${user.scopeName}（${user.scopeCode}）` }) },
          ...(user.unitName ? [{ key: 'unit', disabled: true, label: t('auth.unit', { unit: user.unitName }) }] : []),
          { type: 'divider' as const },
          { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('auth.logout')}</span> },
        ],
        onClick: ({ key: clicked }) => {
          if (clicked !== 'logout') return;
          logout()
            .then(() => {
              message.success(t('auth.loggedOut'));
              navigate('/');
            })
            .catch((err: unknown) => message.error(errorText(err)));
        },
      }}
    >
      {/* One element carries the name, role and scope, so a glance at the header says who acts. */}
      <button
        type="button"
        data-testid="current-user"
        aria-label={`${user.displayName}，${role}，${user.scopeName}`}
        title={`${user.displayName} · ${role} · ${user.scopeName}`}
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 8,
          padding: '4px 8px',
          border: 'none',
          borderRadius: token.borderRadius,
          background: 'transparent',
          cursor: 'pointer',
          font: 'inherit',
          color: 'inherit',
          maxWidth: compact ? undefined : 320,
        }}
      >
        <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary, flex: 'none' }} />
        {!compact && (
          <span style={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start', lineHeight: 1.3, minWidth: 0 }}>
            <Typography.Text strong ellipsis style={{ maxWidth: 260 }} data-testid="current-user-name">
              {user.displayName}
            </Typography.Text>
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, maxWidth: 260 }}>
              <span data-testid="current-user-role">{role}</span> · <span data-testid="current-user-scope">{user.scopeName}</span>
            </Typography.Text>
          </span>
        )}
        <DownOutlined style={{ fontSize: 10, color: token.colorTextTertiary }} />
      </button>
    </Dropdown>
  );
}
