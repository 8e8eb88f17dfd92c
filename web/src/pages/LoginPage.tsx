import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Spin, Typography, theme } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError, type Session } from '../api.ts';
import { safeNext, useAuth } from '../auth.tsx';
import { DASHBOARD_PATH } from './dashboard/routes.tsx';
import { useT } from '../i18n.tsx';
import { LanguageSwitch } from '../layout/LanguageSwitch.tsx';
import { useErrorText } from '../useErrorText.ts';

interface LoginValues {
  login: string;
  password: string;
}

/** /login?next=/geo/110106008028 — logs in, then goes back to `next` (only a path of this app). */
export function LoginPage() {
  const t = useT();
  const errorText = useErrorText();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { state, signIn } = useAuth();
  // Leadership (a viewer) lands on the district dashboard unless a page sent them here. Both ways
  // out of this page must agree: the redirect below also runs once the login has finished.
  const landingOf = (session: Session) =>
    next === '/' && session.user.role === 'viewer' && session.abilities.includes('programs.dashboard.read') ? DASHBOARD_PATH : next;
  const [form] = Form.useForm<LoginValues>();
  const [busy, setBusy] = useState(false);
  // The error itself, not its text: switching the language rewords it.
  const [error, setError] = useState<unknown>(null);

  function describe(err: unknown): string {
    if (err instanceof ApiError) {
      if (err.status === 0) return t('login.network');
      // The server does not say which of the two was wrong, and neither do we.
      if (err.status === 401) return t('login.wrong');
      if (err.status === 429) {
        return err.problem.retryAfter ? t('login.tooMany', { seconds: err.problem.retryAfter }) : t('login.tooManyLater');
      }
    }
    return errorText(err);
  }

  async function submit(values: LoginValues) {
    setBusy(true);
    setError(null);
    try {
      navigate(landingOf(await signIn(values.login.trim(), values.password)), { replace: true });
    } catch (err) {
      setError(err);
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  }

  // Already logged in (a bookmark, the back button): nothing to do here.
  if (state.kind === 'user' && !busy) return <Navigate to={landingOf(state.session)} replace />;

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        background: token.colorBgLayout,
      }}
    >
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: 16 }}>
        <LanguageSwitch />
      </div>
      <div style={{ flex: 1, display: 'flex', alignItems: 'flex-start', justifyContent: 'center', padding: '6vh 16px 48px' }}>
        <div style={{ width: '100%', maxWidth: 400 }}>
          <div style={{ textAlign: 'center', marginBottom: 24 }}>
            <Typography.Title level={2} style={{ margin: 0 }}>
              <span style={{ color: '#c8102e' }}>必答题</span> mustanswer
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
          <Card>
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {t('auth.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
            {state.kind === 'loading' ? (
              <Spin style={{ display: 'block', margin: '24px auto' }} />
            ) : (
              <Form<LoginValues>
                form={form}
                layout="vertical"
                onFinish={submit}
                onValuesChange={() => setError(null)}
                requiredMark={false}
                data-testid="login-form"
              >
                <Form.Item
                  name="login"
                  label={t('auth.loginName')}
                  rules={[{ required: true, whitespace: true, message: t('auth.loginNameRequired') }]}
                >
                  <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" data-testid="login-name" />
                </Form.Item>
                <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
                  <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" data-testid="login-password" />
                </Form.Item>
                {error !== null && (
                  <Alert type="error" showIcon title={describe(error)} data-testid="login-error" style={{ marginBottom: 16 }} />
                )}
                <Button type="primary" htmlType="submit" size="large" block loading={busy} data-testid="login-submit">
                  {t('auth.login')}
                </Button>
              </Form>
            )}
          </Card>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16, fontSize: 13 }}>
            {t('login.help')}
            <br />
            <Link to="/">{t('login.back')}</Link>
          </Typography.Paragraph>
        </div>
      </div>
    </div>
  );
}
