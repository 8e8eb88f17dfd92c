import { DownloadOutlined } from '@ant-design/icons';
import { Button, Col, Flex, Row, Statistic, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatCount } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { programsApi, type Batch, type Program, type Roster } from './api.ts';
import { LoadError, RESIDENT_AND_NEW, useLoad } from './common.tsx';
import { BatchFilter, UnitTypeTag } from './pickers.tsx';

/** GET /programs/{id}/roster (+ .xlsx): counts by origin unit type and by community, active against ended. */
export function RosterCard({ program, batches }: { program: Program; batches: Batch[] }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [batchId, setBatchId] = useState<number | undefined>(undefined);
  const roster = useLoad(`roster:${program.id}:${batchId ?? ''}`, (signal) => programsApi.roster(program.id, { batchId }, signal));
  const n = (v: number) => formatCount(v, lang);

  const typeColumns: TableColumnsType<Roster['byUnitType'][number]> = [
    { key: 'type', title: t('prog.col.unitType'), render: (_, r) => <UnitTypeTag type={r.unitType} /> },
    { key: 'cadres', title: t('prog.roster.cadres'), align: 'end', render: (_, r) => n(r.cadres) },
    { key: 'postings', title: t('prog.roster.postings'), align: 'end', render: (_, r) => n(r.postings) },
    { key: 'active', title: t('prog.roster.active'), align: 'end', render: (_, r) => n(r.active) },
    { key: 'ended', title: t('prog.roster.ended'), align: 'end', render: (_, r) => n(r.ended) },
  ];
  const communityColumns: TableColumnsType<Roster['byCommunity'][number]> = [
    {
      key: 'community',
      title: t('prog.col.community'),
      render: (_, r) => (
        <>
          <Link to={`/programs/communities/${r.communityCode}`}>{r.communityName}</Link>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {r.streetName}
          </Typography.Text>
        </>
      ),
    },
    {
      key: 'current',
      title: t('prog.col.currentSecretary'),
      render: (_, r) =>
        r.current.length > 0 ? (
          r.current.join(lang === 'zh' ? '、' : ', ')
        ) : (
          <Typography.Text type="secondary">{t('prog.vacant')}</Typography.Text>
        ),
    },
    { key: 'postings', title: t('prog.roster.postings'), align: 'end', render: (_, r) => n(r.postings) },
    { key: 'active', title: t('prog.roster.active'), align: 'end', render: (_, r) => n(r.active) },
    { key: 'ended', title: t('prog.roster.ended'), align: 'end', render: (_, r) => n(r.ended) },
  ];

  return (
    <Flex vertical gap={16} data-testid="roster-card">
      <Flex gap={12} align="center" wrap>
        <BatchFilter batches={batches} value={batchId} onChange={setBatchId} width={180} testId="roster-batch" />
        <a href={programsApi.rosterXlsxUrl(program.id, { batchId })} download>
          <Button icon={<DownloadOutlined />}>{t('prog.roster.export')}</Button>
        </a>
      </Flex>
      {roster.kind === 'error' ? (
        <LoadError error={roster.error} errorText={errorText} />
      ) : (
        roster.kind === 'ready' && (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}>
                <Statistic title={t('prog.roster.cadres')} value={n(roster.data.totals.cadres)} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('prog.roster.fromResidentAndNew')}
                  value={n(roster.data.totals.fromResidentUnitsAndNewOrganizations)}
                  suffix={roster.data.totals.cadres > 0 ? `/ ${n(roster.data.totals.cadres)}` : undefined}
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('prog.roster.communities')} value={n(roster.data.totals.communities)} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('prog.roster.activeEnded')}
                  value={`${n(roster.data.totals.active)} / ${n(roster.data.totals.ended)}`}
                />
              </Col>
            </Row>
            <Typography.Text type="secondary">
              {t('prog.roster.groupHint', {
                types: RESIDENT_AND_NEW.map((u) => t(`prog.unitType.${u}`)).join(lang === 'zh' ? '、' : ', '),
              })}
            </Typography.Text>
            <Row gutter={[24, 16]}>
              <Col xs={24} xl={10}>
                <Typography.Title level={5}>{t('prog.roster.byUnitType')}</Typography.Title>
                <Table
                  rowKey="unitType"
                  size="small"
                  columns={typeColumns}
                  dataSource={roster.data.byUnitType}
                  pagination={false}
                  data-testid="roster-by-type"
                />
              </Col>
              <Col xs={24} xl={14}>
                <Typography.Title level={5}>{t('prog.roster.byCommunity')}</Typography.Title>
                <Table
                  rowKey="communityCode"
                  size="small"
                  columns={communityColumns}
                  dataSource={roster.data.byCommunity}
                  pagination={roster.data.byCommunity.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                  data-testid="roster-by-community"
                />
              </Col>
            </Row>
            <div>
              <Typography.Title level={5}>
                {t('prog.appr.title')}（{n(roster.data.apprentices.length)}）
              </Typography.Title>
              <Table
                rowKey="apprenticeshipId"
                size="small"
                pagination={false}
                data-testid="roster-apprentices"
                dataSource={roster.data.apprentices}
                columns={[
                  {
                    key: 'name',
                    title: t('prog.roster.apprentice'),
                    render: (_, a) => <span data-testid="roster-apprentice-name">{a.apprenticeName}</span>,
                  },
                  { key: 'position', title: t('prog.roster.apprenticePosition'), render: (_, a) => a.apprenticePosition ?? '—' },
                  {
                    key: 'secretary',
                    title: t('prog.roster.apprenticeOf'),
                    render: (_, a) => <Link to={`/programs/postings/${a.postingId}`}>{a.secretaryName}</Link>,
                  },
                  { key: 'community', title: t('prog.col.community'), dataIndex: 'communityName' },
                  { key: 'start', title: t('prog.roster.apprenticeSince'), dataIndex: 'startDate' },
                  { key: 'status', title: t('prog.roster.apprenticeStatus'), render: (_, a) => t(`prog.appr.status.${a.status}`) },
                ]}
              />
            </div>
          </>
        )
      )}
    </Flex>
  );
}
