import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import type { EmptyState } from '../../../shared/components/list-page';

/**
 * What a monitoring view with no series says: where data comes from (the host agent, agentless checks,
 * a Prometheus remote-writing to /api/v1/write) and a link to each page that sets one up.
 */
export function useNoDataEmpty(): EmptyState {
  const { t } = useTranslation();
  const { can } = useAuth();
  const agents = can('agents.agent.read');
  const checks = can('checks.check.read');
  return {
    description: <span style={{ display: 'inline-block', maxWidth: 560 }}>{t('monitoring.noData.description')}</span>,
    action: (agents || checks || can('identity.token.use')) && (
      <Space wrap style={{ justifyContent: 'center' }}>
        {agents && (
          <Link to="/monitoring/agents" data-testid="no-data-agents">
            <Button type="primary">{t('home.state.gettingStarted.goAgents')}</Button>
          </Link>
        )}
        {checks && (
          <Link to="/monitoring/checks" data-testid="no-data-checks">
            <Button>{t('home.state.gettingStarted.goChecks')}</Button>
          </Link>
        )}
        {can('identity.token.use') && (
          <Link to="/platform/tokens" data-testid="no-data-tokens">
            <Button>{t('monitoring.noData.remoteWriteToken')}</Button>
          </Link>
        )}
      </Space>
    ),
  };
}
