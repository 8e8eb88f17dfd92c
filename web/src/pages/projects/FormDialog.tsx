import { Alert, Button, Form, Modal, Typography, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { useRefusal } from '../programs/common.tsx';

interface Props<V> {
  open: boolean;
  title: ReactNode;
  /** Prefix of the test ids: `<id>-form`, `<id>-submit`, `<id>-cancel`, `<id>-error`. */
  testId: string;
  /** The form's field names: a refusal naming one goes beside it, the rest in the box. */
  fields: readonly string[];
  /**
   * Fields the dialog itself stands for (a transition's `to`): the refusal's detail already says
   * what is wrong with them, so their field notes ("to: …") are left out of the box.
   */
  implied?: readonly string[];
  initialValues?: Partial<V>;
  submitText?: string;
  hint?: ReactNode;
  width?: number;
  onClose: () => void;
  /** Sends the values; a throw is the server's refusal, shown in the dialog, which stays open. */
  onSubmit: (values: V) => Promise<void>;
  children: (form: FormInstance<V>) => ReactNode;
}

/**
 * One write of the project page in a dialog. The server decides (a consultation before approval,
 * a milestone after the start, an amount above zero); its reason stays on screen in the reader's
 * language until the form changes, and nothing is written.
 */
export function FormDialog<V extends object>({ open, title, testId, fields, implied = [], initialValues, submitText, hint, width = 560, onClose, onSubmit, children }: Props<V>) {
  const { t } = useI18n();
  const [form] = Form.useForm<V>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useRefusal(form, fields);

  async function submit(values: V) {
    setBusy(true);
    setFormError(null);
    try {
      await onSubmit(values);
    } catch (err) {
      setFormError(withoutImplied(err, implied));
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
      <Form<V> form={form} layout="vertical" onFinish={submit} onValuesChange={() => setFormError(null)} initialValues={initialValues} preserve={false} data-testid={`${testId}-form`}>
        {children(form)}
        {formError && <Alert type="error" showIcon title={formError} data-testid={`${testId}-error`} style={{ marginBottom: 4 }} />}
      </Form>
    </Modal>
  );
}

function withoutImplied(err: unknown, implied: readonly string[]): unknown {
  if (!(err instanceof ApiError) || !err.problem.errors || implied.length === 0) return err;
  const errors = err.problem.errors.filter((e) => !implied.includes(e.field.split(/[./]/).filter(Boolean).pop() ?? ''));
  return new ApiError({ ...err.problem, errors });
}
