import { Alert, Button, Flex, Input, Modal, Table, Tag, Typography } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { isAbort } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { appealsApi, type Appeal } from '../appeals/api.ts';
import { categoryName, statusKey } from '../appeals/appealText.ts';
import { projectsApi, type ProjectDetail } from './api.ts';
import { beijingDay } from './common.tsx';

const PAGE = 20;

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
  const errorText = useErrorText();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<Appeal[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>(null);

  const load = (more: string | null, signal?: AbortSignal) => {
    setLoading(true);
    return appealsApi
      .list({ division: p.communityCode, q: q.trim() || undefined }, { limit: PAGE, cursor: more }, signal)
      .then((page) => {
        setRows((old) => (more ? [...old, ...page.items] : page.items));
        setTotal(page.total);
        setCursor(page.nextCursor);
        setLoadError(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setLoadError(err);
      })
      .finally(() => {
        if (!signal?.aborted) setLoading(false);
      });
  };

  useEffect(() => {
    const ctrl = new AbortController();
    void load(null, ctrl.signal);
    return () => ctrl.abort();
  }, [q, p.communityCode]);

  async function submit() {
    setBusy(true);
    setRefusal(null);
    try {
      const result = await projectsApi.linkAppeals(p.id, { appealIds: picked });
      onSaved(t('proj.appeal.linkedDone', { n: result.added }));
    } catch (err) {
      setRefusal(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={t('proj.appeal.linkTitle', { community: p.communityName })}
      onCancel={onClose}
      width={880}
      mask={{ closable: false }}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose} data-testid="link-appeals-cancel">
          {t('auth.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={busy} disabled={picked.length === 0} onClick={submit} data-testid="link-appeals-submit">
          {t('proj.appeal.linkSubmit', { n: picked.length })}
        </Button>,
      ]}
    >
      <div data-testid="link-appeals-form">
        <Typography.Paragraph type="secondary">{t('proj.appeal.linkHint')}</Typography.Paragraph>
        <Input.Search allowClear placeholder={t('proj.appeal.search')} onSearch={(value) => setQ(value)} style={{ marginBottom: 12 }} data-testid="link-appeals-search" />
        {loadError !== null && <Alert type="error" showIcon title={errorText(loadError)} style={{ marginBottom: 12 }} />}
        <Table<Appeal>
          rowKey="id"
          size="small"
          pagination={false}
          loading={loading}
          dataSource={rows}
          scroll={{ y: 360 }}
          locale={{ emptyText: t('proj.empty') }}
          onRow={(a) => ({ 'data-testid': 'appeal-choice', 'data-ticket': a.ticketNo }) as HTMLAttributes<HTMLElement>}
          rowSelection={{
            selectedRowKeys: [...linked, ...picked],
            getCheckboxProps: (a) => ({ disabled: linked.has(a.id) }),
            onChange: (keys) => {
              setRefusal(null);
              setPicked(keys.map(Number).filter((id) => !linked.has(id)));
            },
          }}
          columns={[
            { key: 'ticket', title: t('proj.appeal.ticket'), dataIndex: 'ticketNo', width: 170 },
            { key: 'received', title: t('proj.appeal.received'), width: 110, render: (_, a) => beijingDay(a.receivedAt) },
            { key: 'category', title: t('proj.appeal.category'), width: 120, render: (_, a) => categoryName(a, lang) },
            { key: 'summary', title: t('proj.appeal.summary'), dataIndex: 'description', ellipsis: true },
            { key: 'status', title: t('proj.appeal.status'), width: 100, render: (_, a) => <Tag style={{ marginInlineEnd: 0 }}>{t(statusKey(a.status))}</Tag> },
          ]}
        />
        <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
          <Typography.Text type="secondary">{t('proj.appeal.shown', { n: rows.length, total })}</Typography.Text>
          {cursor && (
            <Button size="small" onClick={() => void load(cursor)} loading={loading} data-testid="link-appeals-more">
              {t('proj.appeal.more')}
            </Button>
          )}
        </Flex>
        {refusal !== null && <Alert type="error" showIcon title={errorText(refusal)} style={{ marginTop: 12 }} data-testid="link-appeals-error" />}
      </div>
    </Modal>
  );
}
