import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboundMailStatus } from '@yunwei/contracts/inbound-mail';

const COLORS: Record<InboundMailStatus, string> = { received: 'processing', processed: 'success', quarantined: 'warning', failed: 'error', discarded: 'default' };

export function InboundMailStatusTag({ status }: { status: InboundMailStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid={`inbound-mail-status-${status}`}>
      {t(`inboundMail.status.${status}`)}
    </Tag>
  );
}
