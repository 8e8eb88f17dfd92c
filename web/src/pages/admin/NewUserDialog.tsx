import { Form, Input, Select } from 'antd';
import { api, type User } from '../../api.ts';
import { ROLES, roleKey } from '../../auth.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { useI18n } from '../../i18n.tsx';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';

interface Values {
  login: string;
  displayName?: string;
  role?: string;
  scope?: string;
  unitName?: string;
  password?: string;
}

const FIELDS = ['login', 'displayName', 'role', 'scope', 'unitName', 'password'] as const;
// The server's rule (service.createUser), checked here first so the answer is immediate.
const LOGIN_PATTERN = /^[A-Za-z0-9_.@-]{2,64}$/;

interface Props {
  open: boolean;
  onClose: () => void;
  /** `generated`: the server made the password up, and this is the only time it is shown. */
  onCreated: (user: User, password: string, generated: boolean) => void;
}

/** POST /users: login, name, role, scope (a division found by search), optional password. */
export function NewUserDialog({ open, onClose, onCreated }: Props) {
  const { t } = useI18n();

  async function submit(values: Values) {
    const password = values.password ? values.password : undefined;
    const { user, password: issued } = await api.createUser({
      login: values.login.trim(),
      role: values.role ?? '',
      scope: values.scope ?? '',
      ...(values.displayName?.trim() ? { displayName: values.displayName.trim() } : {}),
      ...(values.unitName?.trim() ? { unitName: values.unitName.trim() } : {}),
      ...(password ? { password } : {}),
    });
    onCreated(user, issued, password === undefined);
  }

  return (
    <FormDialog<Values>
      open={open}
      title={t('users.form.title')}
      testId="new-user"
      fields={FIELDS}
      width={520}
      submitText={t('users.form.submit')}
      failedText={t('users.form.failed')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Form.Item
            name="login"
            label={t('users.form.login')}
            rules={[
              { required: true, whitespace: true, message: t('users.form.loginRequired') },
              { pattern: LOGIN_PATTERN, message: t('users.form.loginPattern') },
            ]}
          >
            <Input autoComplete="off" placeholder={t('users.form.loginPlaceholder')} data-testid="new-user-login" autoFocus />
          </Form.Item>
          <Form.Item name="displayName" label={t('users.form.name')}>
            <Input maxLength={100} placeholder={t('users.form.namePlaceholder')} data-testid="new-user-name" />
          </Form.Item>
          <Form.Item name="role" label={t('users.form.role')} rules={[{ required: true, message: t('users.form.roleRequired') }]}>
            <Select<string>
              data-testid="new-user-role"
              placeholder={t('users.form.roleRequired')}
              options={ROLES.map((role) => {
                const key = roleKey(role);
                return { value: role, label: key ? t(key) : role };
              })}
            />
          </Form.Item>
          <Form.Item
            name="scope"
            label={t('users.form.scope')}
            extra={t('users.form.scopeHint')}
            rules={[{ required: true, message: t('users.form.scopeRequired') }]}
          >
            <DivisionSelect showCode data-testid="new-user-scope" placeholder={t('users.form.scopePlaceholder')} />
          </Form.Item>
          <Form.Item name="unitName" label={t('users.form.unit')}>
            <Input maxLength={200} placeholder={t('users.form.unitPlaceholder')} data-testid="new-user-unit" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('users.form.password')}
            extra={t('users.form.passwordHint')}
            rules={[{ min: 10, message: t('users.form.passwordMin') }]}
          >
            <Input.Password autoComplete="new-password" maxLength={200} data-testid="new-user-password" />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
