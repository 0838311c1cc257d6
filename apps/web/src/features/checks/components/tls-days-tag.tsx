import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Days until an HTTPS certificate expires: orange under 14 days, red under 7 (or expired). */
export function TlsDaysTag({ days }: { days: number | null }) {
  const { t } = useTranslation();
  if (days === null) {
    return null;
  }
  const whole = Math.floor(days);
  const color = whole < 7 ? 'error' : whole < 14 ? 'warning' : 'default';
  return (
    <Tag color={color} data-testid="check-tls-days" data-days={whole}>
      {whole < 0 ? t('checks.tls.expired') : t('checks.tls.daysLeft', { count: whole })}
    </Tag>
  );
}
