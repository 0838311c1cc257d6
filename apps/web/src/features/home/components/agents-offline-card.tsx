import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HomeAgentsOffline } from '@yunwei/contracts/home';
import { PlainList } from '../../cmdb/components/plain-list';
import { CountStatistic, MoreLine, StateCard } from './state-card';
import { shortTime } from './short-time';

/** Host agents gone silent, the longest silent first, with when they were last heard of. */
export function AgentsOfflineCard({ agents }: { agents: HomeAgentsOffline }) {
  const { t } = useTranslation();
  return (
    <StateCard title={t('home.state.agentsOffline.title')} link="/monitoring/agents" testId="home-agents-offline">
      <div style={{ marginBottom: 12 }}>
        <CountStatistic title={t('home.state.agentsOffline.count')} value={agents.count} testId="home-agents-offline-count" />
      </div>
      <PlainList
        items={agents.items}
        rowKey={(a) => a.agentId}
        empty={t('home.state.agentsOffline.none')}
        render={(a) => (
          <Flex vertical gap={2}>
            <Typography.Text strong>{a.hostname}</Typography.Text>
            {a.ciName && a.ciName !== a.hostname && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {a.ciName}
              </Typography.Text>
            )}
          </Flex>
        )}
        extra={(a) => <Typography.Text type="secondary">{a.lastContactAt ? t('home.state.agentsOffline.lastContact', { time: shortTime(a.lastContactAt) }) : t('home.state.agentsOffline.never')}</Typography.Text>}
      />
      <MoreLine shown={agents.items.length} total={agents.count} />
    </StateCard>
  );
}
