import { CheckOutlined, ClockCircleOutlined, ExclamationCircleFilled } from '@ant-design/icons';
import { Typography } from 'antd';
import { formatBeijingTime } from '../../format.ts';
import { useT } from '../../i18n.tsx';
import { dueState } from './appealText.ts';

interface Props {
  /** 响应 / 办结: what falls due. */
  label?: string;
  due: string | null;
  /** When the step that meets it was taken, if it was. */
  done: string | null;
  /** The moment "overdue" is judged at (the list's fetch time). */
  now: number;
  /** Month, day and time only ("11-26 01:30") when the due time falls in this year, for tight columns. */
  short?: boolean;
  testId?: string;
}

/** A due time: red once passed with the step not taken, grey with a tick once met. */
export function DueTime({ label, due, done, now, short = false, testId }: Props) {
  const t = useT();
  const state = dueState(due, done, now);
  if (state === 'none') return null;
  const full = formatBeijingTime(due!);
  const time = short && full.slice(0, 4) === formatBeijingTime(new Date(now).toISOString()).slice(0, 4) ? full.slice(5) : full;
  const prefix = label ? `${label} ` : '';
  if (state === 'late') {
    return (
      <Typography.Text type="danger" strong className="appeal-mono" data-testid={testId} data-late="true" title={full}>
        <ExclamationCircleFilled /> {prefix}
        {time}
      </Typography.Text>
    );
  }
  if (state === 'open') {
    return (
      <Typography.Text className="appeal-mono" data-testid={testId} title={full}>
        <ClockCircleOutlined /> {prefix}
        {time}
      </Typography.Text>
    );
  }
  return (
    <Typography.Text type="secondary" className="appeal-mono" data-testid={testId} title={full}>
      <CheckOutlined /> {prefix}
      {time}
      {state === 'doneLate' && <Typography.Text type="warning"> · {t('appeal.lateDone')}</Typography.Text>}
    </Typography.Text>
  );
}
