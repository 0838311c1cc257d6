import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';
import { useLanguage } from '../use-language';

/** 中文 / English — both visible, one click to switch; remembered in localStorage. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const [language, setLanguage] = useLanguage();
  return (
    <Segmented<Language>
      size="small"
      value={language}
      onChange={setLanguage}
      options={LANGUAGES.map((value) => ({ value, label: t(`language.${value}`) }))}
      aria-label={t('language.switch')}
      data-testid="language-switch"
    />
  );
}
