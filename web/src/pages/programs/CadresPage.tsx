import { PlusOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Flex, Input, Select, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { ORIGIN_UNIT_TYPES, programsApi, type Cadre, type UnitType } from './api.ts';
import { ExpertiseTags, ListTable, PageTitle, unitTypeKey, useLoad } from './common.tsx';
import { NewCadreDialog } from './NewCadreDialog.tsx';
import { UnitTypeTag } from './pickers.tsx';

export const CadresPage = guardedPage('programs.read', 'nav.programs', CadresList);

/** GET /cadres in the viewer's scope, by name and unit type; POST /cadres for the organization department. */
function CadresList() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [unitType, setUnitType] = useState<UnitType | undefined>(undefined);
  const [creating, setCreating] = useState(false);
  const list = useLoad(`cadres:${q}:${unitType ?? ''}`, (signal) =>
    programsApi.cadres({ q: q || undefined, unitType, limit: 200 }, signal),
  );

  const columns: TableColumnsType<Cadre> = [
    {
      key: 'name',
      title: t('prog.cadre.name'),
      render: (_, c) => (
        <Link to={`/programs/cadres/${c.id}`} data-testid="cadre-link">
          {c.name}
        </Link>
      ),
    },
    { key: 'unit', title: t('prog.cadre.unit'), dataIndex: 'unitName' },
    { key: 'type', title: t('prog.col.unitType'), render: (_, c) => <UnitTypeTag type={c.unitType} /> },
    {
      key: 'position',
      title: t('prog.cadre.position'),
      render: (_, c) => c.position ?? <Typography.Text type="secondary">—</Typography.Text>,
    },
    { key: 'expertise', title: t('prog.cadre.expertise'), render: (_, c) => <ExpertiseTags codes={c.expertise} /> },
    {
      key: 'phone',
      title: t('prog.cadre.phone'),
      render: (_, c) =>
        c.phone ? (
          <span className="appeal-mono" style={{ whiteSpace: 'nowrap' }}>
            {c.phone}
          </span>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  return (
    <Card>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/programs">{t('prog.title')}</Link> },
          { key: 'self', title: t('prog.cadres.title') },
        ]}
      />
      <PageTitle
        title={t('prog.cadres.title')}
        subtitle={t('prog.cadres.subtitle')}
        extra={
          can('programs.manage') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="cadre-new">
              {t('prog.cadre.new')}
            </Button>
          )
        }
      />
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (!e.target.value) setQ('');
          }}
          onSearch={(v) => setQ(v.trim())}
          placeholder={t('prog.cadre.searchPlaceholder')}
          style={{ width: 240 }}
          data-testid="cadre-search"
        />
        <Select<UnitType>
          allowClear
          value={unitType}
          onChange={(v) => setUnitType(v ?? undefined)}
          placeholder={t('prog.col.unitType')}
          options={ORIGIN_UNIT_TYPES.map((u) => ({ value: u, label: t(unitTypeKey(u)) }))}
          style={{ width: 200 }}
        />
      </Flex>
      <ListTable<Cadre>
        list={list}
        totalText={(n) => t('prog.cadre.total', { n })}
        data-testid="cadres-table"
        columns={columns}
        onRow={(c) => ({ 'data-testid': 'cadre-row', 'data-name': c.name }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('prog.cadre.empty') }}
      />
      <NewCadreDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(c) => {
          setCreating(false);
          message.success(t('prog.cadre.created', { name: c.name }));
          list.reload();
        }}
      />
    </Card>
  );
}
