import { useTranslation } from 'react-i18next';
import { changeLanguage, type Language } from './i18n';

/** The current UI language and a setter that also remembers the choice. */
export function useLanguage(): [Language, (language: Language) => void] {
  const { i18n } = useTranslation();
  const language: Language = i18n.resolvedLanguage === 'en' ? 'en' : 'zh-CN';
  return [language, (next) => void changeLanguage(next)];
}
