import { CheckCircleFilled, CloseCircleFilled, EnvironmentOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Row, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, isAbort, type Health } from '../api.ts';
import { useT, type TKey } from '../i18n.tsx';

const POINTS: TKey[] = [
  'overview.point.rates',
  'overview.point.key',
  'overview.point.secretaries',
  'overview.point.projects',
  'overview.point.impact',
];

type HealthState = { kind: 'loading' } | { kind: 'ok'; health: Health } | { kind: 'down' };

function HealthCard() {
  const t = useT();
  const [state, setState] = useState<HealthState>({ kind: 'loading' });

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .health(ctrl.signal)
      .then((health) => setState({ kind: 'ok', health }))
      .catch((err: unknown) => {
        if (!isAbort(err)) setState({ kind: 'down' });
      });
    return () => ctrl.abort();
  }, []);

  return (
    <Card title={t('health.title')} data-testid="health-card">
      {state.kind === 'loading' && <Spin />}
      {state.kind === 'down' && (
        <Typography.Text type="danger">
          <CloseCircleFilled /> {t('health.down')}
        </Typography.Text>
      )}
      {state.kind === 'ok' && (
        <>
          <Typography.Paragraph>
            <Typography.Text type="success">
              <CheckCircleFilled /> {t('health.ok')}
            </Typography.Text>
          </Typography.Paragraph>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'backend', label: t('health.backend'), children: state.health.backend },
              { key: 'version', label: t('health.version'), children: state.health.version },
            ]}
          />
        </>
      )}
    </Card>
  );
}

export function OverviewPage() {
  const t = useT();
  return (
    <Row gutter={[24, 24]} style={{ maxWidth: 1200 }}>
      <Col xs={24} lg={16}>
        <Typography.Title level={2} style={{ marginTop: 0 }}>
          {t('overview.title')}
        </Typography.Title>
        <Typography.Paragraph style={{ fontSize: 16 }}>{t('overview.lead')}</Typography.Paragraph>
        <ul style={{ paddingInlineStart: 20, lineHeight: 1.9 }}>
          {POINTS.map((key) => (
            <li key={key}>{t(key)}</li>
          ))}
        </ul>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t('overview.geo.title')} style={{ marginBottom: 24 }}>
          <Typography.Paragraph>{t('overview.geo.text')}</Typography.Paragraph>
          <Link to="/geo">
            <Button type="primary" icon={<EnvironmentOutlined />}>
              {t('overview.geo.link')}
            </Button>
          </Link>
        </Card>
        <HealthCard />
      </Col>
    </Row>
  );
}
