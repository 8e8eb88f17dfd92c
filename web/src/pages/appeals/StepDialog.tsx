import { Alert, AutoComplete, Form, Input, Radio, Select, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ApiError, isAbort } from '../../api.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { useI18n } from '../../i18n.tsx';
import {
  appealsApi,
  dispatchTypeOf,
  SATISFACTIONS,
  UNIT_TYPES,
  type AppealDetail,
  type RegistryUnit,
  type Satisfaction,
  type Step,
  type StepInput,
  type UnitType,
} from './api.ts';
import { satisfactionKey, stepKey, streetOfficeName, unitTypeKey } from './appealText.ts';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

interface Values {
  name?: string;
  type?: UnitType;
  reason?: string;
  result?: string;
  contacted?: boolean;
  solved?: boolean;
  satisfaction?: Satisfaction;
  to?: 'dispatched' | 'received';
  note?: string;
}

// The server's field names; `/unit/name` and `/unit/type` end in the form's `name` and `type`.
const FIELDS = ['name', 'type', 'unit', 'reason', 'result', 'contacted', 'solved', 'satisfaction', 'to', 'note'] as const;

function toInput(step: Step, version: number, v: Values): StepInput {
  const note = v.note?.trim() ? { note: v.note.trim() } : {};
  const base = { type: step, expectedVersion: version, ...note };
  switch (step) {
    case 'dispatch':
      return { ...base, unit: { name: (v.name ?? '').trim(), type: v.type ?? 'street_office' } };
    case 'return':
      return { ...base, reason: (v.reason ?? '').trim() };
    case 'handle':
      return { ...base, result: (v.result ?? '').trim() };
    case 'callback':
      return v.contacted
        ? { ...base, contacted: true, solved: v.solved ?? null, satisfaction: v.satisfaction ?? null }
        : { ...base, contacted: false, solved: null, satisfaction: null };
    case 'reopen':
      return { ...base, reason: (v.reason ?? '').trim(), to: v.to ?? 'received' };
    case 'respond':
    case 'close':
      return base;
  }
}

/** Unit names to pick from: the street's own office first, then the shared registry's matches. */
function UnitNameInput(props: {
  value?: string;
  onChange?: (v: string) => void;
  suggestion: string | null;
  onPickType: (t: UnitType) => void;
  id?: string;
}) {
  const { value, onChange, suggestion, onPickType, id } = props;
  const [found, setFound] = useState<RegistryUnit[]>([]);
  useEffect(() => {
    const q = (value ?? '').trim();
    if (!q) {
      setFound([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      appealsApi
        .units(q, ctrl.signal)
        .then((page) => setFound(page.items))
        // The registry only helps; a dispatch names any unit by hand.
        .catch((err: unknown) => {
          if (!isAbort(err)) setFound([]);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [value]);
  const names = [...new Set([...(suggestion ? [suggestion] : []), ...found.map((u) => u.name)])];
  return (
    <AutoComplete
      id={id}
      value={value}
      onChange={onChange}
      onSelect={(name: string) => {
        const unit = found.find((u) => u.name === name);
        const type = unit ? dispatchTypeOf(unit.type) : name === suggestion ? 'street_office' : null;
        if (type) onPickType(type);
      }}
      options={names.map((name) => ({ value: name, label: <span data-testid="unit-option">{name}</span> }))}
    >
      <Input maxLength={100} autoComplete="off" data-testid="step-unit-name" />
    </AutoComplete>
  );
}

interface Props {
  appeal: AppealDetail;
  step: Step | null;
  onClose: () => void;
  onDone: (appeal: AppealDetail, step: Step) => void;
  /** 409: the appeal moved or the step is no longer allowed; the page reloads it. */
  onConflict: (err: ApiError) => void;
}

/** One step's small form, sent with the version the page holds as expectedVersion. */
export function StepDialog({ appeal, step, onClose, onDone, onConflict }: Props) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const contacted = Form.useWatch('contacted', form);

  async function submit(values: Values) {
    if (!step) return;
    try {
      onDone(await appealsApi.step(appeal.id, toInput(step, appeal.version, values)), step);
    } catch (err) {
      // The page reloads the appeal and says why; the dialog has nothing left to say.
      if (err instanceof ApiError && err.status === 409) onConflict(err);
      else throw err;
    }
  }

  const suggestion = streetOfficeName(appeal.streetName);
  const initial: Values =
    step === 'dispatch'
      ? { name: appeal.dispatchedUnit?.name ?? suggestion ?? undefined, type: appeal.dispatchedUnit?.type ?? 'street_office' }
      : step === 'reopen'
        ? { to: appeal.dispatchedUnit ? 'dispatched' : 'received' }
        : {};
  const yesNo = [
    { value: true, label: t('appeal.form.yes') },
    { value: false, label: t('appeal.form.no') },
  ];
  const required = (message: string) => [{ required: true, whitespace: true, message }];

  return (
    <FormDialog<Values>
      open={step !== null}
      title={step ? t('appeal.stepTitle', { step: t(stepKey(step)), ticket: appeal.ticketNo }) : null}
      testId="step"
      fields={FIELDS}
      form={form}
      initialValues={initial}
      formData={{ 'data-step': step ?? '' }}
      submitText={step ? t(stepKey(step)) : t('appeal.form.submit')}
      footnote={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('appeal.field.version')}: {appeal.version}
        </Typography.Text>
      }
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          {step === 'dispatch' && (
            <>
              <Form.Item name="name" label={t('appeal.form.unitName')} rules={required(t('appeal.form.unitNameRequired'))}>
                <UnitNameInput suggestion={suggestion} onPickType={(type) => form.setFieldValue('type', type)} />
              </Form.Item>
              <Form.Item name="type" label={t('appeal.form.unitType')} rules={[{ required: true }]}>
                <Select data-testid="step-unit-type" options={UNIT_TYPES.map((u) => ({ value: u, label: t(unitTypeKey(u)) }))} />
              </Form.Item>
            </>
          )}
          {step === 'return' && (
            <TextAreaItem
              name="reason"
              label={t('appeal.form.reason')}
              rules={required(t('appeal.form.reasonRequired'))}
              rows={[2, 6]}
              maxLength={1000}
              placeholder={t('appeal.form.returnReasonPlaceholder')}
              testId="step-reason"
            />
          )}
          {step === 'respond' && <Alert type="info" showIcon title={t('appeal.stepHint.respond')} style={{ marginBottom: 16 }} />}
          {step === 'handle' && (
            <TextAreaItem
              name="result"
              label={t('appeal.form.result')}
              rules={required(t('appeal.form.resultRequired'))}
              rows={[3, 8]}
              maxLength={4000}
              placeholder={t('appeal.form.resultPlaceholder')}
              testId="step-result"
            />
          )}
          {step === 'callback' && (
            <>
              <Form.Item
                name="contacted"
                label={t('appeal.form.contacted')}
                rules={[{ required: true, message: t('appeal.form.answerRequired') }]}
              >
                <Radio.Group optionType="button" options={yesNo} data-testid="step-contacted" />
              </Form.Item>
              {contacted === true && (
                <>
                  <Form.Item
                    name="solved"
                    label={t('appeal.form.solved')}
                    rules={[{ required: true, message: t('appeal.form.answerRequired') }]}
                  >
                    <Radio.Group optionType="button" options={yesNo} data-testid="step-solved" />
                  </Form.Item>
                  <Form.Item
                    name="satisfaction"
                    label={t('appeal.form.satisfaction')}
                    rules={[{ required: true, message: t('appeal.form.answerRequired') }]}
                  >
                    <Radio.Group
                      optionType="button"
                      options={SATISFACTIONS.map((s) => ({ value: s, label: t(satisfactionKey(s)) }))}
                      data-testid="step-satisfaction"
                    />
                  </Form.Item>
                </>
              )}
            </>
          )}
          {step === 'close' && (
            <Alert
              type={appeal.lastCallbackAt ? 'info' : 'warning'}
              showIcon
              title={t(appeal.lastCallbackAt ? 'appeal.stepHint.close' : 'appeal.stepHint.closeUncalled')}
              style={{ marginBottom: 16 }}
            />
          )}
          {step === 'reopen' && (
            <>
              <Form.Item name="to" label={t('appeal.form.reopenTo')}>
                <Radio.Group data-testid="step-reopen-to" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
                  {appeal.dispatchedUnit && (
                    <Radio value="dispatched">{t('appeal.form.reopenToDispatched', { unit: appeal.dispatchedUnit.name })}</Radio>
                  )}
                  <Radio value="received">{t('appeal.form.reopenToReceived')}</Radio>
                </Radio.Group>
              </Form.Item>
              <TextAreaItem
                name="reason"
                label={t('appeal.form.reason')}
                rules={required(t('appeal.form.reasonRequired'))}
                rows={[2, 6]}
                maxLength={1000}
                placeholder={t('appeal.form.reopenReasonPlaceholder')}
                testId="step-reason"
              />
            </>
          )}
          <TextAreaItem
            name="note"
            label={t('appeal.form.note')}
            rows={[1, 4]}
            maxLength={2000}
            placeholder={t('appeal.form.notePlaceholder')}
            testId="step-note"
          />
        </>
      )}
    </FormDialog>
  );
}
