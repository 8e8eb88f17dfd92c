import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal } from 'antd';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, isAbort, setCsrfToken, type Session } from './api.ts';
import { useT, type TKey } from './i18n.tsx';
import { useErrorText } from './useErrorText.ts';

type AuthState = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'user'; session: Session };

interface AuthValue {
  state: AuthState;
  session: Session | null;
  /** Whether the user's role may take an action; the server still checks the division scope. */
  can: (action: string) => boolean;
  openLogin: () => void;
  logout: () => Promise<void>;
  /** Asks the server again who is logged in, e.g. after a 401 on an expired session. */
  refresh: () => void;
}

const AuthContext = createContext<AuthValue | null>(null);

const ROLE_KEYS: Record<string, TKey> = {
  admin: 'role.admin',
  org_department: 'role.org_department',
  hotline_office: 'role.hotline_office',
  street_office: 'role.street_office',
  community_committee: 'role.community_committee',
  secretary: 'role.secretary',
  department_handler: 'role.department_handler',
  viewer: 'role.viewer',
};

/** The dictionary key for a role's name; a role added on the server later shows its raw id. */
export function roleKey(role: string): TKey | undefined {
  return ROLE_KEYS[role];
}

function adopt(session: Session | null): AuthState {
  setCsrfToken(session?.csrfToken ?? null);
  return session ? { kind: 'user', session } : { kind: 'anonymous' };
}

/** Who is logged in (session cookie), and the login dialog. Must sit inside antd's <App>. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ kind: 'loading' });
  const [loginOpen, setLoginOpen] = useState(false);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .me(ctrl.signal)
      .then((session) => setState(adopt(session)))
      .catch((err: unknown) => {
        // 401 is the ordinary answer for a visitor; any other failure also leaves them anonymous.
        if (!isAbort(err)) setState(adopt(null));
      });
    return () => ctrl.abort();
  }, [generation]);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch (err) {
      // An already expired session is as good as logged out.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    setState(adopt(null));
  }, []);

  const value = useMemo<AuthValue>(() => {
    const session = state.kind === 'user' ? state.session : null;
    return {
      state,
      session,
      can: (action) => session?.abilities.includes(action) ?? false,
      openLogin: () => setLoginOpen(true),
      logout,
      refresh: () => setGeneration((g) => g + 1),
    };
  }, [state, logout]);

  return (
    <AuthContext.Provider value={value}>
      {children}
      <LoginDialog
        open={loginOpen}
        onClose={() => setLoginOpen(false)}
        onLoggedIn={(session) => {
          setState(adopt(session));
          setLoginOpen(false);
        }}
      />
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

interface LoginValues {
  login: string;
  password: string;
}

function LoginDialog(props: { open: boolean; onClose: () => void; onLoggedIn: (s: Session) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [form] = Form.useForm<LoginValues>();
  const [busy, setBusy] = useState(false);

  async function submit(values: LoginValues) {
    setBusy(true);
    try {
      const session = await api.login(values.login.trim(), values.password);
      form.resetFields();
      props.onLoggedIn(session);
    } catch (err) {
      // The password field carries the message: the server will not say which of the two was wrong.
      form.setFields([{ name: 'password', value: '', errors: [errorText(err)] }]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={props.open}
      title={t('auth.title')}
      onCancel={props.onClose}
      footer={[
        <Button key="cancel" onClick={props.onClose}>
          {t('auth.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()} data-testid="login-submit">
          {t('auth.login')}
        </Button>,
      ]}
      destroyOnHidden
      width={380}
    >
      <Form<LoginValues> form={form} layout="vertical" onFinish={submit} data-testid="login-form" preserve={false}>
        <Form.Item name="login" label={t('auth.loginName')} rules={[{ required: true, message: t('auth.loginNameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-name" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password"
            onPressEnter={() => form.submit()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
