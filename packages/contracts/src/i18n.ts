export type Locale = 'zh-CN' | 'en';

/** A text shown to people, in both languages of the product. */
export interface LocalizedText {
  zh: string;
  en: string;
}

export function pickText(text: LocalizedText, locale: Locale): string {
  return locale === 'en' ? text.en : text.zh;
}
