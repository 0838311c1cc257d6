import { useTranslation } from 'react-i18next';

/**
 * The name of something that may have an English name besides its Chinese one (built-in rule packs'
 * rules, built-in policies): the English one in English when there is one, else the one name it has.
 */
export function localName(language: string, name: string, nameEn: string | null | undefined): string {
  return language.startsWith('en') && nameEn ? nameEn : name;
}

/** `localName` in the current language. */
export function useLocalName(): (name: string, nameEn: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return (name, nameEn) => localName(i18n.language, name, nameEn);
}
