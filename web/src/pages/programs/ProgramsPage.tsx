import { IdcardOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Table, Tag, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { programsApi, type Posting, type Program } from './api.ts';
import { KindTag, ListTable, PageTitle, programKindColor, programKindKey, spanText, unitTypeKey, useLoad } from './common.tsx';
import { NewProgramDialog } from './NewProgramDialog.tsx';

export const ProgramsPage = guardedPage('programs.read', 'nav.programs', ProgramsList);

/** The weekly minimum and the term in words: "每周至少 2 天 · 任期 12 个月". */
export function RulesText({ program }: { program: Program }) {
  const { t } = useI18n();
  return (
    <>
      {program.minDutyDaysPerWeek > 0 ? t('prog.rules.minDays', { n: program.minDutyDaysPerWeek }) : t('prog.rules.noMinDays')}
      {' · '}
      {program.termMonths ? t('prog.rules.term', { n: program.termMonths }) : t('prog.rules.noTerm')}
    </>
  );
}

/** GET /programs in the viewer's scope; POST /programs for the organization department. */
function ProgramsList() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can, session } = useAuth();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const list = useLoad('programs', (signal) => programsApi.programs({ limit: 100 }, signal));
  const mine = useLoad(session?.user.role === 'secretary' ? 'mine' : null, (signal) =>
    programsApi.postings({ status: 'active', limit: 50 }, signal),
  );

  const columns: TableColumnsType<Program> = [
    {
      key: 'name',
      title: t('prog.program.name'),
      render: (_, p) => (
        <Link to={`/programs/${p.id}`} data-testid="program-link">
          {p.name}
        </Link>
      ),
    },
    {
      key: 'kind',
      title: t('prog.program.kind'),
      render: (_, p) => <Tag color={programKindColor[p.kind]}>{t(programKindKey(p.kind))}</Tag>,
    },
    { key: 'district', title: t('prog.program.district'), dataIndex: 'districtName' },
    { key: 'rules', title: t('prog.program.rules'), render: (_, p) => <RulesText program={p} /> },
    {
      key: 'allowed',
      title: t('prog.program.allowed'),
      render: (_, p) => (
        <Flex gap={4} wrap style={{ maxWidth: 360 }}>
          {p.allowedUnitTypes.map((u) => (
            <Tag key={u} style={{ marginInlineEnd: 0 }}>
              {t(unitTypeKey(u))}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { key: 'batches', title: t('prog.program.batchCount'), dataIndex: 'batchCount', align: 'end' },
  ];

  const postingColumns: TableColumnsType<Posting> = [
    {
      key: 'community',
      title: t('prog.col.community'),
      render: (_, p) => (
        <Link to={`/programs/postings/${p.id}`} data-testid="my-posting-link">
          {p.communityName}
        </Link>
      ),
    },
    { key: 'cadre', title: t('prog.col.cadre'), render: (_, p) => p.cadre.name },
    { key: 'program', title: t('prog.col.program'), render: (_, p) => `${p.programName} · ${t('prog.batch.name', { n: p.batchNumber })}` },
    { key: 'kind', title: t('prog.col.kind'), render: (_, p) => <KindTag kind={p.kind} /> },
    { key: 'dates', title: t('prog.col.dates'), render: (_, p) => spanText(p.startDate, p.endDate, t) },
  ];

  return (
    <Flex vertical gap={16}>
      {mine.kind === 'ready' && (
        <Card title={t('prog.mine.title')} data-testid="my-postings">
          <Table<Posting>
            rowKey="id"
            size="small"
            pagination={false}
            columns={postingColumns}
            dataSource={mine.data.items}
            locale={{ emptyText: t('prog.mine.empty') }}
          />
        </Card>
      )}
      <Card>
        <PageTitle
          title={t('prog.title')}
          subtitle={t('prog.subtitle')}
          extra={
            <>
              <Link to="/programs/cadres">
                <Button icon={<IdcardOutlined />} data-testid="cadres-link">
                  {t('prog.cadres.title')}
                </Button>
              </Link>
              {can('programs.manage') && (
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="program-new">
                  {t('prog.program.new')}
                </Button>
              )}
            </>
          }
        />
        <ListTable<Program>
          list={list}
          totalText={(n) => t('prog.program.total', { n })}
          data-testid="programs-table"
          columns={columns}
          onRow={(p) => ({ 'data-testid': 'program-row', 'data-id': p.id }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: t('prog.program.empty') }}
        />
      </Card>
      <NewProgramDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(p) => {
          setCreating(false);
          message.success(t('prog.program.created', { name: p.name }));
          navigate(`/programs/${p.id}`);
        }}
      />
    </Flex>
  );
}
