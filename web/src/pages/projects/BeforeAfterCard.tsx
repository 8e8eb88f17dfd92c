import { Card, Descriptions, Typography } from 'antd';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { LoadError, useLoad } from '../programs/common.tsx';
import { projectsApi, type Project } from './api.ts';

const percent = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
const signed = (n: number | null, unit = '') => (n === null ? '—' : `${n > 0 ? '+' : ''}${n}${unit}`);

/**
 * GET /projects/{id}/before-after: the project's category of appeals in its community, the same
 * number of months before work started and after it was completed. Only a completed project.
 */
export function BeforeAfterCard({ project: p }: { project: Project }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const data = useLoad(p.status === 'completed' ? `before-after-${p.id}` : null, (signal) => projectsApi.beforeAfter(p.id, signal));
  if (p.status !== 'completed') return null;
  return (
    <Card title={t('proj.beforeAfter.title')} data-testid="before-after">
      {data.kind === 'error' && <LoadError error={data.error} errorText={errorText} />}
      {data.kind === 'loading' && <Card loading bordered={false} />}
      {data.kind === 'ready' && (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
            <Descriptions.Item label={t('proj.beforeAfter.before', { from: data.data.before.from, to: data.data.before.to })}>
              <span data-testid="before-volume">{data.data.before.figures.volume}</span> {t('proj.beforeAfter.appeals')} ·{' '}
              {t('proj.beforeAfter.resolution')} {percent(data.data.before.figures.resolutionRate)}
            </Descriptions.Item>
            <Descriptions.Item label={t('proj.beforeAfter.after', { from: data.data.after.from, to: data.data.after.to })}>
              <span data-testid="after-volume">{data.data.after.figures.volume}</span> {t('proj.beforeAfter.appeals')} ·{' '}
              {t('proj.beforeAfter.resolution')} {percent(data.data.after.figures.resolutionRate)}
            </Descriptions.Item>
            <Descriptions.Item label={t('proj.beforeAfter.change')}>
              <span data-testid="change-volume">{signed(data.data.change.volume)}</span>（
              {data.data.change.volumePercent === null ? '—' : signed(Number((data.data.change.volumePercent * 100).toFixed(1)), '%')}）
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('proj.beforeAfter.rule', { months: data.data.months })}
            {!data.data.complete && ` ${t('proj.beforeAfter.partial', { n: data.data.after.monthsElapsed })}`}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
