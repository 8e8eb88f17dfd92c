import { Alert, Card, Flex, Skeleton, Table, Tag, Typography, type TableProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
// Registers the Chinese month and weekday names the calendar and date pickers ask dayjs for (antd's zh_CN names the locale, dayjs must know it).
import 'dayjs/locale/zh-cn';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { isAbort, localizeServerText } from '../../api.ts';
import { useCategoryName } from '../../components/CategorySelect.tsx';
import { useI18n, type TKey } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import type { PostingKind, PostingStatus, ProgramKind, UnitType } from './api.ts';

export const unitTypeKey = (u: UnitType): TKey => `prog.unitType.${u}`;
export const programKindKey = (k: ProgramKind): TKey => `prog.kind.${k}`;
export const postingKindKey = (k: PostingKind): TKey => `prog.postingKind.${k}`;
export const postingStatusKey = (s: PostingStatus): TKey => `prog.status.${s}`;

export const programKindColor: Record<ProgramKind, string> = { governance_secretary: 'red', first_secretary: 'volcano', custom: 'default' };
export const postingKindColor: Record<PostingKind, string> = { new: 'blue', renewal: 'cyan', succession: 'purple' };

/** Resident units and the two new organizations: the article's "53 of 151". */
export const RESIDENT_AND_NEW: readonly UnitType[] = ['resident_unit', 'new_economic_org', 'new_social_org'];

export type Remote<T> = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; data: T };

/**
 * Loads whatever `key` names (null waits) and loads again on `reload()`. The old data stays on
 * screen while a reload runs, so a table does not blink after every change.
 */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Remote<T> & { reload: () => void } {
  const [state, setState] = useState<Remote<T> & { key: string | null }>({ kind: 'loading', key: null });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const ctrl = new AbortController();
    setState((s) => (s.key === key && s.kind === 'ready' ? s : { kind: 'loading', key }));
    load(ctrl.signal)
      .then((data) => setState({ kind: 'ready', data, key }))
      .catch((error: unknown) => {
        if (!isAbort(error)) setState({ kind: 'error', error, key });
      });
    return () => ctrl.abort();
    // `load` is a new closure every render; the key names everything it depends on.
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current: Remote<T> = state.key === key ? state : { kind: 'loading' };
  return { ...current, reload };
}

// ── dates: the programs live on Beijing calendar days ──
const beijingDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today in Beijing, YYYY-MM-DD: what the server calls "today" for duty days and statuses. */
export function beijingToday(): string {
  return beijingDay.format(new Date());
}

export const DATE = 'YYYY-MM-DD';

/** An end reason as stored: the server's own words come as "接任 / succeeded", a user's as typed. */
export function useReasonText(): (reason: string) => string {
  const { lang } = useI18n();
  return useCallback((reason: string) => localizeServerText(reason, lang), [lang]);
}
export const toDay = (d: Dayjs | null | undefined): string | undefined => (d ? d.format(DATE) : undefined);
export const fromDay = (s: string | null | undefined): Dayjs | undefined => (s ? dayjs(s, DATE) : undefined);

/** "2021-11-30 — 2023-01-31", or "2023-02-01 — 至今" for an open end. */
export function spanText(start: string, end: string | null, t: (k: TKey) => string): string {
  return `${start} — ${end ?? t('prog.openEnd')}`;
}

export function ExpertiseTags({ codes, highlight = [] }: { codes: readonly string[]; highlight?: readonly string[] }) {
  const name = useCategoryName();
  if (codes.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {codes.map((c) => (
        <Tag key={c} color={highlight.includes(c) ? 'gold' : undefined} style={{ marginInlineEnd: 0 }} data-testid="expertise-tag">
          {name(c)}
        </Tag>
      ))}
    </Flex>
  );
}

export function PageTitle({
  title,
  subtitle,
  extra,
  tags,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
  tags?: ReactNode;
}) {
  return (
    <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {title} {tags}
        </Typography.Title>
        {subtitle && <Typography.Text type="secondary">{subtitle}</Typography.Text>}
      </div>
      {extra && (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}

/** A page's record before it is there: why it could not be read, or a skeleton while it loads. */
export function NotReady({ remote }: { remote: Exclude<Remote<unknown>, { kind: 'ready' }> }) {
  const errorText = useErrorText();
  if (remote.kind === 'error') return <LoadError error={remote.error} errorText={errorText} />;
  return (
    <Card>
      <Skeleton active />
    </Card>
  );
}

export function LoadError({ error, errorText }: { error: unknown; errorText: (err: unknown) => string }) {
  return <Alert type="error" showIcon title={errorText(error)} data-testid="load-error" />;
}

/** A list read whole (the cadres, the programs): its rows, or why they could not be read, and how many there are. */
export function ListTable<T extends object>({
  list,
  totalText,
  ...table
}: Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'> & {
  list: Remote<{ items: T[]; total: number }>;
  totalText: (total: number) => string;
}) {
  const errorText = useErrorText();
  if (list.kind === 'error') return <LoadError error={list.error} errorText={errorText} />;
  return (
    <>
      <Table<T>
        rowKey="id"
        scroll={{ x: 'max-content' }}
        {...table}
        loading={list.kind === 'loading'}
        dataSource={list.kind === 'ready' ? list.data.items : []}
        pagination={false}
      />
      {list.kind === 'ready' && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }}>
          {totalText(list.data.total)}
        </Typography.Text>
      )}
    </>
  );
}

export function StatusTag({ status }: { status: PostingStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={status === 'active' ? 'green' : 'default'} style={{ marginInlineEnd: 0 }} data-testid="posting-status">
      {t(postingStatusKey(status))}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: PostingKind }) {
  const { t } = useI18n();
  return (
    <Tag color={postingKindColor[kind]} style={{ marginInlineEnd: 0 }} data-testid="posting-kind">
      {t(postingKindKey(kind))}
    </Tag>
  );
}
