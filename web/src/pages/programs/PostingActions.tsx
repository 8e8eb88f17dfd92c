import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, DatePicker, Divider, Form, type FormListFieldData, Input, Row, Select, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { Dayjs } from 'dayjs';
import { FormDialog } from '../../components/FormDialog.tsx';
import { useI18n } from '../../i18n.tsx';
import { programsApi, type Batch, type Posting, type PostingDetail } from './api.ts';
import { spanText, toDay } from './common.tsx';
import { CadreSelect } from './pickers.tsx';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

interface DialogProps<R> {
  posting: PostingDetail;
  batches: Batch[];
  open: boolean;
  onClose: () => void;
  onDone: (result: R) => void;
}

interface SuccessionValues {
  cadreId?: number;
  startDate?: Dayjs | null;
  batchId?: number;
  handoverDate?: Dayjs | null;
  handoverNotes?: string;
  contacts?: Array<{ name?: string; role?: string; phone?: string }>;
  openItems?: Array<{ description?: string }>;
  notes?: string;
}

const SUCCESSION_FIELDS = ['cadreId', 'startDate', 'batchId', 'handoverDate', 'handoverNotes', 'notes'] as const;

/**
 * POST /postings/{id}/succession (接任): another cadre takes the community over; the predecessor
 * ends the day before, and the handover (notes, contacts, open items) is kept with the chain.
 */
export function SuccessionDialog({ posting, batches, open, onClose, onDone }: DialogProps<{ successor: Posting }>) {
  const { t } = useI18n();

  async function submit(v: SuccessionValues) {
    const contacts = (v.contacts ?? [])
      .filter((c) => c.name?.trim())
      .map((c) => ({
        name: c.name!.trim(),
        ...(c.role?.trim() ? { role: c.role.trim() } : {}),
        ...(c.phone?.trim() ? { phone: c.phone.trim() } : {}),
      }));
    const openItems = (v.openItems ?? []).filter((i) => i.description?.trim()).map((i) => ({ description: i.description!.trim() }));
    const result = await programsApi.succeed(posting.id, {
      cadreId: v.cadreId ?? 0,
      startDate: toDay(v.startDate) ?? '',
      ...(v.batchId && v.batchId !== posting.batchId ? { batchId: v.batchId } : {}),
      notes: v.notes?.trim() || null,
      handover: {
        ...(v.handoverDate ? { date: toDay(v.handoverDate) } : {}),
        ...(v.handoverNotes?.trim() ? { notes: v.handoverNotes.trim() } : {}),
        contacts,
        openItems,
      },
    });
    onDone(result);
  }

  return (
    <FormDialog<SuccessionValues>
      open={open}
      title={t('prog.succession.title', { community: posting.communityName, cadre: posting.cadre.name })}
      testId="succession"
      fields={SUCCESSION_FIELDS}
      width={760}
      hint={t('prog.succession.hint', { cadre: posting.cadre.name })}
      initialValues={{ batchId: posting.batchId, contacts: [], openItems: [{}] }}
      submitText={t('prog.succession.submit')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item
                name="cadreId"
                label={t('prog.succession.successor')}
                rules={[{ required: true, message: t('prog.form.required') }]}
              >
                <CadreSelect exclude={posting.cadre.id} placeholder={t('prog.cadre.searchPlaceholder')} data-testid="succession-cadre" />
              </Form.Item>
            </Col>
            <Col xs={12} md={7}>
              <Form.Item name="startDate" label={t('prog.succession.start')} rules={[{ required: true, message: t('prog.form.required') }]}>
                <DatePicker style={{ width: '100%' }} data-testid="succession-start" />
              </Form.Item>
            </Col>
            <Col xs={12} md={7}>
              <Form.Item name="batchId" label={t('prog.col.batch')}>
                <Select<number>
                  options={batches.map((b) => ({ value: b.id, label: t('prog.batch.name', { n: b.number }) }))}
                  data-testid="succession-batch"
                />
              </Form.Item>
            </Col>
          </Row>
          <Divider titlePlacement="start" style={{ marginTop: 0 }}>
            {t('prog.handover.title')}
          </Divider>
          <Row gutter={16}>
            <Col xs={24} md={7}>
              <Form.Item name="handoverDate" label={t('prog.handover.date')} extra={t('prog.handover.dateHint')}>
                <DatePicker style={{ width: '100%' }} data-testid="handover-date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={17}>
              <TextAreaItem
                name="handoverNotes"
                label={t('prog.handover.notes')}
                rows={[2, 6]}
                maxLength={8000}
                placeholder={t('prog.handover.notesPlaceholder')}
                testId="handover-notes"
              />
            </Col>
          </Row>
          <Typography.Text strong>{t('prog.handover.openItems')}</Typography.Text>
          <FormRows name="openItems" addText={t('prog.handover.addOpenItem')} addTestId="handover-add-item">
            {(field) => (
              <Form.Item name={[field.name, 'description']} style={{ marginBottom: 8, width: 560 }}>
                <Input maxLength={1000} placeholder={t('prog.handover.openItemPlaceholder')} data-testid="handover-open-item" />
              </Form.Item>
            )}
          </FormRows>
          <Typography.Text strong style={{ display: 'block' }}>
            {t('prog.handover.contacts')}
          </Typography.Text>
          <FormRows name="contacts" wrap addText={t('prog.handover.addContact')} addTestId="handover-add-contact">
            {(field) => (
              <>
                <Form.Item
                  name={[field.name, 'name']}
                  style={{ marginBottom: 8 }}
                  rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}
                >
                  <Input
                    maxLength={100}
                    placeholder={t('prog.handover.contactName')}
                    data-testid="handover-contact-name"
                    style={{ width: 160 }}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'role']} style={{ marginBottom: 8 }}>
                  <Input
                    maxLength={200}
                    placeholder={t('prog.handover.contactRole')}
                    data-testid="handover-contact-role"
                    style={{ width: 220 }}
                  />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'phone']}
                  style={{ marginBottom: 8 }}
                  rules={[{ pattern: /^[0-9+() -]{5,20}$/, message: t('prog.form.phone') }]}
                >
                  <Input
                    maxLength={20}
                    placeholder={t('prog.handover.contactPhone')}
                    data-testid="handover-contact-phone"
                    style={{ width: 160 }}
                  />
                </Form.Item>
              </>
            )}
          </FormRows>
          <TextAreaItem name="notes" label={t('prog.succession.notes')} rows={[1, 4]} maxLength={4000} testId="succession-notes" />
        </>
      )}
    </FormDialog>
  );
}

/**
 * A Form.List drawn as rows, each with its remove icon, and a dashed button below that adds an empty
 * row: the handover's open items and its contacts.
 */
function FormRows({
  name,
  wrap,
  addText,
  addTestId,
  children,
}: {
  name: string;
  wrap?: boolean;
  addText: string;
  addTestId: string;
  children: (field: FormListFieldData) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div style={{ marginTop: 8 }}>
          {fields.map((field) => (
            <Space key={field.key} align="baseline" wrap={wrap} style={{ display: 'flex' }}>
              {children(field)}
              <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('prog.remove')} />
            </Space>
          ))}
          <Button
            type="dashed"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => add({})}
            data-testid={addTestId}
            style={{ marginBottom: 16 }}
          >
            {addText}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

interface RenewalValues {
  batchId?: number;
  startDate?: Dayjs | null;
  endDate?: Dayjs | null;
  notes?: string;
}

/** POST /postings/{id}/renewal (续任): the same cadre into a later batch, one continuous record. */
export function RenewalDialog({ posting, batches, open, onClose, onDone }: DialogProps<{ renewal: Posting }>) {
  const { t } = useI18n();
  const later = batches.filter((b) => b.number > posting.batchNumber);

  async function submit(v: RenewalValues) {
    const result = await programsApi.renew(posting.id, {
      ...(v.batchId ? { batchId: v.batchId } : {}),
      ...(v.startDate ? { startDate: toDay(v.startDate) } : {}),
      ...(v.endDate ? { endDate: toDay(v.endDate) } : {}),
      notes: v.notes?.trim() || null,
    });
    onDone(result);
  }

  return (
    <FormDialog<RenewalValues>
      open={open}
      title={t('prog.renewal.title', { cadre: posting.cadre.name })}
      testId="renewal"
      fields={['batchId', 'startDate', 'endDate', 'notes']}
      width={520}
      hint={t('prog.renewal.hint')}
      initialValues={{ batchId: later[0]?.id }}
      submitText={t('prog.renewal.submit')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          {later.length === 0 && (
            <Alert
              type="warning"
              showIcon
              title={t('prog.renewal.noLaterBatch', { n: posting.batchNumber + 1 })}
              style={{ marginBottom: 16 }}
            />
          )}
          <Form.Item name="batchId" label={t('prog.col.batch')}>
            <Select<number>
              options={later.map((b) => ({
                value: b.id,
                label: `${t('prog.batch.name', { n: b.number })}（${spanText(b.startDate, b.endDate, t)}）`,
              }))}
              data-testid="renewal-batch"
            />
          </Form.Item>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="startDate" label={t('prog.col.start')} extra={t('prog.renewal.startHint')}>
                <DatePicker style={{ width: '100%' }} data-testid="renewal-start" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="endDate" label={t('prog.col.end')} extra={t('prog.posting.endHint')}>
                <DatePicker style={{ width: '100%' }} data-testid="renewal-end" />
              </Form.Item>
            </Col>
          </Row>
          <TextAreaItem name="notes" label={t('prog.col.notes')} rows={[1, 4]} maxLength={4000} />
        </>
      )}
    </FormDialog>
  );
}

interface EndValues {
  endDate?: Dayjs | null;
  reason?: string;
}

/** POST /postings/{id}/end: the last day on site and why. */
export function EndPostingDialog({ posting, open, onClose, onDone }: Omit<DialogProps<Posting>, 'batches'>) {
  const { t } = useI18n();

  async function submit(v: EndValues) {
    const result = await programsApi.endPosting(posting.id, {
      endDate: toDay(v.endDate) ?? '',
      ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
    });
    onDone(result);
  }

  return (
    <FormDialog<EndValues>
      open={open}
      title={t('prog.end.title', { cadre: posting.cadre.name, community: posting.communityName })}
      testId="end"
      fields={['endDate', 'reason']}
      width={520}
      submitText={t('prog.end.submit')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Form.Item name="endDate" label={t('prog.end.date')} rules={[{ required: true, message: t('prog.form.required') }]}>
            <DatePicker style={{ width: 200 }} data-testid="end-date" />
          </Form.Item>
          <TextAreaItem
            name="reason"
            label={t('prog.end.reason')}
            rows={[1, 4]}
            maxLength={1000}
            placeholder={t('prog.end.reasonPlaceholder')}
            testId="end-reason"
          />
        </>
      )}
    </FormDialog>
  );
}
