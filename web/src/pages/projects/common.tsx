import { Progress, Table, Tag, Typography, type TableProps } from 'antd';
import { formatBeijingTime } from '../../format.ts';
import { useI18n, type TKey } from '../../i18n.tsx';
import { OUTPUT_KINDS, type OutputKind, type ProjectStatus } from './api.ts';

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
/** The Beijing day of an instant (appeals are stored in UTC): "2026-11-26". */
export const beijingDay = (iso: string): string => formatBeijingTime(iso).slice(0, 10);

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

/** The marks a project may carry beside its status: a historical record, and overdue with its due date. */
export function ProjectFlags({ p }: { p: { historical: boolean; overdue: boolean; dueDate: string | null } }) {
  const { t } = useI18n();
  return (
    <>
      {p.historical && (
        <Tag color="magenta" style={{ marginInlineEnd: 0 }} data-testid="historical-tag">
          {t('proj.historical')}
        </Tag>
      )}
      {p.overdue && (
        <Tag color="error" style={{ marginInlineEnd: 0 }} data-testid="overdue-tag">
          {t('proj.overdue', { date: p.dueDate ?? '' })}
        </Tag>
      )}
    </>
  );
}

/** A table of a project's parts or a report's lines: small, every row at once, the same empty text. */
export function PartTable<T extends object>({
  testId,
  ...table
}: Omit<TableProps<T>, 'size' | 'pagination' | 'locale'> & { testId: string }) {
  const { t } = useI18n();
  return <Table<T> size="small" pagination={false} data-testid={testId} locale={{ emptyText: t('proj.empty') }} {...table} />;
}

export function ProgressBar({ progress, size = 'default' }: { progress: number | null; size?: 'small' | 'default' }) {
  const { t } = useI18n();
  // A block like the bar it stands for, so the line after it starts on its own line.
  if (progress === null)
    return (
      <div>
        <Typography.Text type="secondary">{t('proj.noMilestones')}</Typography.Text>
      </div>
    );
  const percent = Math.round(progress * 100);
  // The figure stays written at 100% too (antd would show a tick): it is what the reader checks.
  return (
    <Progress
      percent={percent}
      size={size === 'small' ? 'small' : undefined}
      status={percent >= 100 ? 'success' : 'normal'}
      format={(p) => `${p ?? 0}%`}
    />
  );
}

/** An output's name and unit in the reader's language; a custom output's unit is the user's own word. */
export function useOutputText(): {
  label: (kind: string, serverZh?: string) => string;
  unit: (kind: string, serverUnit?: string) => string;
} {
  const { lang, t } = useI18n();
  const known = (kind: string): kind is OutputKind => (OUTPUT_KINDS as readonly string[]).includes(kind);
  return {
    label: (kind, serverZh) => (lang === 'zh' && serverZh ? serverZh : known(kind) ? t(`proj.outputKind.${kind}`) : (serverZh ?? kind)),
    unit: (kind, serverUnit) => (lang === 'zh' || kind === 'custom' || !known(kind) ? (serverUnit ?? '') : t(`proj.outputUnit.${kind}`)),
  };
}

/** The verb on a status button: "start work" the first time, "resume" after a stall. */
export function moveKey(to: ProjectStatus, from: ProjectStatus): TKey {
  if (to === 'in_progress' && from === 'stalled') return 'proj.move.resume';
  return `proj.move.${to}` as TKey;
}
