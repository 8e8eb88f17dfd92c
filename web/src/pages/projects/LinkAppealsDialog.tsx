import { Input, Tag } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { FormDialog } from '../../components/FormDialog.tsx';
import { LoadMoreTable, useCursorList } from '../../components/LoadMoreTable.tsx';
import { useI18n } from '../../i18n.tsx';
import { appealsApi, type Appeal } from '../appeals/api.ts';
import { categoryName, statusKey } from '../appeals/appealText.ts';
import { projectsApi, type ProjectDetail } from './api.ts';
import { beijingDay } from './common.tsx';

const PAGE = 20;

type AppealPage = Awaited<ReturnType<typeof appealsApi.list>>;

interface Props {
  p: ProjectDetail;
  /** Appeal ids already linked, offered ticked and fixed. */
  linked: ReadonlySet<number>;
  onClose: () => void;
  onSaved: (message: string) => void;
}

/**
 * Picks appeals of the project's own community (GET /appeals?division=) and links them, all or
 * none (POST /projects/:id/appeals). The server still checks each one's community; its refusal
 * stays in the dialog.
 */
export function LinkAppealsDialog({ p, linked, onClose, onSaved }: Props) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<number[]>([]);
  const list = useCursorList<Appeal, AppealPage>(
    `${p.communityCode}|${q}`,
    (cursor, signal) => appealsApi.list({ division: p.communityCode, q: q.trim() || undefined }, { limit: PAGE, cursor }, signal),
    { keep: true },
  );

  async function submit() {
    const result = await projectsApi.linkAppeals(p.id, { appealIds: picked });
    onSaved(t('proj.appeal.linkedDone', { n: result.added }));
  }

  return (
    <FormDialog<object>
      open
      title={t('proj.appeal.linkTitle', { community: p.communityName })}
      testId="link-appeals"
      fields={[]}
      refusedRows="unlisted"
      width={880}
      hint={t('proj.appeal.linkHint')}
      submitText={t('proj.appeal.linkSubmit', { n: picked.length })}
      submitDisabled={picked.length === 0}
      onClose={onClose}
      onSubmit={submit}
    >
      {(_form, clearRefusal) => (
        <>
          <Input.Search
            allowClear
            placeholder={t('proj.appeal.search')}
            onSearch={(value) => setQ(value)}
            // Enter searches; it does not send the dialog.
            onPressEnter={(e) => e.preventDefault()}
            style={{ marginBottom: 12 }}
            data-testid="link-appeals-search"
          />
          <LoadMoreTable<Appeal, AppealPage>
            list={list}
            compact
            rowKey="id"
            size="small"
            scroll={{ y: 360 }}
            locale={{ emptyText: t('proj.empty') }}
            onRow={(a) => ({ 'data-testid': 'appeal-choice', 'data-ticket': a.ticketNo }) as HTMLAttributes<HTMLElement>}
            rowSelection={{
              selectedRowKeys: [...linked, ...picked],
              getCheckboxProps: (a) => ({ disabled: linked.has(a.id) }),
              onChange: (keys) => {
                clearRefusal();
                setPicked(keys.map(Number).filter((id) => !linked.has(id)));
              },
            }}
            columns={[
              { key: 'ticket', title: t('proj.appeal.ticket'), dataIndex: 'ticketNo', width: 170 },
              { key: 'received', title: t('proj.appeal.received'), width: 110, render: (_, a) => beijingDay(a.receivedAt) },
              { key: 'category', title: t('proj.appeal.category'), width: 120, render: (_, a) => categoryName(a, lang) },
              { key: 'summary', title: t('proj.appeal.summary'), dataIndex: 'description', ellipsis: true },
              {
                key: 'status',
                title: t('proj.appeal.status'),
                width: 100,
                render: (_, a) => <Tag style={{ marginInlineEnd: 0 }}>{t(statusKey(a.status))}</Tag>,
              },
            ]}
            status={(page, n) => t('proj.appeal.shown', { n, total: page.total })}
            moreText={t('proj.appeal.more')}
            moreTestId="link-appeals-more"
          />
        </>
      )}
    </FormDialog>
  );
}
