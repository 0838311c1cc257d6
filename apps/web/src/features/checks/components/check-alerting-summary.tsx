import { Descriptions, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Check } from '@yunwei/contracts/checks';
import { useLocalName } from '../../../shared/local-name';

/**
 * A check's own alerting as it is now, with links to the rule and the policy on their pages (an
 * administrator may change them there; the check's form shows what they became).
 */
export function CheckAlertingSummary({ check }: { check: Check }) {
  const { t, i18n } = useTranslation();
  const localName = useLocalName();
  const rule = check.alertRule;
  const policy = check.notificationPolicy;
  return (
    <Descriptions size="small" column={1} style={{ marginBottom: 16 }} data-testid="check-alerting">
      <Descriptions.Item label={t('checks.field.retries')}>
        <span data-testid="check-retries-shown">{t('checks.retriesText', { count: check.retries })}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('checks.field.alertRule')}>
        {rule ? (
          <Space size={4} wrap>
            <Link to={`/alerts/rules?rule=${encodeURIComponent(rule.id)}`} data-testid="check-alert-rule">
              {localName(rule.name, rule.nameEn)}
            </Link>
            <Typography.Text type="secondary">
              {t('checks.ruleCondition', { count: rule.consecutiveDown })}
              {rule.enabled ? '' : ` · ${t('checks.ruleDisabled')}`}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('checks.noAlertRule')}</Typography.Text>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('checks.field.notificationPolicy')}>
        {policy ? (
          <Space size={4} wrap>
            <Link to={`/alerts/policies?policy=${encodeURIComponent(policy.id)}`} data-testid="check-notification-policy">
              {localName(policy.name, policy.nameEn)}
            </Link>
            <Typography.Text type="secondary" data-testid="check-notify-channels">
              → {check.notifyChannels.length ? new Intl.ListFormat(i18n.language).format(check.notifyChannels.map((c) => c.name)) : t('checks.noChannels')}
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('checks.generalPolicies')}</Typography.Text>
        )}
      </Descriptions.Item>
    </Descriptions>
  );
}
