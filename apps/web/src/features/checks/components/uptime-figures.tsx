import { Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Check } from '@yunwei/contracts/checks';

/** A share as a percentage, never rounded up to 100 % (99.96 % shows as 99.9 %). */
export function percent(share: number): string {
  return share >= 1 ? '100%' : `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
}

function Figure({ label, share, hint, testId }: { label: string; share: number | null; hint: string; testId: string }) {
  const { t } = useTranslation();
  const type = share === null ? 'secondary' : share >= 0.99 ? 'success' : share >= 0.95 ? 'warning' : 'danger';
  return (
    <Tooltip title={hint}>
      <Typography.Text type={type} style={{ fontSize: 12, whiteSpace: 'nowrap' }} data-testid={testId}>
        {label} {share === null ? t('common.empty') : percent(share)}
      </Typography.Text>
    </Tooltip>
  );
}

/** Uptime over the last day and month (shares of UP results, by whole hours). */
export function UptimeFigures({ uptime }: { uptime: Check['uptime'] }) {
  const { t } = useTranslation();
  return (
    <Space size={8}>
      <Figure label={t('checks.uptime.day')} share={uptime.day} hint={t('checks.uptime.dayHint')} testId="check-uptime-day" />
      <Figure label={t('checks.uptime.month')} share={uptime.month} hint={t('checks.uptime.monthHint')} testId="check-uptime-month" />
    </Space>
  );
}
