import { LoginOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Spin } from 'antd';
import { roleKey, useAuth } from '../auth.tsx';
import { useT } from '../i18n.tsx';
import { useErrorText } from '../useErrorText.ts';

/** The header's login button, or the logged-in user with their role, scope and logout. */
export function UserMenu({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const errorText = useErrorText();
  const { message } = App.useApp();
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
  const role = roleKey(user.role);
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'role', disabled: true, label: t('auth.role', { role: role ? t(role) : user.role }) },
          { key: 'scope', disabled: true, label: t('auth.scope', { scope: user.scopeName }) },
          { type: 'divider' },
          { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout') },
        ],
        onClick: ({ key }) => {
          if (key === 'logout') logout().catch((err: unknown) => message.error(errorText(err)));
        },
      }}
    >
      <Button type="text" icon={<UserOutlined />} data-testid="user-menu" aria-label={user.displayName}>
        {compact ? null : user.displayName}
      </Button>
    </Dropdown>
  );
}
