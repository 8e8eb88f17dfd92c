import { Alert, Card, Col, Empty, Result, Row, Spin, Typography } from 'antd';
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { localizeServerText } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { DivisionDetail } from './DivisionDetail.tsx';
import { DivisionSearch } from './DivisionSearch.tsx';
import { DivisionTree } from './DivisionTree.tsx';
import { useDivision } from './useDivision.ts';

/** Browse Beijing district ► street ► community; the URL (/geo/:code) holds the selection. */
export function GeoPage() {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const { code } = useParams();
  const navigate = useNavigate();
  const state = useDivision(code);
  const selected = state.kind === 'ready' ? state.division : null;

  // The API accepts the 12-digit padded code but answers with the natural one; show that.
  useEffect(() => {
    if (selected && code && selected.code !== code) navigate(`/geo/${selected.code}`, { replace: true });
  }, [selected, code, navigate]);

  const pick = (next: string) => {
    if (next !== code) navigate(`/geo/${next}`);
  };

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={9} xl={8} xxl={7}>
        <Card>
          <DivisionSearch selectedCode={selected?.code} onPick={pick} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('geo.browse')}
          </Typography.Title>
          <div style={{ maxHeight: 'calc(100vh - 260px)', minHeight: 200, overflowY: 'auto' }}>
            <DivisionTree selected={selected} onSelect={pick} />
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={15} xl={16} xxl={17}>
        {state.kind === 'none' && (
          <Card data-testid="division-detail">
            <Empty description={t('geo.selectHint')} />
          </Card>
        )}
        {state.kind === 'loading' && (
          <Card data-testid="division-detail">
            <Spin />
          </Card>
        )}
        {state.kind === 'error' &&
          (state.error.status === 404 ? (
            <Card data-testid="division-detail">
              <Result status="404" title={t('geo.notFound', { code: state.code })} subTitle={state.error.problem.detail && localizeServerText(state.error.problem.detail, lang)} />
            </Card>
          ) : (
            <Alert
              data-testid="division-detail"
              type="error"
              showIcon
              title={errorText(state.error)}
            />
          ))}
        {selected && <DivisionDetail division={selected} />}
      </Col>
    </Row>
  );
}
