import type { Locale } from '@yunwei/contracts/i18n';

/** zh-CN unless the client prefers English. */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) {
    return 'zh-CN';
  }
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
