import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HomeChecksDown } from '@yunwei/contracts/home';
import { PlainList } from '../../cmdb/components/plain-list';
import { CountStatistic, MoreLine, StateCard } from './state-card';
import { shortTime } from './short-time';

/** Enabled checks whose last run was DOWN, by name with their CI and what the probe said. */
export function ChecksDownCard({ checks }: { checks: HomeChecksDown }) {
  const { t } = useTranslation();
  return (
    <StateCard title={t('home.state.checksDown.title')} link="/monitoring/checks" testId="home-checks-down">
      <div style={{ marginBottom: 12 }}>
        <CountStatistic title={t('home.state.checksDown.count')} value={checks.count} testId="home-checks-down-count" />
      </div>
      <PlainList
        items={checks.items}
        rowKey={(c) => c.checkId}
        empty={t('home.state.checksDown.none')}
        render={(c) => (
          <Flex vertical gap={2}>
            <Typography.Text strong>{c.name}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[c.ciName, c.target, c.message].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Flex>
        )}
        extra={(c) => <Typography.Text type="secondary">{shortTime(c.lastCheckedAt)}</Typography.Text>}
      />
      <MoreLine shown={checks.items.length} total={checks.count} />
    </StateCard>
  );
}
