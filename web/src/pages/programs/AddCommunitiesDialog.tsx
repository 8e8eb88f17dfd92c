import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import type { Division } from '../../api.ts';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { FormDialog } from '../../components/FormDialog.tsx';
import { formatCount } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi, type Batch, type KeyCommunities, type Program } from './api.ts';
import { EvidenceText } from './BatchView.tsx';
import { useLoad } from './common.tsx';

const PERIODS = 12;

interface Chosen {
  code: string;
  name: string;
  street: string;
  /** The key-community figures as they stand now, stored with the choice. */
  evidence: Record<string, unknown>;
  note: string;
}

/** The month before the batch starts: the last complete period the choice could rest on. */
function evidenceMonth(start: string): string {
  const [y, m] = start.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 2, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * POST /batches/{id}/communities, all or none. The district's key communities (evaluation's
 * ranking history before the batch starts) are offered first, with their figures; any community
 * of the district can be searched. Whatever evidence is shown is stored with the choice.
 */
export function AddCommunitiesDialog({
  program,
  batch,
  open,
  onClose,
  onAdded,
}: {
  program: Program;
  batch: Batch;
  open: boolean;
  onClose: () => void;
  onAdded: (n: number) => void;
}) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [searchValue, setSearchValue] = useState<string | undefined>(undefined);
  const month = evidenceMonth(batch.startDate);
  const keyList = useLoad(open ? `key:${program.districtCode}:${month}` : null, (signal) =>
    programsApi.keyCommunities({ month, within: program.districtCode, periods: PERIODS }, signal),
  );
  const keyItems = keyList.kind === 'ready' ? keyList.data.items : [];
  const keyByCode = new Map(keyItems.map((k) => [k.code, k]));

  function evidenceOf(code: string, list: KeyCommunities | null): Record<string, unknown> {
    const k = keyByCode.get(code);
    if (!k || !list) return {};
    return {
      rankAppearances: k.appearances,
      rankNow: k.rankNow,
      volumeTotal: k.volumeTotal,
      month: list.month,
      periods: list.periods,
      topN: list.topN,
    };
  }

  function add(clearRefusal: () => void, code: string, name: string, street: string) {
    if (chosen.some((c) => c.code === code)) return;
    clearRefusal();
    setChosen((list) => [
      ...list,
      { code, name, street, evidence: evidenceOf(code, keyList.kind === 'ready' ? keyList.data : null), note: '' },
    ]);
  }

  function close() {
    setChosen([]);
    onClose();
  }

  async function submit() {
    const { added } = await programsApi.addBatchCommunities(
      batch.id,
      chosen.map((c) => ({
        communityCode: c.code,
        selectionEvidence: { ...c.evidence, ...(c.note.trim() ? { note: c.note.trim() } : {}) },
      })),
    );
    setChosen([]);
    onAdded(added);
  }

  const keyColumns = (clearRefusal: () => void): TableColumnsType<KeyCommunities['items'][number]> => [
    {
      key: 'name',
      title: t('prog.col.community'),
      render: (_, k) => (
        <>
          {k.name} {k.candidate && <Tag color="red">{t('prog.key.candidate')}</Tag>}
        </>
      ),
    },
    { key: 'appearances', title: t('prog.key.appearances', { n: PERIODS }), dataIndex: 'appearances', align: 'end' },
    { key: 'rank', title: t('prog.key.rankNow'), align: 'end', render: (_, k) => k.rankNow ?? '—' },
    { key: 'volume', title: t('prog.key.volume'), align: 'end', render: (_, k) => formatCount(k.volumeTotal, lang) },
    {
      key: 'add',
      title: '',
      render: (_, k) => (
        <Button
          size="small"
          icon={<PlusOutlined />}
          disabled={chosen.some((c) => c.code === k.code)}
          onClick={() => add(clearRefusal, k.code, k.name, '')}
        >
          {t('prog.add')}
        </Button>
      ),
    },
  ];

  const chosenColumns: TableColumnsType<Chosen> = [
    {
      key: 'name',
      title: t('prog.col.community'),
      render: (_, c) => (
        <>
          {c.name}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {[c.street, c.code].filter(Boolean).join(' · ')}
          </Typography.Text>
        </>
      ),
    },
    { key: 'evidence', title: t('prog.col.evidence'), render: (_, c) => <EvidenceText evidence={c.evidence} /> },
    {
      key: 'note',
      title: t('prog.evidence.note'),
      render: (_, c) => (
        <Input
          size="small"
          value={c.note}
          maxLength={500}
          placeholder={t('prog.evidence.notePlaceholder')}
          onChange={(e) => setChosen((list) => list.map((x) => (x.code === c.code ? { ...x, note: e.target.value } : x)))}
          // Enter ends the note; it does not send the dialog.
          onPressEnter={(e) => e.preventDefault()}
          data-testid="chosen-note"
          style={{ width: 260 }}
        />
      ),
    },
    {
      key: 'remove',
      title: '',
      render: (_, c) => (
        <Button
          size="small"
          type="text"
          icon={<DeleteOutlined />}
          aria-label={t('prog.remove')}
          onClick={() => setChosen((list) => list.filter((x) => x.code !== c.code))}
        />
      ),
    },
  ];

  return (
    <FormDialog<object>
      open={open}
      title={t('prog.batch.addCommunitiesTitle', { n: batch.number })}
      testId="communities"
      fields={[]}
      refusedRows="listed"
      width={880}
      submitText={t('prog.batch.addN', { n: chosen.length })}
      submitDisabled={chosen.length === 0}
      onClose={close}
      onSubmit={submit}
    >
      {(_form, clearRefusal) => (
        <Flex vertical gap={16}>
          <div>
            <Typography.Text strong>{t('prog.key.title', { district: program.districtName, month })}</Typography.Text>
            {keyList.kind === 'ready' && keyItems.length > 0 ? (
              <Table
                rowKey="code"
                size="small"
                style={{ marginTop: 8 }}
                columns={keyColumns(clearRefusal)}
                dataSource={keyItems}
                pagination={keyItems.length > 5 ? { pageSize: 5, showSizeChanger: false, size: 'small' } : false}
              />
            ) : (
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                {keyList.kind === 'loading'
                  ? '…'
                  : keyList.kind === 'error'
                    ? `${t('prog.key.none')}（${errorText(keyList.error)}）`
                    : t('prog.key.none')}
              </Typography.Paragraph>
            )}
          </div>
          <div>
            <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
              {t('prog.batch.searchCommunity', { district: program.districtName })}
            </Typography.Text>
            <DivisionSelect
              within={program.districtCode}
              browseLevel={null}
              levels={['community']}
              value={searchValue}
              onChange={() => setSearchValue(undefined)}
              onPicked={(d: Division) => add(clearRefusal, d.code, d.name, d.chain[d.chain.length - 1]?.name ?? '')}
              placeholder={t('prog.batch.searchPlaceholder')}
              data-testid="community-search"
              style={{ maxWidth: 420 }}
            />
          </div>
          <Table<Chosen>
            rowKey="code"
            size="small"
            data-testid="chosen-communities"
            columns={chosenColumns}
            dataSource={chosen}
            pagination={false}
            onRow={(c) => ({ 'data-testid': 'chosen-row', 'data-code': c.code }) as HTMLAttributes<HTMLElement>}
            locale={{ emptyText: t('prog.batch.noneChosen') }}
          />
        </Flex>
      )}
    </FormDialog>
  );
}
