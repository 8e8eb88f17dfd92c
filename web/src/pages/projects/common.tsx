import { Progress, Tag, Typography } from 'antd';
import { useI18n, type TKey } from '../../i18n.tsx';
import type { ProjectStatus } from './api.ts';

export const statusColor: Record<ProjectStatus, string> = {
  proposed: 'default',
  consulting: 'gold',
  approved: 'blue',
  in_progress: 'processing',
  completed: 'success',
  stalled: 'warning',
  cancelled: 'default',
};

const yuanFormat = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
/** 1550000.5 → "1,550,000.50". */
export const yuan = (n: number): string => yuanFormat.format(n);
export const count = (n: number): string => countFormat.format(n);

/** The server's Chinese label in Chinese, our own words in English. */
export function useLabel(): (prefix: string, code: string, serverZh?: string) => string {
  const { lang, t } = useI18n();
  return (prefix, code, serverZh) => (lang === 'zh' && serverZh ? serverZh : t(`${prefix}.${code}` as TKey));
}

export function ProjectStatusTag({ status, label }: { status: ProjectStatus; label?: string }) {
  const l = useLabel();
  return (
    <Tag color={statusColor[status]} style={{ marginInlineEnd: 0 }} data-testid="project-status">
      {l('proj.status', status, label)}
    </Tag>
  );
}

export function ProgressBar({ progress, size = 'default' }: { progress: number | null; size?: 'small' | 'default' }) {
  const { t } = useI18n();
  if (progress === null) return <Typography.Text type="secondary">{t('proj.noMilestones')}</Typography.Text>;
  const percent = Math.round(progress * 100);
  return <Progress percent={percent} size={size === 'small' ? 'small' : undefined} status={percent >= 100 ? 'success' : 'normal'} />;
}
