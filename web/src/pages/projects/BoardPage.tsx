import { FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Badge, Button, Card, Empty, Flex, Input, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useAuth } from '../../auth.tsx';
import { useCategoryName } from '../../components/CategorySelect.tsx';
import { useI18n } from '../../i18n.tsx';
import { guardedPage } from '../../layout/RequireAbility.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { LoadError, PageTitle, useLoad } from '../programs/common.tsx';
import { projectsApi, type Project } from './api.ts';
import { ProgressBar, ProjectFlags, useLabel } from './common.tsx';
import { NewProjectDialog } from './NewProjectDialog.tsx';
import './projects.css';

export const BoardPage = guardedPage('projects.read', 'nav.projects', ProjectBoard);

/** GET /projects/board: one column per status, a card per project. */
function ProjectBoard() {
  const { t } = useI18n();
  const label = useLabel();
  const errorText = useErrorText();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');
  const board = useLoad('board', (signal) => projectsApi.board({ perStatus: 200 }, signal));
  const needle = filter.trim();
  const shown = (p: Project) =>
    !needle || p.communityName.includes(needle) || p.communityCode.startsWith(needle) || p.streetName.includes(needle);

  return (
    <Card>
      <PageTitle
        title={t('proj.title')}
        subtitle={t('proj.subtitle')}
        extra={
          <>
            <Input.Search
              allowClear
              placeholder={t('proj.filter.community')}
              style={{ width: 260 }}
              onChange={(e) => setFilter(e.target.value)}
              data-testid="board-filter"
            />
            <Link to="/projects/report">
              <Button icon={<FileTextOutlined />} data-testid="report-link">
                {t('proj.report.link')}
              </Button>
            </Link>
            {can('projects.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="project-new">
                {t('proj.new')}
              </Button>
            )}
          </>
        }
      />
      {creating && (
        <NewProjectDialog
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            message.success(t('proj.new.done', { title: p.title }));
            navigate(`/projects/${p.id}`);
          }}
        />
      )}
      {board.kind === 'error' && <LoadError error={board.error} errorText={errorText} />}
      {board.kind === 'loading' && <Spin style={{ display: 'block', margin: 48 }} />}
      {board.kind === 'ready' && (
        <>
          <div className="proj-board" data-testid="project-board">
            {board.data.columns.map((col) => {
              const items = col.items.filter(shown);
              return (
                <div key={col.status} className="proj-column" data-testid={`board-column-${col.status}`}>
                  <Flex justify="space-between" align="center" className="proj-column-head">
                    <Typography.Text strong>{label('proj.status', col.status, col.label)}</Typography.Text>
                    <Badge count={needle ? items.length : col.count} showZero color={col.count ? '#1677ff' : '#bfbfbf'} />
                  </Flex>
                  <Flex vertical gap={8}>
                    {items.length === 0 ? (
                      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('proj.board.empty')} />
                    ) : (
                      items.map((p) => <ProjectCard key={p.id} project={p} />)
                    )}
                  </Flex>
                </div>
              );
            })}
          </div>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }}>
            {t('proj.board.total', { n: board.data.total })}
          </Typography.Text>
        </>
      )}
    </Card>
  );
}

function ProjectCard({ project: p }: { project: Project }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  return (
    <Link to={`/projects/${p.id}`} data-testid="project-card" data-id={p.id}>
      <Card size="small" hoverable className="proj-card">
        <Typography.Text strong style={{ display: 'block' }}>
          {p.title}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {p.streetName} · {p.communityName}
        </Typography.Text>
        <Flex gap={4} wrap style={{ marginTop: 6 }}>
          <Tag style={{ marginInlineEnd: 0 }}>{lang === 'zh' ? p.categoryName : categoryName(p.categoryCode)}</Tag>
          <ProjectFlags p={p} />
        </Flex>
        <ProgressBar progress={p.progress} size="small" />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {p.leadPosting ? `${t('proj.lead')}：${p.leadPosting.cadreName}` : t('proj.noLead')}
        </Typography.Text>
      </Card>
    </Link>
  );
}
