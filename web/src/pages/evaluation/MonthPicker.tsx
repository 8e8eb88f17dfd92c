import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// antd names months and weekdays through dayjs: without its Chinese locale loaded, a Chinese
// page shows "Jan" and "Su". Registering it is enough; antd picks it by the ConfigProvider's locale.
import 'dayjs/locale/zh-cn';
import { useI18n } from '../../i18n.tsx';
import { currentMonth } from './months.ts';

interface Props {
  value: string;
  onChange: (month: string) => void;
  'data-testid'?: string;
}

/** A month ('YYYY-MM'); months after the current one cannot be picked. */
export function MonthPicker({ value, onChange, 'data-testid': testId }: Props) {
  const { t, lang } = useI18n();
  const now = currentMonth();
  return (
    <DatePicker
      picker="month"
      data-testid={testId}
      aria-label={t('eval.month')}
      allowClear={false}
      value={dayjs(`${value}-01`)}
      format={lang === 'zh' ? 'YYYY年M月' : 'MMM YYYY'}
      disabledDate={(d: Dayjs) => d.format('YYYY-MM') > now}
      onChange={(d: Dayjs | null) => {
        if (d) onChange(d.format('YYYY-MM'));
      }}
      style={{ width: 140 }}
    />
  );
}

/** A Beijing calendar day ('YYYY-MM-DD'). */
export function DayPicker({ value, onChange, 'data-testid': testId }: Props) {
  const { t } = useI18n();
  return (
    <DatePicker
      data-testid={testId}
      aria-label={t('eval.date')}
      allowClear={false}
      value={dayjs(value)}
      format="YYYY-MM-DD"
      onChange={(d: Dayjs | null) => {
        if (d) onChange(d.format('YYYY-MM-DD'));
      }}
      style={{ width: 140 }}
    />
  );
}
