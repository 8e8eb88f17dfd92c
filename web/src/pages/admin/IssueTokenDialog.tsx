import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { api, type IssuedToken, type User } from '../../api.ts';
import { placeFieldErrors } from '../../formErrors.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';

/** POST /users/{id}/tokens: names a token for a machine client; the token itself is shown once. */
export function IssueTokenDialog(props: { user: User | null; onClose: () => void; onIssued: (user: User, token: IssuedToken) => void }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ name: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { user } = props;

  async function submit({ name }: { name: string }) {
    if (!user) return;
    setBusy(true);
    setError(null);
    try {
      const token = await api.issueToken(user.id, name.trim());
      props.onIssued(user, token);
    } catch (err) {
      const unplaced = placeFieldErrors(form, err, ['name'], lang);
      setError([errorText(err), ...unplaced].join(lang === 'zh' ? '；' : '; '));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={user !== null}
      title={user ? t('users.tokenTitle', { name: user.displayName }) : null}
      onCancel={props.onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={props.onClose}>
          {t('auth.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()} data-testid="token-submit">
          {t('users.issue')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('users.tokenHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} preserve={false} onValuesChange={() => setError(null)}>
        <Form.Item
          name="name"
          label={t('users.tokenName')}
          rules={[{ required: true, whitespace: true, message: t('users.tokenNameRequired') }]}
        >
          <Input maxLength={100} placeholder={t('users.tokenNamePlaceholder')} autoFocus data-testid="token-name" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
