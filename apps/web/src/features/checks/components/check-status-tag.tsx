import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CheckStatus } from '@yunwei/contracts/checks';

/** Pending: failing within its retries (not down yet), orange as in Uptime Kuma. */
const COLORS: Record<CheckStatus, string> = { up: 'success', pending: 'warning', down: 'error', unknown: 'default' };

export function CheckStatusTag({ status, enabled = true }: { status: CheckStatus; enabled?: boolean }) {
  const { t } = useTranslation();
  if (!enabled) {
    return <Tag data-status="disabled">{t('checks.status.disabled')}</Tag>;
  }
  return (
    <Tag color={COLORS[status]} data-status={status}>
      {t(`checks.status.${status}`)}
    </Tag>
  );
}
