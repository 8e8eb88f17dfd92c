import { ApiOutlined, KeyOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, InputNumber, Select, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { roleKey } from '../../auth.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { LoadMoreTable, useCursorList, type CursorPage } from '../../components/LoadMoreTable.tsx';
import { formatBeijingTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { OneTimeSecret, type Secret } from '../admin/OneTimeSecret.tsx';
import { CLIENT_ROLES, open311Api, type ClientInput, type ClientRole, type Open311Client } from './api.ts';

const PAGE_SIZE = 50;

export const Open311ClientsPage = guardedPage('open311.clients.manage', 'nav.open311', ClientsView);

/** GET /open311/clients, POST /open311/clients (the key shown once), POST /open311/clients/{id}/revoke. */
function ClientsView() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { message, modal } = App.useApp();
  // A client issued on this page is already listed.
  const list = useCursorList<Open311Client, CursorPage<Open311Client>>(
    'clients',
    (cursor, signal) => open311Api.clients({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, signal),
    {
      idOf: (c) => c.id,
    },
  );
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  function revoke(client: Open311Client) {
    modal.confirm({
      title: t('open311.revokeConfirm', { name: client.name }),
      content: t('open311.revokeConfirmText'),
      okText: t('open311.revoke'),
      okButtonProps: { danger: true },
      cancelText: t('auth.cancel'),
      onOk: async () => {
        setBusy(client.id);
        try {
          const after = await open311Api.revoke(client.id);
          list.setItems((items) => items.map((c) => (c.id === after.id ? after : c)));
        } catch (err) {
          message.error(errorText(err));
        } finally {
          setBusy(null);
        }
      },
    });
  }

  function issued(client: Open311Client, apiKey: string) {
    setCreating(false);
    list.setItems((items) => [...items, client]);
    setSecret({
      title: t('open311.secret.title', { name: client.name }),
      label: t('open311.secret.label'),
      value: apiKey,
      details: [
        { label: t('open311.col.role'), value: roleText(client.role) },
        { label: t('open311.col.scope'), value: `${client.scopeName}（${client.scopeCode}）` },
        { label: t('open311.endpoint'), value: `${window.location.origin}/open311/v2/` },
      ],
    });
  }

  const roleText = (role: ClientRole) => {
    const key = roleKey(role);
    return key ? t(key) : role;
  };

  const columns: TableColumnsType<Open311Client> = [
    {
      key: 'name',
      title: t('open311.col.name'),
      render: (_, c) => (
        <Flex vertical>
          <Typography.Text strong>{c.name}</Typography.Text>
          {c.contact && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.contact}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    { key: 'role', title: t('open311.col.role'), render: (_, c) => <Tag color="blue">{roleText(c.role)}</Tag> },
    {
      key: 'scope',
      title: t('open311.col.scope'),
      render: (_, c) => (
        <>
          {c.scopeName}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.scopeCode}
          </Typography.Text>
        </>
      ),
    },
    { key: 'key', title: t('open311.col.key'), render: (_, c) => <Typography.Text code>{c.keyPrefix}…</Typography.Text> },
    { key: 'perMinute', title: t('open311.col.perMinute'), dataIndex: 'perMinute', align: 'right' },
    {
      key: 'created',
      title: t('open311.col.created'),
      render: (_, c) => (
        <>
          {formatBeijingTime(c.createdAt)}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.createdBy}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'lastUsed',
      title: t('open311.col.lastUsed'),
      render: (_, c) =>
        c.lastUsedAt ? formatBeijingTime(c.lastUsedAt) : <Typography.Text type="secondary">{t('open311.never')}</Typography.Text>,
    },
    {
      key: 'status',
      title: t('open311.col.status'),
      render: (_, c) =>
        c.revokedAt ? (
          <Tag color="default">
            {t('open311.revoked')} {formatBeijingTime(c.revokedAt)}
          </Tag>
        ) : (
          <Flex gap={8} align="center">
            <Tag color="green">{t('open311.live')}</Tag>
            <Button size="small" danger loading={busy === c.id} onClick={() => revoke(c)} data-testid={`open311-revoke-${c.id}`}>
              {t('open311.revoke')}
            </Button>
          </Flex>
        ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Card>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <div style={{ maxWidth: 760 }}>
            <Typography.Title level={3} style={{ marginTop: 0 }}>
              <ApiOutlined /> {t('open311.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">{t('open311.subtitle')}</Typography.Paragraph>
            <Typography.Text>
              {t('open311.endpoint')}: <Typography.Text code copyable>{`${window.location.origin}/open311/v2/`}</Typography.Text>{' '}
              <a href="/api/docs" target="_blank" rel="noreferrer">
                {t('open311.docs')}
              </a>
            </Typography.Text>
          </div>
          <Button type="primary" icon={<KeyOutlined />} onClick={() => setCreating(true)} data-testid="open311-issue">
            {t('open311.issue')}
          </Button>
        </Flex>
      </Card>
      <Card>
        <LoadMoreTable<Open311Client, CursorPage<Open311Client>>
          list={list}
          rowKey="id"
          size="middle"
          columns={columns}
          locale={{ emptyText: t('open311.empty') }}
          data-testid="open311-clients"
          moreText={t('open311.loadMore')}
        />
      </Card>
      <IssueDialog open={creating} onClose={() => setCreating(false)} onIssued={issued} roleText={roleText} />
      <OneTimeSecret secret={secret} onClose={() => setSecret(null)} />
    </Flex>
  );
}

interface FormValues {
  name: string;
  contact?: string;
  role: ClientRole;
  scope: string;
  perMinute: number;
}

function IssueDialog(props: {
  open: boolean;
  onClose: () => void;
  onIssued: (client: Open311Client, apiKey: string) => void;
  roleText: (role: ClientRole) => string;
}) {
  const { t } = useI18n();

  async function submit(values: FormValues) {
    const input: ClientInput = {
      name: values.name.trim(),
      contact: values.contact?.trim() || null,
      role: values.role,
      scope: values.scope,
      perMinute: values.perMinute,
    };
    const { client, apiKey } = await open311Api.issue(input);
    props.onIssued(client, apiKey);
  }

  return (
    <FormDialog<FormValues>
      open={props.open}
      title={t('open311.form.title')}
      testId="open311"
      fields={['name', 'contact', 'role', 'scope', 'perMinute']}
      width={520}
      initialValues={{ role: 'hotline_office', perMinute: 60 }}
      submitText={t('open311.issue')}
      hint={t('open311.form.hint')}
      onClose={props.onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Form.Item
            name="name"
            label={t('open311.form.name')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('open311.form.nameRequired') }]}
          >
            <Input maxLength={100} placeholder={t('open311.form.namePlaceholder')} autoFocus data-testid="open311-name" />
          </Form.Item>
          <Form.Item name="contact" label={t('open311.form.contact')}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="role" label={t('open311.form.role')} rules={[{ required: true }]}>
            <Select options={CLIENT_ROLES.map((r) => ({ value: r, label: props.roleText(r) }))} data-testid="open311-role" />
          </Form.Item>
          <Form.Item name="scope" label={t('open311.form.scope')} rules={[{ required: true, message: t('open311.form.scopeRequired') }]}>
            <DivisionSelect showCode placeholder={t('open311.form.scopePlaceholder')} data-testid="open311-scope" />
          </Form.Item>
          <Form.Item name="perMinute" label={t('open311.form.perMinute')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10000} precision={0} style={{ width: 160 }} />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
