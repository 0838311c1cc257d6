import { useState } from 'react';
import { Badge, Button, Flex, Popover, Tooltip, Typography } from 'antd';
import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { alertObjectName } from '@yunwei/contracts/alerting';
import { useAuth } from '../../../app/auth-context';
import { feedback } from '../../../shared/feedback';
import { TOUCH_TARGET, useIsPhone } from '../../../shared/use-is-phone';
import { PlainList } from '../../cmdb/components/plain-list';
import { useAckAlerts, useAlerts, useLiveAlerts } from '../api/use-alerting';
import { SeverityTag } from './severity-tag';

const SHOWN = 8;
const FIRING = { state: 'firing', limit: SHOWN } as const;

/** The header's bell, for those who may read alerts. */
export function AlertBell() {
  const { can } = useAuth();
  return can('alerting.alert.read') ? <Bell canAck={can('alerting.alert.ack')} /> : null;
}

/**
 * How many alerts are firing and not acknowledged, kept live by the alert socket; its popover lists the
 * newest by name and CI, each acknowledged with one click, and leads to the alert list.
 */
function Bell({ canAck }: { canAck: boolean }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const phone = useIsPhone();
  useLiveAlerts();
  const firing = useAlerts(FIRING);
  const ack = useAckAlerts();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const count = firing.data?.total ?? 0;
  const items = firing.data?.items ?? [];

  const content = (
    <Flex vertical gap={8} style={{ width: 'min(360px, calc(100vw - 40px))' }} data-testid="alert-bell-popover">
      <PlainList
        items={items}
        rowKey={(a) => a.id}
        empty={t('alerts.bell.empty')}
        render={(a) => (
          <Flex vertical gap={2}>
            <Flex align="center" gap={6}>
              <SeverityTag severity={a.severity} />
              <Link to={`/alerts?alert=${encodeURIComponent(a.id)}`} onClick={() => setOpen(false)}>
                <Typography.Text ellipsis style={{ maxWidth: 200, color: 'inherit' }}>
                  {a.annotations[lang].summary || a.ruleName}
                </Typography.Text>
              </Link>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[alertObjectName(a.labels), a.ruleName].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Flex>
        )}
        extra={(a) =>
          canAck ? (
            <Button
              size="small"
              icon={<CheckOutlined />}
              loading={ack.isPending && ack.variables?.ids[0] === a.id}
              onClick={() => ack.mutate({ ids: [a.id] }, { onSuccess: (r) => void (r.acknowledged ? feedback.current?.message.success(t('alerts.bell.acked')) : feedback.current?.message.info(t('alerts.bell.notFiring'))) })}
              data-testid={`alert-bell-ack-${a.id}`}
            >
              {t('alerts.bell.ack')}
            </Button>
          ) : null
        }
      />
      {count > items.length && <Typography.Text type="secondary">{t('alerts.bell.more', { count: count - items.length })}</Typography.Text>}
      <Link to="/alerts" onClick={() => setOpen(false)} data-testid="alert-bell-all">
        {t('alerts.bell.viewAll')}
      </Link>
    </Flex>
  );

  // Below the bell on a phone: that placement is shifted to stay on a narrow screen, bottomRight is not.
  return (
    <Popover trigger="click" placement={phone ? 'bottom' : 'bottomRight'} open={open} onOpenChange={setOpen} title={t('alerts.bell.title', { count })} content={content}>
      <Tooltip title={open ? undefined : t('alerts.bell.label', { count })}>
        <Button type="text" aria-label={t('alerts.bell.label', { count })} style={phone ? { width: TOUCH_TARGET, height: TOUCH_TARGET } : undefined} data-testid="alert-bell">
          <Badge count={count} size="small" overflowCount={99} data-testid="alert-bell-count" data-count={count}>
            <BellOutlined style={{ fontSize: 16 }} />
          </Badge>
        </Button>
      </Tooltip>
    </Popover>
  );
}
