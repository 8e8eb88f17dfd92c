import { Alert, Button, Col, Flex, Row, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { formatCount } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { CategorySelect, useCategoryName } from '../../components/CategorySelect.tsx';
import { programsApi, type Cadre, type CadreMatches } from './api.ts';
import { monthLabel } from '../evaluation/months.ts';
import { beijingToday, ExpertiseTags, LoadError, useLoad } from './common.tsx';
import { UnitTypeTag } from './pickers.tsx';

const PERIODS = 12;
const TOP = 5;

/**
 * Matching: the community's top complaint categories of the twelve months up to the latest month
 * with appeals (evaluation hotspots) beside the cadres whose expertise fits them. The categories
 * can be changed by hand, e.g. before any appeal was recorded. `onPick` offers a "choose" button.
 */
export function MatchPanel({
  code,
  programId,
  onPick,
  compact = false,
}: {
  code: string;
  programId?: number;
  onPick?: (cadre: Cadre) => void;
  compact?: boolean;
}) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const categoryName = useCategoryName();
  // The twelve months end where the appeal data ends, not today: history imported from files
  // (the demo's runs to 2023-12) still proposes categories.
  const latest = useLoad('latest', (signal) => programsApi.latest(signal));
  const month =
    latest.kind === 'ready'
      ? (latest.data.month ?? beijingToday().slice(0, 7))
      : latest.kind === 'error'
        ? beijingToday().slice(0, 7)
        : null;
  const hotspots = useLoad(month ? `hot:${code}:${month}` : null, (signal) =>
    programsApi.hotspots({ code, month: month!, periods: PERIODS }, signal),
  );
  const [categories, setCategories] = useState<string[]>([]);
  const [touched, setTouched] = useState(false);

  // The hotspots propose the categories until the user picks their own.
  useEffect(() => {
    if (!touched && hotspots.kind === 'ready') setCategories(hotspots.data.items.slice(0, TOP).map((h) => h.category));
  }, [hotspots.kind, touched]);

  const matchKey = categories.length > 0 ? `match:${code}:${programId ?? ''}:${categories.join(',')}` : null;
  const matches = useLoad(matchKey, (signal) => programsApi.cadreMatches(code, { categories, programId, limit: 20 }, signal));

  const columns: TableColumnsType<CadreMatches['items'][number]> = [
    {
      key: 'cadre',
      title: t('prog.col.cadre'),
      render: (_, m) => (
        <>
          <Link to={`/programs/cadres/${m.cadre.id}`}>{m.cadre.name}</Link>
          {m.cadre.position && <Typography.Text type="secondary"> · {m.cadre.position}</Typography.Text>}
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {m.cadre.unitName}
          </Typography.Text>
        </>
      ),
    },
    ...(compact
      ? []
      : [
          {
            key: 'type',
            title: t('prog.col.unitType'),
            render: (_: unknown, m: CadreMatches['items'][number]) => <UnitTypeTag type={m.cadre.unitType} />,
          },
        ]),
    {
      key: 'expertise',
      title: t('prog.col.expertise'),
      render: (_, m) => <ExpertiseTags codes={m.cadre.expertise} highlight={m.matched} />,
    },
    {
      key: 'active',
      title: t('prog.match.activePostings'),
      align: 'end',
      render: (_, m) =>
        m.activePostings > 0 ? (
          <Tag color="orange">{t('prog.match.busy', { n: m.activePostings })}</Tag>
        ) : (
          <Tag color="green">{t('prog.match.free')}</Tag>
        ),
    },
    ...(onPick
      ? [
          {
            key: 'pick',
            title: '',
            render: (_: unknown, m: CadreMatches['items'][number]) => (
              <Button size="small" onClick={() => onPick(m.cadre)} data-testid="match-pick">
                {t('prog.match.pick')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const hot = hotspots.kind === 'ready' ? hotspots.data.items.slice(0, TOP) : [];

  const categoriesBlock = (
    <Flex vertical gap={12}>
      <div>
        <Typography.Text strong>{t('prog.match.topCategories', { n: PERIODS, to: month ? monthLabel(month, lang) : '…' })}</Typography.Text>
        {hotspots.kind === 'loading' ? (
          <Skeleton active paragraph={false} />
        ) : hotspots.kind === 'error' ? (
          <Typography.Text type="secondary" style={{ display: 'block' }}>
            {t('prog.match.noHotspots')}（{errorText(hotspots.error)}）
          </Typography.Text>
        ) : hot.length === 0 ? (
          <Typography.Text type="secondary" style={{ display: 'block' }} data-testid="match-no-hotspots">
            {t('prog.match.noHotspots')}
          </Typography.Text>
        ) : (
          <Flex gap={6} wrap style={{ marginTop: 6 }} data-testid="match-hotspots">
            {hot.map((h) => (
              <Tag key={h.category} color={h.recurring ? 'red' : 'default'} style={{ marginInlineEnd: 0 }}>
                {categoryName(h.category)} · {t('prog.match.volume', { n: formatCount(h.volume, lang) })} ·{' '}
                {t('prog.match.months', { n: h.months })}
              </Tag>
            ))}
          </Flex>
        )}
      </div>
      <div>
        <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
          {t('prog.match.categories')}
        </Typography.Text>
        <CategorySelect
          multiple
          value={categories}
          onChange={(v) => {
            setTouched(true);
            setCategories(v ?? []);
          }}
          placeholder={t('prog.match.categoriesPlaceholder')}
          data-testid="match-categories"
        />
      </div>
    </Flex>
  );
  const results =
    categories.length === 0 ? (
      <Alert type="info" showIcon title={t('prog.match.pickCategories')} />
    ) : matches.kind === 'error' ? (
      <LoadError error={matches.error} errorText={errorText} />
    ) : (
      <Table
        rowKey={(m) => m.cadre.id}
        size="small"
        data-testid="match-table"
        loading={matches.kind === 'loading'}
        columns={columns}
        dataSource={matches.kind === 'ready' ? matches.data.items : []}
        pagination={false}
        onRow={(m) => ({ 'data-testid': 'match-row', 'data-name': m.cadre.name }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('prog.match.none') }}
      />
    );

  if (compact) {
    return (
      <Flex vertical gap={12} data-testid="match-panel">
        {categoriesBlock}
        {results}
      </Flex>
    );
  }
  return (
    <Row gutter={[24, 16]} data-testid="match-panel">
      <Col xs={24} lg={9}>
        {categoriesBlock}
      </Col>
      <Col xs={24} lg={15}>
        {results}
      </Col>
    </Row>
  );
}
