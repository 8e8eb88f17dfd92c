import { EnvironmentOutlined } from '@ant-design/icons';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Result,
  Row,
  Spin,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useCategoryName } from '../../components/CategorySelect.tsx';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { breadcrumbLinks } from '../geo/divisionText.ts';
import { useDivision } from '../geo/useDivision.ts';
import { evaluationApi, type Hotspot } from './api.ts';
import { CategoryChart, TrendChart } from './Charts.tsx';
import { useLatestMonth, useRemote } from './data.ts';
import { KpiCards } from './Kpis.tsx';
import { MonthPicker } from './MonthPicker.tsx';
import { addMonths, currentMonth, isMonth, monthLabel } from './months.ts';
import { formatNumber } from './numbers.ts';

const PERIODS = 12;

export const CommunityPage = guardedPage('evaluation.read', 'nav.evaluation', CommunityView);

/** One community over a year: its trend, its hotspots (what keeps coming back) and its categories. */
function CommunityView() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const place = useDivision(code);
  const division = place.kind === 'ready' && place.code === code ? place.division : null;
  const monthParam = params.get('month');
  const latest = useLatestMonth(isMonth(monthParam) ? null : code);
  const month = isMonth(monthParam) ? monthParam : latest.kind === 'ready' ? (latest.data ?? currentMonth()) : null;
  const from = month ? addMonths(month, -(PERIODS - 1)) : null;
  const nameOf = useCategoryName();

  const key = month ? `${code}|${month}` : null;
  const trend = useRemote(key, (signal) => evaluationApi.trend({ code, from: from!, to: month! }, signal));
  const hotspots = useRemote(key, (signal) => evaluationApi.hotspots({ code, month: month!, periods: PERIODS }, signal));
  const categories = useRemote(key, (signal) => evaluationApi.categories({ within: code, from: from!, to: month! }, signal));

  if (place.kind === 'error') {
    return place.error.status === 404 ? (
      <Result status="404" title={t('geo.notFound', { code })} />
    ) : (
      <Alert type="error" showIcon title={errorText(place.error)} />
    );
  }
  if (!division || !month) {
    if (latest.kind === 'error') return <Alert type="error" showIcon title={errorText(latest.error)} />;
    return <Spin style={{ display: 'block', margin: '64px auto' }} />;
  }

  const months = trend.kind === 'ready' ? trend.data : null;
  const current = months?.[months.length - 1] ?? null;
  const previous = months?.[months.length - 2] ?? null;
  const street = division.chain.find((c) => c.level === 'street');
  const firstError = [trend, hotspots, categories].find((r) => r.kind === 'error');

  const hotspotColumns: TableColumnsType<Hotspot> = [
    {
      key: 'category',
      title: t('eval.hotspots.category'),
      render: (_, h) => (
        <>
          {nameOf(h.category)}
          {h.recurring && (
            <Tag color="red" style={{ marginInlineStart: 8 }} data-testid="hotspot-recurring">
              {t('eval.hotspots.recurring')}
            </Tag>
          )}
        </>
      ),
    },
    {
      key: 'months',
      title: t('eval.hotspots.months', { n: PERIODS }),
      width: 180,
      render: (_, h) => (
        <Flex align="center" gap={8}>
          <Progress
            percent={(100 * h.months) / PERIODS}
            showInfo={false}
            size="small"
            style={{ width: 80, margin: 0 }}
            status={h.recurring ? 'exception' : 'normal'}
          />
          <span style={{ fontVariantNumeric: 'tabular-nums' }}>
            {h.months} / {PERIODS}
          </span>
        </Flex>
      ),
    },
    { key: 'volume', title: t('eval.metric.volume'), align: 'right', render: (_, h) => formatNumber(h.volume, lang) },
  ];

  return (
    <Flex vertical gap={16} data-testid="community-page" data-code={code}>
      <Card>
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={[
            { key: 'eval', title: <Link to={`/evaluation?month=${month}`}>{t('eval.title')}</Link> },
            ...breadcrumbLinks(division)
              .filter((l) => l.level === 'district' || l.level === 'street')
              .map((l) => ({ key: l.code, title: <Link to={`/evaluation?month=${month}&division=${l.code}`}>{l.name}</Link> })),
            { key: code, title: division.name },
          ]}
        />
        <Flex justify="space-between" align="flex-start" wrap gap={12}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="community-name">
              {division.name}
            </Typography.Title>
            <Typography.Text type="secondary">
              {t('eval.community.subtitle', { from: monthLabel(from!, lang), to: monthLabel(month, lang) })}
            </Typography.Text>
          </div>
          <Flex wrap gap={8} align="center">
            <MonthPicker value={month} onChange={(m) => setParams({ month: m })} data-testid="month-picker" />
            <Link to={`/geo/${code}`}>
              <Button icon={<EnvironmentOutlined />} data-testid="community-geo-link">
                {t('eval.community.geo')}
              </Button>
            </Link>
            {street && (
              <Link to={`/evaluation?month=${month}&division=${street.code}`}>
                <Button>{t('eval.community.street', { name: street.name })}</Button>
              </Link>
            )}
          </Flex>
        </Flex>
      </Card>
      {firstError && firstError.kind === 'error' && <Alert type="error" showIcon title={errorText(firstError.error)} />}
      {current && current.volume === 0 && current.responseValid === 0 && current.resolutionValid === 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="community-empty"
          title={t('eval.empty.monthOf', { place: division.name, month: monthLabel(month, lang) })}
        />
      )}
      <KpiCards current={current} previous={previous} loading={trend.kind === 'loading'} />
      <Card title={t('eval.trend.title')}>
        <TrendChart months={months} loading={trend.kind === 'loading'} height={300} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            title={t('eval.hotspots.title')}
            style={{ height: '100%' }}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('eval.hotspots.hint', { n: Math.max(2, Math.ceil(PERIODS / 2)) })}
              </Typography.Text>
            }
          >
            <Table<Hotspot>
              data-testid="hotspots-table"
              rowKey="category"
              size="small"
              loading={hotspots.kind === 'loading'}
              columns={hotspotColumns}
              dataSource={hotspots.kind === 'ready' ? hotspots.data.items : []}
              pagination={false}
              locale={{ emptyText: t('eval.empty.window') }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title={t('eval.categories.title')}
            style={{ height: '100%' }}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('eval.community.window', { n: PERIODS })}
              </Typography.Text>
            }
          >
            <CategoryChart
              categories={categories.kind === 'ready' ? categories.data : null}
              nameOf={nameOf}
              loading={categories.kind === 'loading'}
              emptyText={t('eval.empty.window')}
              height={360}
            />
          </Card>
        </Col>
      </Row>
    </Flex>
  );
}
