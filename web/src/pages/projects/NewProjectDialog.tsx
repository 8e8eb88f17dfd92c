import { Checkbox, Col, DatePicker, Form, Input, InputNumber, Row, Select, type FormInstance } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useAuth } from '../../auth.tsx';
import { useI18n } from '../../i18n.tsx';
import { CategorySelect } from '../../components/CategorySelect.tsx';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { programsApi } from '../programs/api.ts';
import { toDay, useLoad } from '../programs/common.tsx';
import { PROJECT_ORIGINS, projectsApi, type Project, type ProjectOrigin } from './api.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

interface Values {
  communityCode?: string;
  title?: string;
  categoryCode?: string;
  origin: ProjectOrigin;
  historical: boolean;
  leadPostingId?: number;
  plannedStartDate?: Dayjs | null;
  plannedEndDate?: Dayjs | null;
  expectedCompletionDate?: Dayjs | null;
  householdsBenefited?: number | null;
  description?: string;
}

const FIELDS = [
  'communityCode',
  'title',
  'categoryCode',
  'origin',
  'historical',
  'leadPostingId',
  'plannedStartDate',
  'plannedEndDate',
  'expectedCompletionDate',
  'householdsBenefited',
  'description',
] as const;

/**
 * POST /projects: a hard nut a community takes on, proposed today. The server checks the place
 * against the user's scope, the lead posting against the community, the dates' order.
 */
export function NewProjectDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (p: Project) => void }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const scope = session?.user.scopeCode ?? '11';
  // A community's own committee (or its secretary) proposes for that community only.
  const ownCommunity = scope.length === 12 ? scope : undefined;
  return (
    <FormDialog<Values>
      open
      title={t('proj.new.title')}
      testId="project"
      fields={FIELDS}
      hint={t('proj.new.hint')}
      initialValues={{ communityCode: ownCommunity, origin: 'hotspot', historical: false }}
      submitText={t('proj.new.submit')}
      width={760}
      onClose={onClose}
      onSubmit={async (v) => {
        const created = await projectsApi.create({
          communityCode: v.communityCode ?? '',
          title: v.title?.trim() ?? '',
          categoryCode: v.categoryCode ?? '',
          origin: v.origin,
          historical: v.historical,
          leadPostingId: v.leadPostingId ?? null,
          plannedStartDate: toDay(v.plannedStartDate) ?? null,
          plannedEndDate: toDay(v.plannedEndDate) ?? null,
          expectedCompletionDate: toDay(v.expectedCompletionDate) ?? null,
          householdsBenefited: v.householdsBenefited ?? null,
          description: v.description?.trim() || null,
        });
        onCreated(created);
      }}
    >
      {(form) => (
        <>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="communityCode"
                label={t('proj.field.community')}
                rules={[{ required: true, message: t('proj.form.required') }]}
              >
                <DivisionSelect
                  within={scope}
                  browseLevel="community"
                  levels={['community']}
                  placeholder={t('proj.field.communityPlaceholder')}
                  data-testid="project-community"
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="categoryCode"
                label={t('proj.field.category')}
                rules={[{ required: true, message: t('proj.form.required') }]}
              >
                <CategorySelect style={{ width: '100%' }} data-testid="project-category" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item
                name="title"
                label={t('proj.field.title')}
                rules={[{ required: true, whitespace: true, message: t('proj.form.required') }]}
              >
                <Input maxLength={200} placeholder={t('proj.field.titlePlaceholder')} data-testid="project-title" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="origin" label={t('proj.origin')}>
                <Select<ProjectOrigin>
                  data-testid="project-origin"
                  options={PROJECT_ORIGINS.map((o) => ({ value: o, label: t(`proj.origin.${o}`) }))}
                  // A historical problem taken on is a long-standing one, as the server assumes too.
                  onChange={(o) => o === 'historical_problem' && form.setFieldsValue({ historical: true })}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="historical" label=" " valuePropName="checked">
                <Checkbox data-testid="project-historical">{t('proj.field.historical')}</Checkbox>
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <LeadField form={form} />
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="householdsBenefited" label={t('proj.households')}>
                <InputNumber<number> precision={0} min={0} style={{ width: '100%' }} data-testid="project-households" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="plannedStartDate" label={t('proj.field.plannedStart')}>
                <DatePicker style={{ width: '100%' }} data-testid="project-planned-start" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="plannedEndDate" label={t('proj.field.plannedEnd')}>
                <DatePicker style={{ width: '100%' }} data-testid="project-planned-end" />
              </Form.Item>
            </Col>
            <Col xs={12} md={8}>
              <Form.Item name="expectedCompletionDate" label={t('proj.expected')}>
                <DatePicker style={{ width: '100%' }} data-testid="project-expected" />
              </Form.Item>
            </Col>
            <Col span={24}>
              <TextAreaItem
                name="description"
                label={t('proj.field.description')}
                rows={[2, 6]}
                maxLength={8000}
                testId="project-description"
              />
            </Col>
          </Row>
        </>
      )}
    </FormDialog>
  );
}

/** The secretaries posted to the chosen community now (GET /postings?communityCode=&status=active). */
function LeadField({ form }: { form: FormInstance<Values> }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const code = Form.useWatch('communityCode', form);
  const postings = useLoad(code ? `postings-${code}` : null, (signal) =>
    programsApi.postings({ communityCode: code!, status: 'active', limit: 50 }, signal),
  );
  const items = postings.kind === 'ready' && code ? postings.data.items : [];
  const isSecretary = session?.user.role === 'secretary';
  const offered = items.map((p) => p.id).join(',');

  // Another community's secretary cannot lead here; a secretary's one posting is the lead.
  useEffect(() => {
    const current = form.getFieldValue('leadPostingId') as number | undefined;
    if (current !== undefined && !items.some((p) => p.id === current)) form.setFieldsValue({ leadPostingId: undefined });
    if (isSecretary && items.length === 1) form.setFieldsValue({ leadPostingId: items[0]!.id });
  }, [offered]);

  return (
    <Form.Item
      name="leadPostingId"
      label={t('proj.field.lead')}
      extra={isSecretary ? t('proj.field.leadHint') : undefined}
      rules={isSecretary ? [{ required: true, message: t('proj.form.required') }] : []}
    >
      <Select<number>
        allowClear
        disabled={!code}
        loading={postings.kind === 'loading' && !!code}
        placeholder={t('proj.field.leadPlaceholder')}
        notFoundContent={t('proj.field.noPostings')}
        data-testid="project-lead"
        options={items.map((p) => ({
          value: p.id,
          label: (
            <span data-testid="lead-option" data-name={p.cadre.name}>
              {t('proj.field.leadOption', { name: p.cadre.name, program: p.programName, n: p.batchNumber })}
            </span>
          ),
        }))}
      />
    </Form.Item>
  );
}
