import { seededText } from '@yunwei/contracts/seeded-texts';
import { useLanguage } from '../app/use-language';

/**
 * (stored text) => the text in the current language when Yunwei seeded it (a built-in template's name,
 * an item, its guidance) and nobody has changed it; anything a person typed stays as typed.
 */
export function useSeededText(): (text: string) => string {
  const [language] = useLanguage();
  return (text) => seededText(text, language);
}
