import { Col, DatePicker, Form, Input, InputNumber, Row, Select, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../i18n.tsx';
import { beijingToday, toDay } from '../programs/common.tsx';
import { UnitSelect } from '../programs/pickers.tsx';
import {
  CONSULTATION_FORMS,
  OUTPUT_KINDS,
  projectsApi,
  STAKEHOLDER_ROLES,
  type ConsultationForm,
  type Milestone,
  type Output,
  type OutputKind,
  type ProjectDetail,
  type ProjectStatus,
  type StakeholderRole,
} from './api.ts';
import { moveKey, useLabel, useOutputText } from './common.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

/** The dialog the project page has open, with what it is about. */
export type ProjectDialog =
  | { kind: 'transition'; to: ProjectStatus }
  | { kind: 'stakeholder' }
  | { kind: 'consultation' }
  | { kind: 'milestone' }
  | { kind: 'milestoneDone'; milestone: Milestone }
  | { kind: 'fund' }
  | { kind: 'output' }
  | { kind: 'outputUpdate'; output: Output };

interface Props {
  p: ProjectDetail;
  dialog: ProjectDialog;
  onClose: () => void;
  /** After the server took the write: the page says so and loads the project again. */
  onSaved: (message: string) => void;
}

/** Results are recorded, not planned: the server refuses a day after today, the picker does not offer one. */
const afterToday = (d: Dayjs) => d.format('YYYY-MM-DD') > beijingToday();
const today = () => dayjs(beijingToday());
const trimmed = (s: string | undefined) => s?.trim() || null;

/** POST /projects/:id/… one dialog per part; the server's refusal stays in the dialog. */
export function PartDialog({ p, dialog, onClose, onSaved }: Props) {
  switch (dialog.kind) {
    case 'transition':
      return <TransitionDialog p={p} to={dialog.to} onClose={onClose} onSaved={onSaved} />;
    case 'stakeholder':
      return <StakeholderDialog p={p} onClose={onClose} onSaved={onSaved} />;
    case 'consultation':
      return <ConsultationDialog p={p} onClose={onClose} onSaved={onSaved} />;
    case 'milestone':
      return <MilestoneDialog p={p} onClose={onClose} onSaved={onSaved} />;
    case 'milestoneDone':
      return <MilestoneDoneDialog p={p} milestone={dialog.milestone} onClose={onClose} onSaved={onSaved} />;
    case 'fund':
      return <FundDialog p={p} onClose={onClose} onSaved={onSaved} />;
    case 'output':
      return <OutputDialog p={p} onClose={onClose} onSaved={onSaved} />;
    case 'outputUpdate':
      return <OutputUpdateDialog p={p} output={dialog.output} onClose={onClose} onSaved={onSaved} />;
  }
}

type PartProps = Omit<Props, 'dialog'>;

function TransitionDialog({ p, to, onClose, onSaved }: PartProps & { to: ProjectStatus }) {
  const { t } = useI18n();
  const label = useLabel();
  const action = t(moveKey(to, p.status));
  const hint = to === 'approved' || to === 'in_progress' || to === 'completed' ? t(`proj.move.hint.${to}`) : undefined;
  return (
    <FormDialog<{ date?: Dayjs; note?: string }>
      open
      title={t('proj.move.title', { action, from: label('proj.status', p.status, p.statusLabel), to: label('proj.status', to) })}
      testId="transition"
      fields={['date', 'note']}
      implied={['to']}
      initialValues={{ date: today() }}
      submitText={action}
      hint={hint}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.transition(p.id, { to, date: toDay(v.date), ...(trimmed(v.note) ? { note: trimmed(v.note)! } : {}) });
        onSaved(t('proj.transition.done', { s: label('proj.status', to) }));
      }}
    >
      {() => (
        <>
          <Form.Item name="date" label={t('proj.date')} rules={[{ required: true, message: t('proj.form.required') }]}>
            <DatePicker disabledDate={afterToday} style={{ width: '100%' }} data-testid="transition-date" />
          </Form.Item>
          <TextAreaItem name="note" label={t('proj.note')} rows={[1, 4]} maxLength={4000} testId="transition-note" />
        </>
      )}
    </FormDialog>
  );
}

function StakeholderDialog({ p, onClose, onSaved }: PartProps) {
  const { t } = useI18n();
  return (
    <FormDialog<{ unitId?: number; role: StakeholderRole; note?: string }>
      open
      title={t('proj.stakeholder.add')}
      testId="stakeholder"
      fields={['unitId', 'role', 'note']}
      initialValues={{ role: 'coordinating' }}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.addStakeholder(p.id, { unitId: v.unitId ?? 0, role: v.role, note: trimmed(v.note) });
        onSaved(t('proj.saved'));
      }}
    >
      {() => (
        <>
          <Form.Item name="unitId" label={t('proj.unit')} rules={[{ required: true, message: t('proj.form.required') }]}>
            <UnitSelect placeholder={t('proj.stakeholder.unitPlaceholder')} data-testid="stakeholder-unit" />
          </Form.Item>
          <Form.Item name="role" label={t('proj.role')}>
            <Select<StakeholderRole>
              data-testid="stakeholder-role"
              options={STAKEHOLDER_ROLES.map((r) => ({ value: r, label: t(`proj.role.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('proj.note')}>
            <Input maxLength={4000} data-testid="stakeholder-note" />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}

interface ConsultationValues {
  heldOn?: Dayjs;
  form: ConsultationForm;
  participants?: number;
  support?: number;
  oppose?: number;
  abstain?: number;
  summary?: string;
}

function ConsultationDialog({ p, onClose, onSaved }: PartProps) {
  const { t } = useI18n();
  const votes = ['support', 'oppose', 'abstain'] as const;
  return (
    <FormDialog<ConsultationValues>
      open
      title={t('proj.consultation.add')}
      testId="consultation"
      fields={['heldOn', 'form', 'participants', ...votes, 'summary']}
      initialValues={{ heldOn: today(), form: 'meeting' }}
      width={640}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.addConsultation(p.id, {
          heldOn: toDay(v.heldOn) ?? '',
          form: v.form,
          participants: v.participants ?? 0,
          ...Object.fromEntries(votes.filter((k) => v[k] != null).map((k) => [k, v[k]])),
          summary: trimmed(v.summary),
        });
        onSaved(t('proj.saved'));
      }}
    >
      {() => (
        <>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name="heldOn" label={t('proj.consultation.date')} rules={[{ required: true, message: t('proj.form.required') }]}>
                <DatePicker disabledDate={afterToday} style={{ width: '100%' }} data-testid="consultation-date" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="form" label={t('proj.consultation.form')}>
                <Select<ConsultationForm>
                  data-testid="consultation-form-kind"
                  options={CONSULTATION_FORMS.map((f) => ({ value: f, label: t(`proj.form.${f}`) }))}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="participants"
                label={t('proj.consultation.participants')}
                rules={[{ required: true, message: t('proj.form.required') }]}
              >
                <InputNumber<number> precision={0} style={{ width: '100%' }} data-testid="consultation-participants" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            {votes.map((k) => (
              <Col span={8} key={k}>
                <Form.Item
                  name={k}
                  label={t(`proj.consultation.${k}`)}
                  extra={k === 'support' ? t('proj.consultation.votesHint') : undefined}
                >
                  <InputNumber<number> precision={0} style={{ width: '100%' }} data-testid={`consultation-${k}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
          <TextAreaItem
            name="summary"
            label={t('proj.consultation.summary')}
            rows={[2, 6]}
            maxLength={4000}
            testId="consultation-summary"
          />
        </>
      )}
    </FormDialog>
  );
}

function MilestoneDialog({ p, onClose, onSaved }: PartProps) {
  const { t } = useI18n();
  return (
    <FormDialog<{ title?: string; weight?: number; plannedOn?: Dayjs | null }>
      open
      title={t('proj.milestone.add')}
      testId="milestone"
      fields={['title', 'weight', 'plannedOn']}
      initialValues={{ weight: 1 }}
      hint={t('proj.milestone.weightHint')}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.addMilestone(p.id, {
          title: v.title?.trim() ?? '',
          ...(v.weight != null ? { weight: v.weight } : {}),
          plannedOn: toDay(v.plannedOn) ?? null,
        });
        onSaved(t('proj.saved'));
      }}
    >
      {() => (
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item
              name="title"
              label={t('proj.milestone.title')}
              rules={[{ required: true, whitespace: true, message: t('proj.form.required') }]}
            >
              <Input maxLength={200} data-testid="milestone-title" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="weight" label={t('proj.milestone.weight')}>
              <InputNumber<number> style={{ width: '100%' }} data-testid="milestone-weight" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="plannedOn" label={t('proj.milestone.plannedOn')}>
              <DatePicker style={{ width: '100%' }} data-testid="milestone-planned" />
            </Form.Item>
          </Col>
        </Row>
      )}
    </FormDialog>
  );
}

function MilestoneDoneDialog({ p, milestone, onClose, onSaved }: PartProps & { milestone: Milestone }) {
  const { t } = useI18n();
  return (
    <FormDialog<{ date?: Dayjs }>
      open
      title={t('proj.milestone.doneTitle', { title: milestone.title })}
      testId="milestone-done"
      fields={['date']}
      initialValues={{ date: today() }}
      submitText={t('proj.milestone.markDone')}
      hint={p.actualStartDate ? t('proj.milestone.doneHint', { d: p.actualStartDate }) : t('proj.milestone.notStarted')}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.milestoneDone(p.id, milestone.id, { date: toDay(v.date) });
        onSaved(t('proj.saved'));
      }}
    >
      {() => (
        <Form.Item name="date" label={t('proj.milestone.doneOn')} rules={[{ required: true, message: t('proj.form.required') }]}>
          <DatePicker disabledDate={afterToday} style={{ width: '100%' }} data-testid="milestone-done-date" />
        </Form.Item>
      )}
    </FormDialog>
  );
}

function FundDialog({ p, onClose, onSaved }: PartProps) {
  const { t } = useI18n();
  return (
    <FormDialog<{ amount?: number; sourceUnitId?: number; receivedOn?: Dayjs; note?: string }>
      open
      title={t('proj.fund.add')}
      testId="fund"
      fields={['amount', 'sourceUnitId', 'receivedOn', 'note']}
      initialValues={{ receivedOn: today() }}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.addFund(p.id, {
          amount: v.amount ?? 0,
          sourceUnitId: v.sourceUnitId ?? 0,
          receivedOn: toDay(v.receivedOn) ?? '',
          note: trimmed(v.note),
        });
        onSaved(t('proj.saved'));
      }}
    >
      {() => (
        <Row gutter={16}>
          <Col span={12}>
            {/* No bounds here: the server says what an amount may be, in its own words. */}
            <Form.Item name="amount" label={t('proj.fund.amount')} rules={[{ required: true, message: t('proj.form.required') }]}>
              <InputNumber<number> style={{ width: '100%' }} data-testid="fund-amount" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="receivedOn" label={t('proj.fund.date')} rules={[{ required: true, message: t('proj.form.required') }]}>
              <DatePicker disabledDate={afterToday} style={{ width: '100%' }} data-testid="fund-date" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="sourceUnitId" label={t('proj.fund.source')} rules={[{ required: true, message: t('proj.form.required') }]}>
              <UnitSelect placeholder={t('proj.fund.sourcePlaceholder')} data-testid="fund-source" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="note" label={t('proj.note')}>
              <Input maxLength={4000} data-testid="fund-note" />
            </Form.Item>
          </Col>
        </Row>
      )}
    </FormDialog>
  );
}

interface OutputValues {
  kind: OutputKind;
  unitLabel?: string;
  target?: number;
  achieved?: number;
  note?: string;
}

function OutputDialog({ p, onClose, onSaved }: PartProps) {
  const { t } = useI18n();
  const text = useOutputText();
  return (
    <FormDialog<OutputValues>
      open
      title={t('proj.output.add')}
      testId="output"
      fields={['kind', 'unitLabel', 'target', 'achieved', 'note']}
      initialValues={{ kind: 'parking_spaces' }}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.addOutput(p.id, {
          kind: v.kind,
          ...(v.kind === 'custom' ? { unitLabel: trimmed(v.unitLabel) } : {}),
          target: v.target ?? 0,
          ...(v.achieved != null ? { achieved: v.achieved } : {}),
          note: trimmed(v.note),
        });
        onSaved(t('proj.saved'));
      }}
    >
      {(form) => <OutputFields form={form} label={text.label} unit={text.unit} />}
    </FormDialog>
  );
}

function OutputFields({
  form,
  label,
  unit,
}: {
  form: FormInstance<OutputValues>;
  label: (k: string) => string;
  unit: (k: string) => string;
}) {
  const { t } = useI18n();
  const kind = Form.useWatch('kind', form) ?? 'parking_spaces';
  const suffix = kind === 'custom' ? undefined : unit(kind) || undefined;
  return (
    <Row gutter={16}>
      <Col span={kind === 'custom' ? 12 : 24}>
        <Form.Item name="kind" label={t('proj.output.kind')}>
          <Select<OutputKind> data-testid="output-kind" options={OUTPUT_KINDS.map((k) => ({ value: k, label: label(k) }))} />
        </Form.Item>
      </Col>
      {kind === 'custom' && (
        <Col span={12}>
          <Form.Item
            name="unitLabel"
            label={t('proj.output.unitLabel')}
            rules={[{ required: true, whitespace: true, message: t('proj.form.required') }]}
          >
            <Input maxLength={20} data-testid="output-unit" />
          </Form.Item>
        </Col>
      )}
      <Col span={12}>
        <Form.Item name="target" label={t('proj.output.target')} rules={[{ required: true, message: t('proj.form.required') }]}>
          <InputNumber<number> style={{ width: '100%' }} suffix={suffix} data-testid="output-target" />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item name="achieved" label={t('proj.output.achievedNow')}>
          <InputNumber<number> style={{ width: '100%' }} suffix={suffix} data-testid="output-achieved" />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item name="note" label={t('proj.note')}>
          <Input maxLength={4000} data-testid="output-note" />
        </Form.Item>
      </Col>
    </Row>
  );
}

function OutputUpdateDialog({ p, output, onClose, onSaved }: PartProps & { output: Output }) {
  const { t } = useI18n();
  const text = useOutputText();
  const unit = text.unit(output.kind, output.unitLabel) || undefined;
  return (
    <FormDialog<{ achieved?: number; target?: number; asOf?: Dayjs }>
      open
      title={t('proj.output.updateTitle', { label: text.label(output.kind, output.label) })}
      testId="output-update"
      fields={['achieved', 'target', 'asOf']}
      initialValues={{ achieved: output.achieved, target: output.target, asOf: today() }}
      onClose={onClose}
      onSubmit={async (v) => {
        await projectsApi.updateOutput(p.id, output.id, {
          ...(v.achieved != null && v.achieved !== output.achieved ? { achieved: v.achieved } : {}),
          ...(v.target != null && v.target !== output.target ? { target: v.target } : {}),
          asOf: toDay(v.asOf),
        });
        onSaved(t('proj.saved'));
      }}
    >
      {() => (
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="achieved" label={t('proj.output.achievedNow')} rules={[{ required: true, message: t('proj.form.required') }]}>
              <InputNumber<number> style={{ width: '100%' }} suffix={unit} data-testid="output-update-achieved" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="target" label={t('proj.output.target')}>
              <InputNumber<number> style={{ width: '100%' }} suffix={unit} data-testid="output-update-target" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="asOf" label={t('proj.output.asOf')}>
              <DatePicker disabledDate={afterToday} style={{ width: '100%' }} data-testid="output-update-date" />
            </Form.Item>
          </Col>
        </Row>
      )}
    </FormDialog>
  );
}
