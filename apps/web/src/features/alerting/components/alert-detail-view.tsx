import { Descriptions, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { alertObjectName, type AlertDetail } from '@yunwei/contracts/alerting';
import { Link } from 'react-router';
import { DateTime } from '../../../shared/components/date-time';
import { localName } from '../../../shared/local-name';
import { readableLabels } from '../alert-labels';
import { AlertStateTag, SeverityTag } from './severity-tag';

/** One alert: what it is about, its values, what suppresses it, and its timeline (the drawer and the page). */
export function AlertDetailView({ alert }: { alert: AlertDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const object = alertObjectName(alert.labels);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={5} style={{ margin: 0 }} data-testid="alert-summary">
          {alert.annotations[lang].summary}
        </Typography.Title>
        {alert.annotations[lang].description && (
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
            {alert.annotations[lang].description}
          </Typography.Paragraph>
        )}
      </div>
      {/* One column on a phone: labels and values side by side in two columns do not fit 390 px. */}
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
        <Descriptions.Item label={t('alerts.field.object')} span={{ xs: 1, sm: 2 }}>
          <span data-testid="alert-object">{alert.ciId ? <Link to={`/cmdb/cis/${alert.ciId}`}>{object || t('common.empty')}</Link> : object || t('common.empty')}</span>
        </Descriptions.Item>
        {alert.labels.business_name && (
          <Descriptions.Item label={t('alerts.field.business')} span={{ xs: 1, sm: 2 }}>
            {alert.labels.business_name}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('alerts.field.rule')} span={{ xs: 1, sm: 2 }}>
          {localName(i18n.language, alert.ruleName, alert.ruleNameEn)}
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.state')}>
          <AlertStateTag state={alert.state} />
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.severity')}>
          <SeverityTag severity={alert.severity} />
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.value')}>{alert.value === null ? t('common.empty') : Number(alert.value.toPrecision(6))}</Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.threshold')}>{alert.threshold ?? t('common.empty')}</Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.startedAt')}>
          <DateTime value={alert.startedAt} />
        </Descriptions.Item>
        <Descriptions.Item label={t('alerts.field.firingAt')}>
          <DateTime value={alert.firingAt} emptyText={t('common.empty')} />
        </Descriptions.Item>
        {alert.resolvedAt !== null && (
          <Descriptions.Item label={t('alerts.field.resolvedAt')}>
            <DateTime value={alert.resolvedAt} />
          </Descriptions.Item>
        )}
      </Descriptions>
      {alert.suppressedBy.length > 0 && (
        <div data-testid="alert-suppressed">
          <Typography.Text strong>{t('alerts.suppressedBy')}</Typography.Text>
          <div>
            {alert.suppressedBy.map((s) => (
              <Tag key={`${s.kind}:${s.refId}`} color="purple" style={{ whiteSpace: 'normal' }}>
                {t(`alerts.suppression.${s.kind}`, { defaultValue: s.kind })}
                {lang === 'zh' ? '：' : ': '}
                {s.reason}
              </Tag>
            ))}
          </div>
        </div>
      )}
      <div>
        <Typography.Text strong>{t('alerts.field.labels')}</Typography.Text>
        <div>
          {readableLabels(alert.labels).map((label) => (
            <Tag key={label} style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
              {label}
            </Tag>
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
