import { FileTextOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Row, Spin, Tag, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { useCategoryName } from '../../components/CategorySelect.tsx';
import { DivisionSelect } from '../../components/DivisionSelect.tsx';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { useDivision } from '../geo/useDivision.ts';
import { evaluationApi } from './api.ts';
import { CategoryChart, TrendChart } from './Charts.tsx';
import { useLatest, useLatestMonth, useRemote } from './data.ts';
import { communityPath, KeyCommunitiesCard } from './KeyCommunitiesCard.tsx';
import { KpiCards } from './Kpis.tsx';
import { MonthPicker } from './MonthPicker.tsx';
import { addMonths, currentMonth, isMonth, monthLabel } from './months.ts';
import { RankingCard } from './RankingCard.tsx';
import { TreemapCard } from './TreemapCard.tsx';

export const EvaluationPage = guardedPage('evaluation.read', 'nav.evaluation', Dashboard);

/** A division inside the scope from the URL, or the scope itself. */
export function divisionWithin(scope: string, param: string | null): string {
  return param && /^\d{2,12}$/.test(param) && param.startsWith(scope) ? param : scope;
}

/**
 * The three rates of one division and month: KPIs, a year's trend, categories, rankings one
 * level down, the key-community list and a volume treemap. The URL (?month=&division=) holds
 * the choice, so a view can be linked and reloaded.
 */
function Dashboard() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const { session } = useAuth();
  const scope = session!.user.scopeCode;
  const [params, setParams] = useSearchParams();
  const division = divisionWithin(scope, params.get('division'));
  const monthParam = params.get('month');
  const latest = useLatestMonth(scope);
  const underWay = useLatest(scope);
  const inProgress = underWay.kind === 'ready' ? underWay.data.inProgress : null;
  const month = isMonth(monthParam) ? monthParam : latest.kind === 'ready' ? (latest.data ?? currentMonth()) : null;
  const place = useDivision(division);
  const areaName = place.kind === 'ready' && place.code === division ? place.division.name : '';
  const nameOf = useCategoryName();

  const trend = useRemote(month ? `${division}|${month}` : null, (signal) =>
    evaluationApi.trend({ code: division, from: addMonths(month!, -11), to: month! }, signal),
  );
  const categories = useRemote(month ? `${division}|${month}` : null, (signal) =>
    evaluationApi.categories({ within: division, from: month!, to: month! }, signal),
  );

  const update = (next: { month?: string; division?: string }) => {
    const p = new URLSearchParams(params);
    if (next.month) p.set('month', next.month);
    else if (month && !p.has('month')) p.set('month', month);
    if (next.division) p.set('division', next.division);
    setParams(p);
  };
  const showDivision = (code: string) => update({ division: code });

  const months = trend.kind === 'ready' ? trend.data : null;
  const current = months?.[months.length - 1] ?? null;
  const previous = months?.[months.length - 2] ?? null;
  const empty = !!current && current.volume === 0 && current.responseValid === 0 && current.resolutionValid === 0;
  const latestMonth = latest.kind === 'ready' ? latest.data : null;

  return (
    <Flex vertical gap={16} data-testid="evaluation-dashboard">
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap={12}>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('eval.title')}
              {areaName && month && (
                <Typography.Text
                  type="secondary"
                  style={{ fontSize: 16, fontWeight: 'normal', marginInlineStart: 12 }}
                  data-testid="dashboard-heading"
                >
                  {areaName} · {monthLabel(month, lang)}
                </Typography.Text>
              )}
            </Typography.Title>
            <Typography.Text type="secondary">{t('eval.subtitle')}</Typography.Text>
            {inProgress && inProgress !== month && (
              <div>
                <Tag
                  color="processing"
                  style={{ cursor: 'pointer', marginTop: 8 }}
                  onClick={() => update({ month: inProgress })}
                  data-testid="period-in-progress"
                >
                  {t('eval.inProgress', { month: monthLabel(inProgress, lang) })}
                </Tag>
              </div>
            )}
          </div>
          <Flex wrap gap={8} align="center">
            {month && <MonthPicker value={month} onChange={(m) => update({ month: m })} data-testid="month-picker" />}
            <DivisionSelect cascade within={scope} value={division} onChange={showDivision} data-testid="division-picker" />
            <Link to={`/evaluation/reports?kind=monthly&month=${month ?? ''}&division=${division}`}>
              <Button icon={<FileTextOutlined />} data-testid="open-report">
                {t('eval.openReport')}
              </Button>
            </Link>
          </Flex>
        </Flex>
      </Card>

      {latest.kind === 'error' && !month && <Alert type="error" showIcon title={errorText(latest.error)} />}
      {!month && latest.kind === 'loading' && <Spin style={{ display: 'block', margin: '64px auto' }} />}

      {month && (
        <>
          {trend.kind === 'error' && <Alert type="error" showIcon title={errorText(trend.error)} />}
          {empty && (
            <Alert
              type="info"
              showIcon
              data-testid="dashboard-empty"
              title={t('eval.empty.monthOf', { place: areaName, month: monthLabel(month, lang) })}
              description={
                latestMonth && latestMonth !== month ? t('eval.empty.latestHint', { month: monthLabel(latestMonth, lang) }) : undefined
              }
              action={
                latestMonth && latestMonth !== month ? (
                  <Button size="small" onClick={() => update({ month: latestMonth })}>
                    {t('eval.empty.goLatest')}
                  </Button>
                ) : undefined
              }
            />
          )}
          <KpiCards current={current} previous={previous} loading={trend.kind === 'loading'} />
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={15}>
              <Card title={t('eval.trend.title')} style={{ height: '100%' }}>
                <TrendChart months={months} loading={trend.kind === 'loading'} />
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Card
                title={t('eval.categories.title')}
                style={{ height: '100%' }}
                extra={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {monthLabel(month, lang)}
                  </Typography.Text>
                }
              >
                {categories.kind === 'error' ? (
                  <Alert type="error" showIcon title={errorText(categories.error)} />
                ) : (
                  <CategoryChart
                    categories={categories.kind === 'ready' ? categories.data : null}
                    nameOf={nameOf}
                    loading={categories.kind === 'loading'}
                    emptyText={t('eval.empty.month')}
                  />
                )}
              </Card>
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <RankingCard
                key={division}
                within={division}
                month={month}
                onPlace={(code, level) => (level === 'community' ? navigate(communityPath(code, month)) : update({ division: code }))}
              />
            </Col>
            <Col xs={24} xl={12}>
              {areaName && <TreemapCard key={division} within={division} areaName={areaName} month={month} />}
            </Col>
          </Row>
          {areaName && <KeyCommunitiesCard key={division} within={division} areaName={areaName} month={month} />}
        </>
      )}
    </Flex>
  );
}
