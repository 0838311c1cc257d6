import { Button, Dropdown, Segmented } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../i18n';
import { useLanguage } from '../use-language';
import { TOUCH_TARGET, useIsPhone } from '../../shared/use-is-phone';

/**
 * 中文 / English — both visible, one click to switch; remembered in localStorage. On a phone the header
 * has no room for both: an icon opens the choice.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const [language, setLanguage] = useLanguage();
  const phone = useIsPhone();
  if (phone) {
    return (
      <Dropdown
        trigger={['click']}
        placement="bottomRight"
        menu={{
          items: LANGUAGES.map((value) => ({ key: value, label: t(`language.${value}`), style: { minHeight: TOUCH_TARGET, display: 'flex', alignItems: 'center' } })),
          selectable: true,
          selectedKeys: [language],
          onClick: ({ key }) => setLanguage(key as Language),
        }}
      >
        <Button type="text" icon={<TranslationOutlined />} aria-label={t('language.switch')} style={{ width: TOUCH_TARGET, height: TOUCH_TARGET }} data-testid="language-switch" />
      </Dropdown>
    );
  }
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
