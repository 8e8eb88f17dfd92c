import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Switch, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, type User } from '../../api.ts';
import { roleKey, useAuth } from '../../auth.tsx';
import { LoadMoreTable, useCursorList, type CursorPage } from '../../components/LoadMoreTable.tsx';
import { useT } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { IssueTokenDialog } from './IssueTokenDialog.tsx';
import { NewUserDialog } from './NewUserDialog.tsx';
import { OneTimeSecret, type Secret } from './OneTimeSecret.tsx';

const PAGE_SIZE = 50;

export const UsersPage = guardedPage('users.manage', 'nav.adminUsers', UsersView);

/** GET /users (the admin's scope, by id), POST /users, PATCH disabled, POST tokens. */
function UsersView() {
  const t = useT();
  const errorText = useErrorText();
  const { message, modal } = App.useApp();
  const { session } = useAuth();
  // A user created on this page is already listed at the top.
  const list = useCursorList<User, CursorPage<User>>('users', (cursor, signal) => api.users({ limit: PAGE_SIZE, cursor }, signal), {
    idOf: (u) => u.id,
  });
  const [toggling, setToggling] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [tokenFor, setTokenFor] = useState<User | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());

  function replace(user: User) {
    list.setItems((items) => items.map((u) => (u.id === user.id ? user : u)));
  }

  async function setDisabled(user: User, disabled: boolean) {
    setToggling(user.id);
    try {
      // The switch itself now says 启用 or 已停用; only a failure needs a message.
      replace(await api.updateUser(user.id, { disabled }));
    } catch (err) {
      message.error(errorText(err));
    } finally {
      setToggling(null);
    }
  }

  function toggle(user: User, enabled: boolean) {
    if (enabled) {
      void setDisabled(user, false);
      return;
    }
    modal.confirm({
      title: t('users.disableConfirm', { name: user.displayName }),
      content: t('users.disableConfirmText'),
      okText: t('users.disableOk'),
      okButtonProps: { danger: true },
      cancelText: t('auth.cancel'),
      onOk: () => setDisabled(user, true),
    });
  }

  function created(user: User, password: string, generated: boolean) {
    setCreating(false);
    list.setItems((items) => [user, ...items.filter((u) => u.id !== user.id)]);
    setFresh((s) => new Set([...s, user.id]));
    if (generated) {
      setSecret({
        title: t('secret.passwordTitle', { login: user.login }),
        label: t('secret.passwordLabel'),
        value: password,
        details: [
          { label: t('users.col.login'), value: user.login },
          { label: t('users.col.name'), value: user.displayName },
          { label: t('users.col.scope'), value: `${user.scopeName}（${user.scopeCode}）` },
        ],
      });
    } else {
      message.success(t('users.created', { login: user.login }));
    }
  }

  const columns: TableColumnsType<User> = [
    {
      key: 'login',
      title: t('users.col.login'),
      render: (_, u) => (
        <Flex gap={6} align="center">
          <Typography.Text code>{u.login}</Typography.Text>
          {fresh.has(u.id) && <Tag color="green">{t('users.justCreated')}</Tag>}
        </Flex>
      ),
    },
    { key: 'name', title: t('users.col.name'), dataIndex: 'displayName' },
    {
      key: 'role',
      title: t('users.col.role'),
      render: (_, u) => {
        const key = roleKey(u.role);
        return <Tag color={u.role === 'admin' ? 'red' : 'blue'}>{key ? t(key) : u.role}</Tag>;
      },
    },
    {
      key: 'scope',
      title: t('users.col.scope'),
      render: (_, u) => (
        <>
          {u.scopeName}{' '}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {u.scopeCode}
          </Typography.Text>
        </>
      ),
    },
    { key: 'unit', title: t('users.col.unit'), render: (_, u) => u.unitName ?? <Typography.Text type="secondary">—</Typography.Text> },
    {
      key: 'status',
      title: t('users.col.status'),
      render: (_, u) => {
        const self = u.id === session?.user.id;
        const control = (
          <Switch
            checked={!u.disabled}
            disabled={self}
            loading={toggling === u.id}
            checkedChildren={t('users.enabled')}
            unCheckedChildren={t('users.disabled')}
            onChange={(enabled) => toggle(u, enabled)}
            data-testid="user-status"
            aria-label={`${u.login}: ${u.disabled ? t('users.disabled') : t('users.enabled')}`}
          />
        );
        return self ? <Tooltip title={t('users.self')}>{control}</Tooltip> : control;
      },
    },
    {
      key: 'actions',
      title: t('users.col.actions'),
      render: (_, u) => (
        <Button size="small" icon={<KeyOutlined />} disabled={u.disabled} onClick={() => setTokenFor(u)} data-testid="token-open">
          {t('users.issueToken')}
        </Button>
      ),
    },
  ];

  return (
    <Card>
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('users.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('users.subtitle')}</Typography.Text>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-new">
          {t('users.new')}
        </Button>
      </Flex>
      <LoadMoreTable<User, CursorPage<User>>
        list={list}
        data-testid="users-table"
        rowKey="id"
        size="middle"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('users.empty') }}
        status={(page, n) => (page.nextCursor ? t('users.shown', { n }) : t('users.allShown', { n }))}
        moreText={t('users.loadMore')}
        moreTestId="users-more"
      />
      <NewUserDialog open={creating} onClose={() => setCreating(false)} onCreated={created} />
      <IssueTokenDialog
        user={tokenFor}
        onClose={() => setTokenFor(null)}
        onIssued={(user, token) => {
          setTokenFor(null);
          setSecret({
            title: t('secret.tokenTitle', { name: token.name }),
            label: t('secret.tokenLabel'),
            value: token.token,
            details: [{ label: t('users.col.login'), value: user.login }],
          });
        }}
      />
      <OneTimeSecret secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
