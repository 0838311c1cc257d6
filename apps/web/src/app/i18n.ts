import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import zhCN from '../locales/zh-CN.json';
import en from '../locales/en.json';

/** The two languages of the product. zh-CN is the default; English is one click away. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'yunwei.language';

// Both files must have exactly the same keys: each must be assignable to the other's type.
const enHasEveryKey: typeof zhCN = en;
const zhHasEveryKey: typeof en = zhCN;
void enHasEveryKey;
void zhHasEveryKey;

function storedLanguage(): Language {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyLanguageSideEffects(language: Language): void {
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = language;
  document.title = i18n.t('app.name');
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
applyLanguageSideEffects(currentLanguage());

/** The language in use, as sent in `Accept-Language`. */
export function currentLanguage(): Language {
  return i18n.resolvedLanguage === 'en' || i18n.language === 'en' ? 'en' : 'zh-CN';
}

export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  await i18n.changeLanguage(language);
  applyLanguageSideEffects(language);
}

/** Pick the current language's text from a `{ zh, en }` pair sent by the server. */
export function localized(text: { zh: string; en: string } | null | undefined, language: Language): string {
  if (!text) {
    return '';
  }
  return language === 'en' ? text.en || text.zh : text.zh || text.en;
}

export default i18n;
