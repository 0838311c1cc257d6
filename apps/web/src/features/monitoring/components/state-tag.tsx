import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BusinessHealth, MonitorState } from '@yunwei/contracts/dashboards';

const COLORS: Record<MonitorState | BusinessHealth, string> = { up: 'success', down: 'error', degraded: 'warning', unknown: 'default' };

/** up / down / degraded / unknown as a coloured tag. */
export function StateTag({ state }: { state: MonitorState | BusinessHealth }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[state]} data-state={state}>
      {t(`monitoring.state.${state}`)}
    </Tag>
  );
}
