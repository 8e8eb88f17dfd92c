import { Alert, App, Button, Form, Modal, Typography, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { useRefusal } from '../formErrors.ts';
import { useI18n } from '../i18n.tsx';

/** What a dialog that creates one thing takes: whether it is open, and where the new thing goes. */
export interface CreateDialogProps<T> {
  open: boolean;
  onClose: () => void;
  onCreated: (created: T) => void;
}

interface Props<V> {
  open: boolean;
  title: ReactNode;
  /**
   * Prefix of the test ids: `<id>-form`, `<id>-submit`, `<id>-cancel`, `<id>-error`.
   * `formTestId` replaces the form's own where it already had another name.
   */
  testId: string;
  formTestId?: string;
  /** The form's field names: a refusal naming one goes beside it, the rest in the box. */
  fields: readonly string[];
  /** Server field names that one form field stands for (the three place codes behind one picker). */
  aliases?: Readonly<Record<string, string>>;
  /**
   * Fields the dialog itself stands for (a transition's `to`): the refusal's detail already says
   * what is wrong with them, so their field notes ("to: …") are left out of the box.
   */
  implied?: readonly string[];
  /** The caller's own form, where it watches or sets fields outside the children. */
  form?: FormInstance<V>;
  initialValues?: Partial<V>;
  onValuesChange?: (changed: Partial<V>, all: V) => void;
  submitText?: string;
  /** A toast as well as the box, for the dialogs whose refusal is worth a second look. */
  failedText?: string;
  hint?: ReactNode;
  width?: number;
  /** Attributes on the form element the tests read (the step a step dialog is for). */
  formData?: Readonly<Record<`data-${string}`, string>>;
  /** Below the refusal, inside the form (a version line). */
  footnote?: ReactNode;
  /** Below the form (a panel that helps fill it without being part of it); what it sets clears the refusal. */
  after?: (clearRefusal: () => void) => ReactNode;
  onClose: () => void;
  /** Sends the values; a throw is the server's refusal, shown in the dialog, which stays open. */
  onSubmit: (values: V) => Promise<void>;
  children: (form: FormInstance<V>) => ReactNode;
}

/**
 * One write in a dialog. The server decides (a consultation before approval, an overlap of
 * postings, a login taken); its reason stays on screen in the reader's language until the form
 * changes, and nothing is written.
 */
export function FormDialog<V extends object>(props: Props<V>) {
  const {
    open,
    title,
    testId,
    fields,
    aliases,
    implied = [],
    initialValues,
    submitText,
    failedText,
    hint,
    width = 560,
    onClose,
    onSubmit,
    children,
  } = props;
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>(props.form);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useRefusal(form, fields, aliases);

  async function submit(values: V) {
    setBusy(true);
    setFormError(null);
    try {
      await onSubmit(values);
    } catch (err) {
      setFormError(withoutImplied(err, implied));
      if (failedText) message.error(failedText);
    } finally {
      setBusy(false);
    }
  }

  const close = () => {
    setFormError(null);
    onClose();
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={close}
      width={width}
      mask={{ closable: false }}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={close} data-testid={`${testId}-cancel`}>
          {t('auth.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} onClick={() => form.submit()} data-testid={`${testId}-submit`}>
          {submitText ?? t('proj.save')}
        </Button>,
      ]}
    >
      {hint && <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>}
      <Form<V>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={(changed: Partial<V>, all: V) => {
          setFormError(null);
          props.onValuesChange?.(changed, all);
        }}
        initialValues={initialValues}
        preserve={false}
        data-testid={props.formTestId ?? `${testId}-form`}
        {...props.formData}
      >
        {children(form)}
        {formError && <Alert type="error" showIcon title={formError} data-testid={`${testId}-error`} style={{ marginBottom: 4 }} />}
        {props.footnote}
      </Form>
      {props.after?.(() => setFormError(null))}
    </Modal>
  );
}

function withoutImplied(err: unknown, implied: readonly string[]): unknown {
  if (!(err instanceof ApiError) || !err.problem.errors || implied.length === 0) return err;
  const errors = err.problem.errors.filter((e) => !implied.includes(e.field.split(/[./]/).filter(Boolean).pop() ?? ''));
  return new ApiError({ ...err.problem, errors });
}
