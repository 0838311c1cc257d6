import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeliveryStatus } from '@yunwei/contracts/notify';

const COLORS: Record<DeliveryStatus, string> = { queued: 'default', sending: 'processing', sent: 'success', retrying: 'warning', failed: 'error', suppressed: 'purple' };

export function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-status={status}>
      {t(`notify.deliveryStatus.${status}`)}
    </Tag>
  );
}
