import { Breadcrumb, Card, Descriptions, Divider, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Division } from '../../api.ts';
import { useI18n } from '../../i18n.tsx';
import { formatCount } from '../../format.ts';
import { ChildLinks } from './ChildLinks.tsx';
import { breadcrumbLinks, levelKey } from './divisionText.ts';
import { ProfileSection } from './ProfileForm.tsx';
import { CommunitySecretariesSection } from '../programs/CommunitySecretariesPage.tsx';

export function DivisionDetail({ division }: { division: Division }) {
  const { t, lang } = useI18n();
  const links = breadcrumbLinks(division);
  const parent = division.chain[division.chain.length - 1];

  return (
    <Card data-testid="division-detail" data-code={division.code}>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={links.map((link, i) => ({
          key: link.code,
          title: i === links.length - 1 ? link.name : <Link to={`/geo/${link.code}`}>{link.name}</Link>,
        }))}
      />
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {division.name} <Tag color="blue">{t(levelKey(division.level))}</Tag>
      </Typography.Title>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'code', label: t('geo.field.code'), children: <Typography.Text copyable>{division.code}</Typography.Text> },
          { key: 'fullCode', label: t('geo.field.fullCode'), children: division.fullCode },
          { key: 'level', label: t('geo.field.level'), children: t(levelKey(division.level)) },
          { key: 'shortName', label: t('geo.field.shortName'), children: division.shortName },
          {
            key: 'parent',
            label: t('geo.field.parent'),
            children: parent ? <Link to={`/geo/${parent.code}`}>{parent.name}</Link> : '—',
          },
          ...(division.level === 'community'
            ? []
            : [{ key: 'childCount', label: t('geo.field.childCount'), children: formatCount(division.childCount, lang) }]),
        ]}
      />
      {division.level === 'community' ? (
        <>
          <Divider titlePlacement="start">{t('profile.title')}</Divider>
          <ProfileSection code={division.code} />
          <CommunitySecretariesSection code={division.code} />
        </>
      ) : (
        division.childCount > 0 && (
          <>
            <Divider titlePlacement="start">{t('geo.children')}</Divider>
            <ChildLinks key={division.code} code={division.code} />
          </>
        )
      )}
    </Card>
  );
}
