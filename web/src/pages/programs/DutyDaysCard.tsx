import { CheckCircleFilled, SaveOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Calendar,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Row,
  Table,
  Typography,
  theme,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAuth } from '../../auth.tsx';
import { useRefusal } from '../../formErrors.ts';
import { formatBeijingTime } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi, type DutyDay, type PostingDetail } from './api.ts';
import { beijingToday, DATE, fromDay, LoadError, spanText, toDay, useLoad } from './common.tsx';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

interface Values {
  date?: Dayjs | null;
  hours?: number | null;
  work?: string;
  withWhom?: string;
}

const FIELDS = ['date', 'hours', 'work', 'withWhom'] as const;

/**
 * The month first shown: the month of the last day logged when that was before this month (a
 * history, such as the demo's 2023), else this month while the posting runs, else its last (or
 * first) month.
 */
function initialMonth(posting: PostingDetail, today: string): Dayjs {
  if (posting.lastDutyDay !== null && posting.lastDutyDay.slice(0, 7) < today.slice(0, 7)) return dayjs(posting.lastDutyDay, DATE);
  if (posting.endDate !== null && posting.endDate < today) return dayjs(posting.endDate, DATE);
  if (posting.startDate > today) return dayjs(posting.startDate, DATE);
  return dayjs(today, DATE);
}

/**
 * A posting's days on site as a month calendar, and the form a secretary logs a day with (date,
 * hours, what was done, with whom). The server refuses a day in the future, outside the posting
 * or logged twice, and says why; the reason is shown beside the date.
 */
export function DutyDaysCard({ posting, onLogged }: { posting: PostingDetail; onLogged: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { can } = useAuth();
  const { token } = theme.useToken();
  const today = beijingToday();
  const [month, setMonth] = useState<Dayjs>(() => initialMonth(posting, today));
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useRefusal(form, FIELDS);
  const [saved, setSaved] = useState<string | null>(null);
  const from = month.startOf('month').format(DATE);
  const to = month.endOf('month').format(DATE);
  const days = useLoad(`duty:${posting.id}:${from}`, (signal) => programsApi.dutyDays(posting.id, { from, to, limit: 500 }, signal));
  const items = days.kind === 'ready' ? days.data.items : [];
  const byDate = new Map(items.map((d) => [d.date, d]));
  const mayLog = can('programs.duty_days.log');
  const inPosting = (day: string) => day >= posting.startDate && (posting.endDate === null || day <= posting.endDate);

  async function submit(v: Values) {
    setBusy(true);
    setFormError(null);
    setSaved(null);
    try {
      const day = await programsApi.logDutyDay(posting.id, {
        date: toDay(v.date) ?? '',
        hours: v.hours ?? 0,
        work: v.work?.trim() ?? '',
        withWhom: v.withWhom?.trim() || null,
      });
      form.resetFields();
      setSaved(day.date);
      setMonth(dayjs(day.date, DATE));
      days.reload();
      onLogged();
    } catch (err) {
      setFormError(err);
    } finally {
      setBusy(false);
    }
  }

  const columns: TableColumnsType<DutyDay> = [
    { key: 'date', title: t('prog.duty.date'), dataIndex: 'date', width: 110 },
    { key: 'hours', title: t('prog.duty.hours'), dataIndex: 'hours', align: 'end', width: 70 },
    { key: 'work', title: t('prog.duty.work'), dataIndex: 'work' },
    { key: 'with', title: t('prog.duty.withWhom'), render: (_, d) => d.withWhom ?? <Typography.Text type="secondary">—</Typography.Text> },
    {
      key: 'by',
      title: t('prog.duty.loggedBy'),
      render: (_, d) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {d.loggedBy}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {formatBeijingTime(d.loggedAt)}
          </Typography.Text>
        </span>
      ),
    },
  ];

  const totalHours = items.reduce((sum, d) => sum + d.hours, 0);

  return (
    <Card
      title={t('prog.duty.title')}
      data-testid="duty-days"
      extra={<Typography.Text type="secondary">{t('prog.duty.total', { n: posting.dutyDayCount })}</Typography.Text>}
    >
      <Row gutter={[24, 16]}>
        <Col xs={24} xl={mayLog ? 15 : 24}>
          <Calendar
            value={month}
            onPanelChange={(d) => setMonth(d)}
            onSelect={(d, info) => {
              setMonth(d);
              if (info.source === 'date' && mayLog) {
                form.setFieldsValue({ date: d });
                setFormError(null);
                form.setFields([{ name: 'date', errors: [] }]);
              }
            }}
            fullCellRender={(d, info) => {
              if (info.type !== 'date') return info.originNode;
              const day = d.format(DATE);
              const logged = byDate.get(day);
              const inMonth = d.month() === month.month();
              const outside = !inPosting(day);
              return (
                <div
                  data-testid="duty-cell"
                  data-date={day}
                  data-logged={logged ? 'true' : undefined}
                  style={{
                    margin: '0 2px',
                    padding: '2px 6px',
                    height: 72,
                    textAlign: 'start',
                    borderTop: `2px solid ${day === today ? token.colorPrimary : token.colorBorderSecondary}`,
                    background: logged ? token.colorSuccessBg : outside ? token.colorFillQuaternary : undefined,
                    opacity: inMonth ? 1 : 0.4,
                    overflow: 'hidden',
                  }}
                >
                  <div style={{ display: 'flex', justifyContent: 'space-between', fontVariantNumeric: 'tabular-nums' }}>
                    <Typography.Text type="success" style={{ fontSize: 12 }}>
                      {logged ? t('prog.duty.hoursShort', { n: logged.hours }) : ''}
                    </Typography.Text>
                    <span style={{ color: outside ? token.colorTextQuaternary : undefined }}>{d.date()}</span>
                  </div>
                  {logged && (
                    <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ fontSize: 12, margin: 0, lineHeight: 1.35 }}>
                      {logged.work}
                    </Typography.Paragraph>
                  )}
                </div>
              );
            }}
          />
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
            {t('prog.duty.legend', { span: spanText(posting.startDate, posting.endDate, t) })}
          </Typography.Text>
        </Col>
        {mayLog && (
          <Col xs={24} xl={9}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('prog.duty.log')}
            </Typography.Title>
            <Form<Values>
              form={form}
              layout="vertical"
              onFinish={submit}
              onValuesChange={() => {
                setFormError(null);
                setSaved(null);
              }}
              initialValues={{ hours: 8, date: fromDay(inPosting(today) ? today : undefined) }}
              data-testid="duty-form"
            >
              <Form.Item name="date" label={t('prog.duty.date')} rules={[{ required: true, message: t('prog.form.required') }]}>
                <DatePicker style={{ width: '100%' }} data-testid="duty-date" />
              </Form.Item>
              <Form.Item name="hours" label={t('prog.duty.hours')} rules={[{ required: true, message: t('prog.form.required') }]}>
                <InputNumber<number>
                  min={0.5}
                  max={24}
                  step={1}
                  suffix={t('prog.unit.hours')}
                  style={{ width: '100%' }}
                  data-testid="duty-hours"
                />
              </Form.Item>
              <TextAreaItem
                name="work"
                label={t('prog.duty.work')}
                rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}
                rows={[3, 8]}
                maxLength={4000}
                placeholder={t('prog.duty.workPlaceholder')}
                testId="duty-work"
              />
              <Form.Item name="withWhom" label={t('prog.duty.withWhom')}>
                <Input maxLength={1000} placeholder={t('prog.duty.withWhomPlaceholder')} data-testid="duty-with" />
              </Form.Item>
              {formError && <Alert type="error" showIcon title={formError} data-testid="duty-error" style={{ marginBottom: 16 }} />}
              <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={busy} data-testid="duty-submit">
                {t('prog.duty.submit')}
              </Button>
              {saved && (
                <Typography.Text type="success" role="status" data-testid="duty-saved" style={{ marginInlineStart: 12 }}>
                  <CheckCircleFilled /> {t('prog.duty.saved', { date: saved })}
                </Typography.Text>
              )}
            </Form>
          </Col>
        )}
      </Row>
      <Typography.Title level={5}>
        {t('prog.duty.monthList', { month: month.format('YYYY-MM'), n: items.length, hours: totalHours })}
      </Typography.Title>
      {days.kind === 'error' ? (
        <LoadError error={days.error} errorText={errorText} />
      ) : (
        <Table<DutyDay>
          rowKey="id"
          size="small"
          loading={days.kind === 'loading'}
          columns={columns}
          dataSource={items}
          pagination={false}
          locale={{ emptyText: t('prog.duty.none') }}
          data-testid="duty-table"
        />
      )}
    </Card>
  );
}
