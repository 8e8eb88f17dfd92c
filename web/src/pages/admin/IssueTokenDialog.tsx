import { Form, Input } from 'antd';
import { api, type IssuedToken, type User } from '../../api.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { useI18n } from '../../i18n.tsx';

/** POST /users/{id}/tokens: names a token for a machine client; the token itself is shown once. */
export function IssueTokenDialog(props: { user: User | null; onClose: () => void; onIssued: (user: User, token: IssuedToken) => void }) {
  const { t } = useI18n();
  const { user } = props;

  async function submit({ name }: { name: string }) {
    if (!user) return;
    const token = await api.issueToken(user.id, name.trim());
    props.onIssued(user, token);
  }

  return (
    <FormDialog<{ name: string }>
      open={user !== null}
      title={user ? t('users.tokenTitle', { name: user.displayName }) : null}
      testId="token"
      fields={['name']}
      width={520}
      submitText={t('users.issue')}
      hint={t('users.tokenHint')}
      onClose={props.onClose}
      onSubmit={submit}
    >
      {() => (
        <Form.Item
          name="name"
          label={t('users.tokenName')}
          rules={[{ required: true, whitespace: true, message: t('users.tokenNameRequired') }]}
        >
          <Input maxLength={100} placeholder={t('users.tokenNamePlaceholder')} autoFocus data-testid="token-name" />
        </Form.Item>
      )}
    </FormDialog>
  );
}
