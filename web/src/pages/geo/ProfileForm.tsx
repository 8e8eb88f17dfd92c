import { CheckCircleFilled, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Input, InputNumber, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError, isAbort, localizeServerText, type CommunityProfile, type ProfileInput } from '../../api.ts';
import { formatBeijingTime } from '../../format.ts';
import { useAuth } from '../../auth.tsx';
import { useI18n, useT, type TKey } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';

interface Values {
  residents: number | null;
  households: number | null;
  buildings: number | null;
  notes: string;
}

const NOTES_MAX = 4000;

const FIELDS = ['residents', 'households', 'buildings', 'notes'] as const;
type FieldName = (typeof FIELDS)[number];

const COUNT_FIELDS: { name: Exclude<FieldName, 'notes'>; label: TKey; unit: TKey; testId?: string }[] = [
  { name: 'residents', label: 'profile.residents', unit: 'profile.unit.residents', testId: 'profile-residents' },
  { name: 'households', label: 'profile.households', unit: 'profile.unit.households', testId: 'profile-households' },
  { name: 'buildings', label: 'profile.buildings', unit: 'profile.unit.buildings', testId: 'profile-buildings' },
];

function toValues(p: CommunityProfile): Values {
  return { residents: p.residents, households: p.households, buildings: p.buildings, notes: p.notes ?? '' };
}

function toInput(v: Values): ProfileInput {
  // antd hands back undefined for a field it never rendered a value into.
  const notes = (v.notes ?? '').trim();
  return {
    residents: v.residents ?? null,
    households: v.households ?? null,
    buildings: v.buildings ?? null,
    notes: notes === '' ? null : notes,
  };
}

// Servers name fields as "residents", "/residents" (JSON pointer) or "body.residents";
// all three mean the same form field.
function formField(field: string): FieldName | null {
  const last = field.split(/[./]/).filter(Boolean).pop() ?? '';
  return (FIELDS as readonly string[]).includes(last) ? (last as FieldName) : null;
}

type LoadState =
  | { kind: 'loading' }
  | { kind: 'ready'; profile: CommunityProfile }
  /** 403: the community lies outside the user's scope; the server's message names the community. */
  | { kind: 'outOfScope'; error: unknown }
  // The error itself is kept, not its text, so a language switch rewords it.
  | { kind: 'error'; error: unknown };

/** The profile, or why this user cannot see it: it needs a login and the read ability. */
export function ProfileSection({ code }: { code: string }) {
  const t = useT();
  const { state, can, openLogin } = useAuth();
  if (state.kind === 'loading') return <Skeleton active />;
  if (state.kind === 'anonymous') {
    return (
      <Alert
        type="info"
        showIcon
        title={t('profile.loginRequired')}
        action={
          <Button type="primary" size="small" onClick={openLogin} data-testid="profile-login">
            {t('auth.login')}
          </Button>
        }
      />
    );
  }
  if (!can('geo.profile.read')) return <Alert type="warning" showIcon title={t('profile.noRead')} />;
  // Keyed by user too, so logging in as someone else reloads what they may see.
  return <ProfileForm key={`${code}:${state.session.user.id}`} code={code} readOnly={!can('geo.profile.edit')} />;
}

/** Residents, households, buildings and notes of one community. Mount with a key per code. */
function ProfileForm({ code, readOnly }: { code: string; readOnly: boolean }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { refresh, session } = useAuth();
  const [form] = Form.useForm<Values>();
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [justSaved, setJustSaved] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .profile(code, ctrl.signal)
      .then((profile) => setLoad({ kind: 'ready', profile }))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        // An expired session: let the auth state catch up, which swaps this form for the login hint.
        if (err instanceof ApiError && err.status === 401) refresh();
        setLoad({ kind: err instanceof ApiError && err.status === 403 ? 'outOfScope' : 'error', error: err });
      });
    return () => ctrl.abort();
    // errorText is left out on purpose: a language switch must not reload the profile.
  }, [code]);

  async function save(values: Values) {
    setSaving(true);
    setFormError(null);
    setJustSaved(false);
    try {
      const profile = await api.saveProfile(code, toInput(values));
      setLoad({ kind: 'ready', profile });
      form.setFieldsValue(toValues(profile));
      // Said beside the button and kept until the next edit: a toast is gone before one looks.
      setJustSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.problem.errors?.length) {
        const unplaced: string[] = [];
        const byField = new Map<FieldName, string[]>();
        for (const e of err.problem.errors) {
          const name = formField(e.field);
          const text = localizeServerText(e.message, lang);
          // Ajv reports a failed `integer | null` three times over; the first line is the useful one.
          if (name) byField.set(name, byField.get(name) ?? [text]);
          else unplaced.push(e.field ? `${e.field}: ${text}` : text);
        }
        form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
        // Errors shown beside their fields need no repeating; only the rest go in the box.
        const detail = err.problem.detail ? localizeServerText(err.problem.detail, lang) : '';
        setFormError(unplaced.length > 0 ? [detail, ...unplaced].filter(Boolean).join(lang === 'zh' ? '；' : '; ') : null);
        message.error(t('profile.invalid'));
      } else {
        if (err instanceof ApiError && err.status === 401) refresh();
        const text = errorText(err);
        setFormError(text);
        message.error(text);
      }
    } finally {
      setSaving(false);
    }
  }

  if (load.kind === 'error') return <Alert type="error" showIcon title={errorText(load.error)} />;
  if (load.kind === 'outOfScope') {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="profile-out-of-scope"
        title={errorText(load.error)}
        description={session ? t('profile.outOfScopeHint', { scope: session.user.scopeName }) : undefined}
      />
    );
  }
  if (load.kind === 'loading') return <Skeleton active />;

  const profile = load.profile;
  return (
    <Form<Values>
      form={form}
      disabled={readOnly}
      initialValues={toValues(profile)}
      layout="vertical"
      data-testid="profile-form"
      onFinish={save}
      onValuesChange={() => {
        setFormError(null);
        setJustSaved(false);
      }}
      style={{ maxWidth: 520 }}
    >
      {COUNT_FIELDS.map((f) => (
        <Form.Item key={f.name} name={f.name} label={t(f.label)}>
          <InputNumber<number> data-testid={f.testId} min={0} precision={0} suffix={t(f.unit)} style={{ width: '100%' }} />
        </Form.Item>
      ))}
      <Form.Item name="notes" label={t('profile.notes')}>
        {/* The server's limit (ProfileInputSchema.notes); the count appears as it nears. */}
        <Input.TextArea
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={NOTES_MAX}
          showCount={{ formatter: ({ count }) => (count > NOTES_MAX - 200 ? `${count} / ${NOTES_MAX}` : '') }}
          placeholder={t('profile.notesPlaceholder')}
          data-testid="profile-notes"
        />
      </Form.Item>
      {formError && <Alert type="error" showIcon title={formError} style={{ marginBottom: 16 }} />}
      {readOnly ? (
        <Alert type="info" showIcon title={t('profile.readOnly')} style={{ marginBottom: 16 }} />
      ) : (
        <Form.Item style={{ marginBottom: 8 }}>
          <Flex align="center" gap={12}>
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving} data-testid="profile-save">
              {t('profile.save')}
            </Button>
            {justSaved && (
              <Typography.Text type="success" data-testid="profile-saved" role="status">
                <CheckCircleFilled /> {t('profile.saved')}
              </Typography.Text>
            )}
          </Flex>
        </Form.Item>
      )}
      <Typography.Text type="secondary" data-testid="profile-updated">
        {profile.updatedAt
          ? t('profile.updated', {
              time: `${formatBeijingTime(profile.updatedAt)} (${t('time.zone')})`,
              by: profile.updatedBy ?? t('profile.unknownUser'),
            })
          : t('profile.neverUpdated')}
      </Typography.Text>
    </Form>
  );
}
