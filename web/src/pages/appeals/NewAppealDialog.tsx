import { Checkbox, Col, Form, Input, Radio, Row, Select } from 'antd';
import { type CreateDialogProps, FormDialog } from '../../components/FormDialog.tsx';
import { useI18n } from '../../i18n.tsx';
import {
  appealsApi,
  CHANNELS,
  KINDS,
  URGENCIES,
  type AppealChannel,
  type AppealDetail,
  type AppealInput,
  type AppealKind,
  type Urgency,
} from './api.ts';
import { channelKey, kindKey, urgencyKey } from './appealText.ts';
import { CategorySelect } from '../../components/CategorySelect.tsx';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

interface Values {
  ticketNo?: string;
  channel: AppealChannel;
  kind: AppealKind;
  categoryCode: string;
  description: string;
  place: string;
  address?: string;
  reporterName?: string;
  reporterPhone?: string;
  urgency: Urgency;
  historical: boolean;
}

// The server names the place by its level; the form has one picker for all three.
const FIELDS = [
  'ticketNo',
  'channel',
  'kind',
  'categoryCode',
  'description',
  'place',
  'address',
  'reporterName',
  'reporterPhone',
  'urgency',
  'historical',
] as const;
const PLACE_FIELDS = { communityCode: 'place', streetCode: 'place', districtCode: 'place' };

function toInput(v: Values): AppealInput {
  const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
  const place =
    v.place.length === 12 ? { communityCode: v.place } : v.place.length === 9 ? { streetCode: v.place } : { districtCode: v.place };
  return {
    ...(text(v.ticketNo) ? { ticketNo: text(v.ticketNo) } : {}),
    channel: v.channel,
    kind: v.kind,
    categoryCode: v.categoryCode,
    description: v.description.trim(),
    ...place,
    address: text(v.address) ?? null,
    reporterName: text(v.reporterName) ?? null,
    reporterPhone: text(v.reporterPhone) ?? null,
    urgency: v.urgency,
    historical: v.historical,
  };
}

interface Props extends CreateDialogProps<AppealDetail> {
  /** The user's scope: the place must lie inside it. */
  scope: string;
}

/** POST /appeals: an appeal taken by phone, at the counter or for a resident a secretary helps. */
export function NewAppealDialog({ open, scope, onClose, onCreated }: Props) {
  const { t } = useI18n();

  async function submit(values: Values) {
    onCreated(await appealsApi.create(toInput(values)));
  }

  return (
    <FormDialog<Values>
      open={open}
      title={t('appeals.form.title')}
      testId="appeal-form"
      formTestId="appeal-form"
      fields={FIELDS}
      aliases={PLACE_FIELDS}
      width={720}
      initialValues={{ channel: 'phone', kind: 'complaint', urgency: 'normal', historical: false }}
      submitText={t('appeals.form.submit')}
      failedText={t('appeals.form.failed')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item name="channel" label={t('appeals.form.channel')} rules={[{ required: true }]}>
                <Select data-testid="appeal-form-channel" options={CHANNELS.map((c) => ({ value: c, label: t(channelKey(c)) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="ticketNo" label={t('appeals.form.ticketNo')} tooltip={t('appeals.form.ticketNoHint')}>
                <Input maxLength={64} autoComplete="off" placeholder="BJ2023020100017" data-testid="appeal-form-ticket" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="kind" label={t('appeals.form.kind')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              data-testid="appeal-form-kind"
              options={KINDS.map((k) => ({ value: k, label: t(kindKey(k)) }))}
            />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item
                name="categoryCode"
                label={t('appeals.form.category')}
                rules={[{ required: true, message: t('appeals.form.categoryRequired') }]}
              >
                <CategorySelect placeholder={t('appeals.form.categoryPlaceholder')} data-testid="appeal-form-category" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="place"
                label={t('appeals.form.place')}
                tooltip={t('appeals.form.placeHint')}
                rules={[{ required: true, message: t('appeals.form.placeRequired') }]}
              >
                <DivisionSelect
                  within={scope}
                  browseLevel="community"
                  levels={['district', 'street', 'community']}
                  placeholder={t('appeals.form.placePlaceholder')}
                  data-testid="appeal-form-place"
                />
              </Form.Item>
            </Col>
          </Row>
          <TextAreaItem
            name="description"
            label={t('appeals.form.description')}
            rules={[{ required: true, whitespace: true, message: t('appeals.form.descriptionRequired') }]}
            rows={[3, 8]}
            maxLength={4000}
            placeholder={t('appeals.form.descriptionPlaceholder')}
            testId="appeal-form-description"
          />
          <Form.Item name="address" label={t('appeals.form.address')}>
            <Input maxLength={500} placeholder={t('appeals.form.addressPlaceholder')} data-testid="appeal-form-address" />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item name="reporterName" label={t('appeals.form.reporterName')} tooltip={t('appeals.form.personalHint')}>
                <Input maxLength={50} autoComplete="off" data-testid="appeal-form-reporter-name" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item
                name="reporterPhone"
                label={t('appeals.form.reporterPhone')}
                rules={[{ pattern: /^[0-9+\- ()]*$/, message: t('appeals.form.reporterPhonePattern') }]}
              >
                <Input maxLength={30} autoComplete="off" inputMode="tel" data-testid="appeal-form-reporter-phone" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16} align="middle">
            <Col xs={24} sm={12}>
              <Form.Item name="urgency" label={t('appeals.form.urgency')}>
                <Radio.Group
                  optionType="button"
                  data-testid="appeal-form-urgency"
                  options={URGENCIES.map((u) => ({ value: u, label: t(urgencyKey(u)) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="historical" valuePropName="checked" label=" ">
                <Checkbox data-testid="appeal-form-historical">{t('appeals.form.historical')}</Checkbox>
              </Form.Item>
            </Col>
          </Row>
        </>
      )}
    </FormDialog>
  );
}
