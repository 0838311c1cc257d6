import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlertState, Severity } from '@yunwei/contracts/alerting';

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <Tag color={severity === 'critical' ? 'red' : 'orange'} data-testid={`severity-${severity}`}>
      {t(`alerts.severity.${severity}`)}
    </Tag>
  );
}

const STATE_COLORS: Record<AlertState, string> = { pending: 'gold', firing: 'red', acknowledged: 'blue', resolved: 'green' };

export function AlertStateTag({ state }: { state: AlertState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} data-testid={`alert-state-${state}`}>
      {t(`alerts.state.${state}`)}
    </Tag>
  );
}
