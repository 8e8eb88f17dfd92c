import { Segmented } from 'antd';
import { useI18n, type Lang } from '../i18n.tsx';

/** 中文 / English; saved in the browser, sent to the server as Accept-Language. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      aria-label={t('lang.label')}
      data-testid="lang-switch"
      value={lang}
      onChange={setLang}
      size={compact ? 'small' : undefined}
      options={[
        { label: compact ? '中' : '中文', value: 'zh' },
        { label: compact ? 'EN' : 'English', value: 'en' },
      ]}
    />
  );
}
