import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** "in 2 h 5 min" until `at` (minutes resolution), or "ended" once past. */
export function ExpiresIn({ at, now = Date.now() }: { at: number; now?: number }) {
  const { t } = useTranslation();
  const minutes = Math.ceil((at - now) / 60_000);
  if (minutes <= 0) {
    return <Typography.Text type="secondary">{t('alertRouting.silence.ended')}</Typography.Text>;
  }
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days ? t('alertRouting.duration.days', { count: days }) : '', hours ? t('alertRouting.duration.hours', { count: hours }) : '', mins && !days ? t('alertRouting.duration.minutes', { count: mins }) : ''].filter(Boolean);
  return <span data-testid="expires-in">{t('alertRouting.silence.expiresIn', { time: parts.join(' ') })}</span>;
}
