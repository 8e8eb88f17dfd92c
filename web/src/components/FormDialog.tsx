import { Alert, App, Button, Form, Modal, Typography, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError, localizeServerText } from '../api.ts';
import { useRefusal } from '../formErrors.ts';
import { useI18n, type Lang } from '../i18n.tsx';
import { useErrorText } from '../useErrorText.ts';

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
  /** Nothing to send yet (no row picked): the button is off, and Enter in a field sends nothing either. */
  submitDisabled?: boolean;
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
  /**
   * For a dialog that sends rows picked from a list (communities, appeals) rather than fields: the
   * server names the rows it refused (`communities.2.communityCode`), which no field can hold. The
   * box gives the refusal's reason, and with 'listed' each refused row's reason under it.
   */
  refusedRows?: 'listed' | 'unlisted';
  onClose: () => void;
  /** Sends the values; a throw is the server's refusal, shown in the dialog, which stays open. */
  onSubmit: (values: V) => Promise<void>;
  /** The form's content; what changes the picked rows outside a form field calls `clearRefusal`. */
  children: (form: FormInstance<V>, clearRefusal: () => void) => ReactNode;
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
    submitDisabled = false,
    refusedRows,
    failedText,
    hint,
    width = 560,
    onClose,
    onSubmit,
    children,
  } = props;
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>(props.form);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useRefusal(form, fields, aliases);
  // A refusal of picked rows is held as it came, so a language switch rewords it.
  const [rowsRefusal, setRowsRefusal] = useState<unknown>(null);
  const clearRefusal = () => {
    setFormError(null);
    setRowsRefusal(null);
  };

  async function submit(values: V) {
    if (submitDisabled) return;
    setBusy(true);
    clearRefusal();
    try {
      await onSubmit(values);
    } catch (err) {
      if (refusedRows) setRowsRefusal(err);
      else setFormError(withoutImplied(err, implied));
      if (failedText) message.error(failedText);
    } finally {
      setBusy(false);
    }
  }

  const close = () => {
    clearRefusal();
    onClose();
  };
  const box =
    formError !== null
      ? { title: formError }
      : rowsRefusal !== null
        ? { title: errorText(rowsRefusal), description: refusedRows === 'listed' ? rowReasons(rowsRefusal, lang) : undefined }
        : null;

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
        <Button
          key="ok"
          type="primary"
          loading={busy}
          disabled={submitDisabled}
          onClick={() => form.submit()}
          data-testid={`${testId}-submit`}
        >
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
          clearRefusal();
          props.onValuesChange?.(changed, all);
        }}
        initialValues={initialValues}
        preserve={false}
        data-testid={props.formTestId ?? `${testId}-form`}
        {...props.formData}
      >
        {children(form, clearRefusal)}
        {box && <Alert type="error" showIcon {...box} data-testid={`${testId}-error`} style={{ marginBottom: 4 }} />}
        {props.footnote}
      </Form>
      {props.after?.(clearRefusal)}
    </Modal>
  );
}

/** Each refused row's reason, in the reader's language (the rows are named by the dialog's own list). */
function rowReasons(err: unknown, lang: Lang): string | undefined {
  if (!(err instanceof ApiError) || !err.problem.errors?.length) return undefined;
  return err.problem.errors.map((e) => localizeServerText(e.message, lang)).join(lang === 'zh' ? '；' : '; ');
}

function withoutImplied(err: unknown, implied: readonly string[]): unknown {
  if (!(err instanceof ApiError) || !err.problem.errors || implied.length === 0) return err;
  const errors = err.problem.errors.filter((e) => !implied.includes(e.field.split(/[./]/).filter(Boolean).pop() ?? ''));
  return new ApiError({ ...err.problem, errors });
}
