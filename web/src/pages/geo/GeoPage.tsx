import { Alert, Card, Col, Empty, Result, Row, Spin, Typography } from 'antd';
import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { DivisionDetail } from './DivisionDetail.tsx';
import { DivisionSearch } from './DivisionSearch.tsx';
import { DivisionTree } from './DivisionTree.tsx';
import { useDivision } from './useDivision.ts';

/** Browse Beijing district ► street ► community; the URL (/geo/:code) holds the selection. */
export function GeoPage() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const { code } = useParams();
  const navigate = useNavigate();
  const state = useDivision(code);
  // Right after a click the state still holds the previous division: ignore it until it
  // answers the code in the URL, or the URL would be "corrected" back to the old one.
  const current = state.kind !== 'none' && state.code === code ? state : null;
  const selected = current?.kind === 'ready' ? current.division : null;

  // The API accepts the 12-digit padded code but answers with the natural one; show that.
  useEffect(() => {
    if (selected && selected.code !== code) navigate(`/geo/${selected.code}`, { replace: true });
  }, [selected, code, navigate]);

  const pick = (next: string) => {
    if (next !== code) navigate(`/geo/${next}`);
  };

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={9} xl={8} xxl={7}>
        {/* The panel fits the window so the tree scrolls inside it while the detail stays in view. */}
        <Card
          style={{ height: 'calc(100vh - 128px)', minHeight: 420 }}
          styles={{ body: { height: '100%', display: 'flex', flexDirection: 'column', gap: 12 } }}
        >
          <DivisionSearch selectedCode={selected?.code} onPick={pick} />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('geo.browse')}
          </Typography.Title>
          <div style={{ flex: 1, minHeight: 0 }}>
            <DivisionTree selectedCode={selected?.code ?? code} selected={selected} onSelect={pick} />
          </div>
        </Card>
      </Col>
      <Col xs={24} lg={15} xl={16} xxl={17}>
        {!code ? (
          <Card data-testid="division-detail">
            <Empty description={t('geo.selectHint')} />
          </Card>
        ) : current?.kind === 'error' ? (
          current.error.status === 404 ? (
            <Card data-testid="division-detail">
              <Result status="404" title={t('geo.notFound', { code })} subTitle={t('geo.notFoundHint')} />
            </Card>
          ) : (
            <Alert data-testid="division-detail" type="error" showIcon title={errorText(current.error)} />
          )
        ) : (
          !selected && (
            <Card data-testid="division-detail">
              <Spin />
            </Card>
          )
        )}
        {selected && <DivisionDetail division={selected} />}
      </Col>
    </Row>
  );
}
