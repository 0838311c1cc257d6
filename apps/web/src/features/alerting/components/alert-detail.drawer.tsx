import { Button, Descriptions, Drawer, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { alertObjectName, type AlertDetail } from '@yunwei/contracts/alerting';
import { Link } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { feedback } from '../../../shared/feedback';
import { SilenceFromAlertButton } from '../../alert-routing/components/silence-from-alert-button';
import { readableLabels } from '../alert-labels';
import { useAckAlerts, useAlert } from '../api/use-alerting';
import { AlertStateTag, SeverityTag } from './severity-tag';

/** One alert: what it is about, its values, what suppresses it, and its timeline; acknowledge and silence from here. */
export function AlertDetailDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const { data: alert } = useAlert(id);
  const ack = useAckAlerts();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={640}
      title={alert ? alert.ruleName : t('common.loading')}
      extra={
        alert && (
          <Space>
            {alert.state === 'firing' && can('alerting.alert.ack') && (
              <Button
                type="primary"
                loading={ack.isPending}
                onClick={() => ack.mutate({ ids: [alert.id] }, { onSuccess: () => void feedback.current?.message.success(t('alerts.acknowledged')) })}
                data-testid="alert-ack"
              >
                {t('alerts.ack')}
              </Button>
            )}
            {alert.state !== 'resolved' && <SilenceFromAlertButton labels={alert.labels} />}
          </Space>
        )
      }
      data-testid="alert-detail"
    >
      {alert && <Detail alert={alert} lang={lang} />}
    </Drawer>
  );
}

function Detail({ alert, lang }: { alert: AlertDetail; lang: 'zh' | 'en' }) {
  const { t } = useTranslation();
  const object = alertObjectName(alert.labels);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={5} style={{ margin: 0 }} data-testid="alert-summary">
        {alert.annotations[lang].summary}
      </Typography.Title>
      {alert.annotations[lang].description && <Typography.Paragraph type="secondary">{alert.annotations[lang].description}</Typography.Paragraph>}
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('alerts.field.object')} span={2}>
          <span data-testid="alert-object">{alert.ciId ? <Link to={`/cmdb/cis/${alert.ciId}`}>{object || t('common.empty')}</Link> : object || t('common.empty')}</span>
        </Descriptions.Item>
        {alert.labels.business_name && (
          <Descriptions.Item label={t('alerts.field.business')} span={2}>
            {alert.labels.business_name}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('alerts.field.state')}>
          <AlertStateTag state={alert.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.severity')}>
          <SeverityTag severity={alert.severity} />
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.value')}>{alert.value ?? t('common.empty')}</Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.threshold')}>{alert.threshold ?? t('common.empty')}</Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.startedAt')}>
          <DateTime value={alert.startedAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.firingAt')}>
          <DateTime value={alert.firingAt} emptyText={t('common.empty')} />
        </Descriptions.Item>
      </Descriptions>
      {alert.suppressedBy.length > 0 && (
        <div data-testid="alert-suppressed">
          <Typography.Text strong>{t('alerts.suppressedBy')}</Typography.Text>
          <div>
            {alert.suppressedBy.map((s) => (
              <Tag key={`${s.kind}:${s.refId}`} color="purple">
                {t(`alerts.suppression.${s.kind}`, { defaultValue: s.kind })}：{s.reason}
              </Tag>
            ))}
          </div>
        </div>
      )}
      <div>
        <Typography.Text strong>{t('alerts.field.labels')}</Typography.Text>
        <div>
          {readableLabels(alert.labels).map((label) => (
            <Tag key={label}>{label}</Tag>
          ))}
        </div>
      </div>
      <div>
        <Typography.Text strong>{t('alerts.timeline')}</Typography.Text>
        {alert.events.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Timeline
            style={{ marginTop: 12 }}
            items={alert.events.map((e) => ({
              key: `${e.at}:${e.toState}`,
              content: (
                <Space orientation="vertical" size={0}>
                  <span>
                    <DateTime value={e.at} /> {t(`alerts.state.${e.toState}`, { defaultValue: e.toState })}
                    {e.actorId === null ? ` · ${t('alerts.bySystem')}` : ''}
                  </span>
                  {e.note && <Typography.Text type="secondary">{e.note}</Typography.Text>}
                </Space>
              ),
            }))}
            data-testid="alert-timeline"
          />
        )}
      </div>
    </Space>
  );
}
