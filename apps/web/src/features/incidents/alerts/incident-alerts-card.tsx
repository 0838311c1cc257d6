import { Card, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AlertState, Severity } from '@yunwei/contracts/alerting';
import type { IncidentAlert } from '@yunwei/contracts/incident-alerts';
import { DateTime } from '../../../shared/components/date-time';
import { ResponsiveTable } from '../../../shared/components/responsive-table';
import { AlertStateTag, SeverityTag } from '../../alerting/components/severity-tag';
import { useIncidentAlerts } from './use-incident-alerts';

/** 关联告警: the alerts of the incident's group, as they fire and resolve (shown only when it has any). */
export function IncidentAlertsCard({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const alerts = useIncidentAlerts(incidentId);
  const data = alerts.data;
  if (!data || data.items.length === 0) {
    return null;
  }
  return (
    <Card
      variant="borderless"
      title={t('incidentAlerts.title', { count: data.items.length })}
      extra={data.allResolved ? <Tag color="green" data-testid="incident-alerts-all-resolved">{t('incidentAlerts.allResolved')}</Tag> : null}
      data-testid="incident-alerts-card"
    >
      <ResponsiveTable<IncidentAlert>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data.items}
        cards={{ title: 'summary', badges: ['severity', 'state'], fields: ['ci', 'firingAt', 'resolvedAt'] }}
        columns={[
          {
            key: 'summary',
            title: t('alerts.field.summary'),
            render: (_, a) =>
              a.state === 'gone' ? (
                <Typography.Text type="secondary">{a.summary || a.ruleName}</Typography.Text>
              ) : (
                <Link to={`/alerts/${a.id}`}>{a.summary || a.ruleName}</Link>
              ),
          },
          { key: 'rule', title: t('alerts.field.rule'), dataIndex: 'ruleName' },
          { key: 'ci', title: t('incidentAlerts.ci'), render: (_, a) => a.ciName ?? a.object ?? t('common.empty') },
          { key: 'severity', title: t('alerts.field.severity'), width: 90, render: (_, a) => (a.severity ? <SeverityTag severity={a.severity as Severity} /> : null) },
          { key: 'state', title: t('alerts.field.state'), width: 100, render: (_, a) => (a.state === 'gone' ? <Tag>{t('incidentAlerts.gone')}</Tag> : <AlertStateTag state={a.state as AlertState} />) },
          { key: 'firingAt', title: t('alerts.field.firingAt'), width: 170, render: (_, a) => <DateTime value={a.firingAt ?? a.startedAt} /> },
          { key: 'resolvedAt', title: t('alerts.field.resolvedAt'), width: 170, render: (_, a) => <DateTime value={a.resolvedAt} /> },
        ]}
        data-testid="incident-alerts-table"
      />
    </Card>
  );
}
