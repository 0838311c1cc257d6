import { useTranslation } from 'react-i18next';
import { checkMessageIn, type CheckMessageParams } from '@yunwei/contracts/check-messages';
import type { Locale } from '@yunwei/contracts/i18n';

type Said = { message: string | null; messageCode?: string | null; messageParams?: Readonly<CheckMessageParams> | null };

/** What a result said, in the reader's language (older results only have their English text). */
export function useCheckMessage(): (result: Said) => string | null {
  const { i18n } = useTranslation();
  const locale: Locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (result) => checkMessageIn(result, locale);
}
