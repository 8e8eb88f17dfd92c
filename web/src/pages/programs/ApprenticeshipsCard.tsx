import { CheckOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Row,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useAuth } from '../../auth.tsx';
import { type CreateDialogProps, FormDialog } from '../../components/FormDialog.tsx';
import { useRefusal } from '../../formErrors.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi, type Apprenticeship, type ApprenticeshipStatus, type PostingDetail } from './api.ts';
import { beijingToday, fromDay, LoadError, spanText, toDay, useLoad } from './common.tsx';
import { TextAreaItem } from '../../components/TextAreaItem.tsx';

const statusColor: Record<ApprenticeshipStatus, string> = { active: 'processing', completed: 'success', ended: 'default' };

/** The posting's apprentices (带徒弟): trainings given and the tasks each now handles alone. */
export function ApprenticeshipsCard({ posting }: { posting: PostingDetail }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { can } = useAuth();
  const manage = can('programs.apprenticeships.manage');
  const [creating, setCreating] = useState(false);
  const list = useLoad(`appr:${posting.id}`, (signal) => programsApi.apprenticeships({ postingId: posting.id, limit: 100 }, signal));

  return (
    <Card
      title={t('prog.appr.title')}
      data-testid="apprenticeships"
      extra={
        manage && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="appr-new">
            {t('prog.appr.new')}
          </Button>
        )
      }
    >
      {list.kind === 'error' ? (
        <LoadError error={list.error} errorText={errorText} />
      ) : list.kind === 'loading' ? null : list.data.items.length === 0 ? (
        <Empty description={t('prog.appr.empty')} />
      ) : (
        <Flex vertical gap={16}>
          {list.data.items.map((a) => (
            <ApprenticeshipView key={a.id} a={a} manage={manage} onChanged={list.reload} />
          ))}
        </Flex>
      )}
      <NewApprenticeshipDialog
        posting={posting}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(a) => {
          setCreating(false);
          message.success(t('prog.appr.created', { name: a.apprenticeName }));
          list.reload();
        }}
      />
    </Card>
  );
}

function ApprenticeshipView({ a, manage, onChanged }: { a: Apprenticeship; manage: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const active = a.status === 'active';

  async function setStatus(status: ApprenticeshipStatus) {
    try {
      await programsApi.updateApprenticeship(a.id, { status });
      onChanged();
    } catch (err) {
      message.error(errorText(err));
    }
  }

  return (
    <Card
      type="inner"
      size="small"
      data-testid="apprenticeship"
      data-name={a.apprenticeName}
      title={
        <span>
          {a.apprenticeName}
          {a.apprenticePosition && <Typography.Text type="secondary"> · {a.apprenticePosition}</Typography.Text>}{' '}
          <Tag color={statusColor[a.status]}>{t(`prog.appr.status.${a.status}`)}</Tag>
        </span>
      }
      extra={
        manage &&
        active && (
          <Flex gap={8}>
            <Popconfirm
              title={t('prog.appr.completeConfirm', { name: a.apprenticeName })}
              onConfirm={() => setStatus('completed')}
              okText={t('prog.ok')}
              cancelText={t('auth.cancel')}
            >
              <Button size="small" icon={<CheckOutlined />}>
                {t('prog.appr.complete')}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t('prog.appr.endConfirm', { name: a.apprenticeName })}
              onConfirm={() => setStatus('ended')}
              okText={t('prog.ok')}
              cancelText={t('auth.cancel')}
            >
              <Button size="small" icon={<StopOutlined />}>
                {t('prog.appr.end')}
              </Button>
            </Popconfirm>
          </Flex>
        )
      }
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'secretary', label: t('prog.appr.secretary'), children: a.secretary.name },
          { key: 'span', label: t('prog.col.dates'), children: spanText(a.startDate, a.endDate, t) },
          ...(a.notes ? [{ key: 'notes', label: t('prog.col.notes'), children: a.notes }] : []),
        ]}
      />
      <Row gutter={[24, 12]} style={{ marginTop: 8 }}>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('prog.appr.trainings', { n: a.trainings.length })}</Typography.Text>
          <Table
            rowKey="id"
            size="small"
            style={{ marginTop: 6 }}
            pagination={false}
            dataSource={a.trainings}
            locale={{ emptyText: t('prog.appr.noTrainings') }}
            columns={[
              { key: 'date', title: t('prog.duty.date'), dataIndex: 'date', width: 110 },
              { key: 'topic', title: t('prog.appr.topic'), dataIndex: 'topic' },
              { key: 'hours', title: t('prog.duty.hours'), dataIndex: 'hours', align: 'end', width: 70 },
            ]}
            data-testid="appr-trainings"
          />
          {manage && active && <TrainingForm id={a.id} start={a.startDate} onDone={onChanged} />}
        </Col>
        <Col xs={24} lg={12}>
          <Typography.Text strong>{t('prog.appr.tasks', { n: a.tasks.length })}</Typography.Text>
          <List
            size="small"
            style={{ marginTop: 6 }}
            dataSource={a.tasks}
            locale={{ emptyText: t('prog.appr.noTasks') }}
            renderItem={(task) => (
              <List.Item data-testid="appr-task">
                <span>
                  <CheckOutlined style={{ color: '#52c41a', marginInlineEnd: 8 }} />
                  {task.description}
                </span>
                <Typography.Text type="secondary">{t('prog.appr.since', { date: task.since })}</Typography.Text>
              </List.Item>
            )}
          />
          {manage && active && <TaskForm id={a.id} onDone={onChanged} />}
        </Col>
      </Row>
    </Card>
  );
}

function TrainingForm({ id, start, onDone }: { id: number; start: string; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ date?: Dayjs | null; topic?: string; hours?: number | null }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useRefusal(form, ['date', 'topic', 'hours']);
  const today = beijingToday();
  return (
    <Form
      form={form}
      layout="inline"
      style={{ marginTop: 8, rowGap: 8 }}
      initialValues={{ date: fromDay(today >= start ? today : start), hours: 2 }}
      onValuesChange={() => setError(null)}
      onFinish={async (v) => {
        setBusy(true);
        try {
          await programsApi.addTraining(id, { date: toDay(v.date) ?? '', topic: v.topic?.trim() ?? '', hours: v.hours ?? 0 });
          form.resetFields(['topic']);
          onDone();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
      data-testid="training-form"
    >
      <Form.Item name="date" rules={[{ required: true, message: t('prog.form.required') }]}>
        <DatePicker style={{ width: 130 }} />
      </Form.Item>
      <Form.Item name="topic" rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}>
        <Input placeholder={t('prog.appr.topicPlaceholder')} maxLength={500} style={{ width: 200 }} data-testid="training-topic" />
      </Form.Item>
      <Form.Item name="hours" rules={[{ required: true, message: t('prog.form.required') }]}>
        <InputNumber<number> min={0.5} max={24} step={1} suffix={t('prog.unit.hours')} style={{ width: 100 }} />
      </Form.Item>
      <Button htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="training-submit">
        {t('prog.appr.addTraining')}
      </Button>
      {error && <Alert type="error" showIcon title={error} style={{ width: '100%' }} />}
    </Form>
  );
}

function TaskForm({ id, onDone }: { id: number; onDone: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ description?: string; since?: Dayjs | null }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useRefusal(form, ['description', 'since']);
  return (
    <Form
      form={form}
      layout="inline"
      style={{ marginTop: 8, rowGap: 8 }}
      initialValues={{ since: fromDay(beijingToday()) }}
      onValuesChange={() => setError(null)}
      onFinish={async (v) => {
        setBusy(true);
        try {
          await programsApi.addTask(id, { description: v.description?.trim() ?? '', since: toDay(v.since) ?? '' });
          form.resetFields(['description']);
          onDone();
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
      data-testid="task-form"
    >
      <Form.Item name="description" rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}>
        <Input placeholder={t('prog.appr.taskPlaceholder')} maxLength={1000} style={{ width: 240 }} data-testid="task-description" />
      </Form.Item>
      <Form.Item name="since" rules={[{ required: true, message: t('prog.form.required') }]}>
        <DatePicker style={{ width: 130 }} />
      </Form.Item>
      <Button htmlType="submit" icon={<PlusOutlined />} loading={busy} data-testid="task-submit">
        {t('prog.appr.addTask')}
      </Button>
      {error && <Alert type="error" showIcon title={error} style={{ width: '100%' }} />}
    </Form>
  );
}

interface NewValues {
  apprenticeName?: string;
  apprenticePosition?: string;
  startDate?: Dayjs | null;
  notes?: string;
}

function NewApprenticeshipDialog({ posting, open, onClose, onCreated }: { posting: PostingDetail } & CreateDialogProps<Apprenticeship>) {
  const { t } = useI18n();
  async function submit(v: NewValues) {
    const a = await programsApi.createApprenticeship({
      postingId: posting.id,
      apprenticeName: v.apprenticeName?.trim() ?? '',
      apprenticePosition: v.apprenticePosition?.trim() || null,
      startDate: toDay(v.startDate) ?? '',
      notes: v.notes?.trim() || null,
    });
    onCreated(a);
  }

  return (
    <FormDialog<NewValues>
      open={open}
      title={t('prog.appr.newTitle', { secretary: posting.cadre.name })}
      testId="appr"
      fields={['apprenticeName', 'apprenticePosition', 'startDate', 'notes']}
      width={520}
      initialValues={{ startDate: fromDay(beijingToday() < posting.startDate ? posting.startDate : beijingToday()) }}
      submitText={t('prog.form.create')}
      onClose={onClose}
      onSubmit={submit}
    >
      {() => (
        <>
          <Form.Item
            name="apprenticeName"
            label={t('prog.appr.name')}
            rules={[{ required: true, whitespace: true, message: t('prog.form.required') }]}
          >
            <Input maxLength={100} data-testid="appr-name" />
          </Form.Item>
          <Form.Item name="apprenticePosition" label={t('prog.appr.position')}>
            <Input maxLength={200} placeholder={t('prog.appr.positionPlaceholder')} data-testid="appr-position" />
          </Form.Item>
          <Form.Item name="startDate" label={t('prog.col.start')} rules={[{ required: true, message: t('prog.form.required') }]}>
            <DatePicker data-testid="appr-start" />
          </Form.Item>
          <TextAreaItem name="notes" label={t('prog.col.notes')} rows={[1, 4]} maxLength={4000} />
        </>
      )}
    </FormDialog>
  );
}
