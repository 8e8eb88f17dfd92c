import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';
import { useT, type TKey } from '../i18n.tsx';

/** Honest placeholder for a capability that is not built yet: no sample data. */
export function ComingSoonPage({ nameKey }: { nameKey: TKey }) {
  const t = useT();
  return (
    <Result
      data-testid="coming-soon"
      status="info"
      title={t('comingSoon.title')}
      subTitle={t('comingSoon.subtitle', { name: t(nameKey) })}
      extra={
        <Link to="/">
          <Button type="primary">{t('comingSoon.back')}</Button>
        </Link>
      }
    />
  );
}
