import { Button, Flex, Space } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AlertDetail } from '@yunwei/contracts/alerting';
import { useAuth } from '../../../app/auth-context';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { TOUCH_TARGET } from '../../../shared/use-is-phone';
import { SilenceFromAlertButton } from '../../alert-routing/components/silence-from-alert-button';
import { useAckAlerts } from '../api/use-alerting';

/** What can be done with this alert now, by whom: acknowledge (firing), silence (open). */
export function alertActionsOf(alert: AlertDetail, can: (permission: string) => boolean) {
  return { ack: alert.state === 'firing' && can('alerting.alert.ack'), silence: alert.state !== 'resolved' && can('alerting.silence.write') };
}

/**
 * Acknowledge and silence. `bar`: full-width buttons side by side, thumb-sized, for the phone's bottom
 * bar; otherwise ordinary buttons for a drawer's or page's header.
 */
export function AlertActions({ alert, bar = false }: { alert: AlertDetail; bar?: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const ack = useAckAlerts();
  const allowed = alertActionsOf(alert, can);
  const big = bar ? { size: 'large' as const, block: true, style: { height: TOUCH_TARGET + 4, flex: 1 } } : {};
  const buttons = (
    <>
      {allowed.ack && (
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={ack.isPending}
          onClick={() => void runWithFeedback({ run: () => ack.mutateAsync({ ids: [alert.id] }), success: t('alerts.acknowledged') })}
          data-testid="alert-ack"
          {...big}
        >
          {t('alerts.ack')}
        </Button>
      )}
      {allowed.silence && <SilenceFromAlertButton labels={alert.labels} {...big} />}
    </>
  );
  return bar ? (
    <Flex gap={12} style={{ width: '100%' }}>
      {buttons}
    </Flex>
  ) : (
    <Space>{buttons}</Space>
  );
}
