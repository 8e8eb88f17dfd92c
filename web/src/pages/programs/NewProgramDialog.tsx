import { Checkbox, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { type CreateDialogProps, FormDialog } from '../../components/FormDialog.tsx';
import { useI18n } from '../../i18n.tsx';
import { ORIGIN_UNIT_TYPES, PROGRAM_KINDS, programsApi, type Program, type ProgramKind, type UnitType } from './api.ts';
import { programKindKey, unitTypeKey, useLoad } from './common.tsx';

interface Values {
  kind: ProgramKind;
  name: string;
  districtCode?: string;
  minDutyDaysPerWeek: number;
  termMonths?: number | null;
  allowedUnitTypes: UnitType[];
}

const FIELDS = ['kind', 'name', 'districtCode', 'minDutyDaysPerWeek', 'termMonths', 'allowedUnitTypes'] as const;

/** The server's defaults of each kind (programs.ts defaultRules), shown so they can be changed. */
const DEFAULTS: Record<ProgramKind, { minDutyDaysPerWeek: number; allowedUnitTypes: UnitType[] }> = {
  governance_secretary: { minDutyDaysPerWeek: 0, allowedUnitTypes: ['party_government_agency', 'street_office'] },
  first_secretary: {
    minDutyDaysPerWeek: 2,
    allowedUnitTypes: ['party_government_agency', 'street_office', 'resident_unit', 'new_economic_org', 'new_social_org'],
  },
  custom: { minDutyDaysPerWeek: 0, allowedUnitTypes: [...ORIGIN_UNIT_TYPES] },
};

/** POST /programs: kind, district, name and rules (weekly minimum, term, accepted origin unit types). */
export function NewProgramDialog({ open, onClose, onCreated }: CreateDialogProps<Program>) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const [form] = Form.useForm<Values>();
  const scope = session?.user.scopeCode ?? '11';
  const ownDistrict = scope.length >= 6 ? scope.slice(0, 6) : null;
  const districts = useLoad(open && !ownDistrict ? `districts:${scope}` : null, (signal) =>
    api.divisions({ within: scope, level: 'district', limit: 100 }, signal).then((p) => p.items),
  );
  const districtName = (code?: string) =>
    code === ownDistrict
      ? (session?.user.scopeName ?? '')
      : districts.kind === 'ready'
        ? (districts.data.find((d) => d.code === code)?.name ?? '')
        : '';

  // The name follows the kind and the district until the user writes their own.
  const [nameTouched, setNameTouched] = useState(false);
  const kind = Form.useWatch('kind', form);
  const district = Form.useWatch('districtCode', form);
  useEffect(() => {
    if (!open || nameTouched || !kind) return;
    form.setFieldValue('name', `${districtName(district)}${t(programKindKey(kind))}`);
  }, [open, kind, district, nameTouched, districts.kind, lang]);

  async function submit(values: Values) {
    const program = await programsApi.createProgram({
      kind: values.kind,
      name: values.name.trim(),
      districtCode: values.districtCode ?? '',
      minDutyDaysPerWeek: values.minDutyDaysPerWeek,
      termMonths: values.termMonths ?? null,
      allowedUnitTypes: values.allowedUnitTypes,
    });
    setNameTouched(false);
    onCreated(program);
  }

  return (
    <FormDialog<Values>
      open={open}
      title={t('prog.program.new')}
      testId="program"
      fields={FIELDS}
      form={form}
      initialValues={{
        kind: 'governance_secretary',
        districtCode: ownDistrict ?? undefined,
        termMonths: null,
        ...DEFAULTS.governance_secretary,
      }}
      onValuesChange={(changed) => {
        if ('name' in changed) setNameTouched(true);
        if (changed.kind) form.setFieldsValue(DEFAULTS[changed.kind]);
      }}
      submitText={t('prog.form.create')}
      failedText={t('prog.form.failed')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Form.Item name="kind" label={t('prog.program.kind')} rules={[{ required: true }]}>
            <Radio.Group
              data-testid="program-kind"
              optionType="button"
              options={PROGRAM_KINDS.map((k) => ({ value: k, label: t(programKindKey(k)) }))}
            />
          </Form.Item>
          <Form.Item name="districtCode" label={t('prog.program.district')} rules={[{ required: true, message: t('prog.form.required') }]}>
            <Select<string>
              data-testid="program-district"
              disabled={ownDistrict !== null}
              loading={districts.kind === 'loading' && !ownDistrict}
              options={
                ownDistrict
                  ? [{ value: ownDistrict, label: session?.user.scopeName ?? ownDistrict }]
                  : districts.kind === 'ready'
                    ? districts.data.map((d) => ({ value: d.code, label: d.name }))
                    : []
              }
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('prog.program.name')}
            rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}
          >
            <Input maxLength={200} data-testid="program-name" />
          </Form.Item>
          <Form.Item name="minDutyDaysPerWeek" label={t('prog.program.minDays')} extra={t('prog.program.minDaysHint')}>
            <InputNumber<number>
              min={0}
              max={7}
              precision={0}
              suffix={t('prog.unit.daysPerWeek')}
              data-testid="program-min-days"
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item name="termMonths" label={t('prog.program.term')} extra={t('prog.program.termHint')}>
            <InputNumber<number>
              min={1}
              max={120}
              precision={0}
              suffix={t('prog.unit.months')}
              data-testid="program-term"
              style={{ width: 200 }}
            />
          </Form.Item>
          <Form.Item
            name="allowedUnitTypes"
            label={t('prog.program.allowed')}
            rules={[{ required: true, type: 'array', min: 1, message: t('prog.form.required') }]}
          >
            <Checkbox.Group
              data-testid="program-allowed"
              options={ORIGIN_UNIT_TYPES.map((u) => ({ value: u, label: t(unitTypeKey(u)) }))}
            />
          </Form.Item>
        </>
      )}
    </FormDialog>
  );
}
