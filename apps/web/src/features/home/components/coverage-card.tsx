import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { HomeCoverageGaps } from '@yunwei/contracts/home';
import { PlainList } from '../../cmdb/components/plain-list';
import { CountStatistic, MoreLine, StateCard } from './state-card';

/** CIs the monitoring policy says must be monitored whose data does not arrive, and what is missing. */
export function CoverageCard({ coverage }: { coverage: HomeCoverageGaps }) {
  const { t } = useTranslation();
  return (
    <StateCard title={t('home.state.coverage.title')} link="/inspections/coverage" testId="home-coverage-gaps">
      {coverage.policies === 0 ? (
        <Typography.Text type="secondary">
          {t('home.state.coverage.noPolicy')} <Link to="/inspections/policies">{t('home.state.coverage.definePolicy')}</Link>
        </Typography.Text>
      ) : (
        <>
          <div style={{ marginBottom: 12 }}>
            <CountStatistic title={t('home.state.coverage.uncovered')} value={coverage.uncovered} suffix={`/ ${coverage.total}`} testId="home-coverage-uncovered" />
          </div>
          <PlainList
            items={coverage.items}
            rowKey={(c) => `${c.ciId}:${c.policyName}`}
            empty={t('home.state.coverage.none')}
            render={(c) => (
              <Flex vertical gap={2}>
                <Typography.Text strong>{c.ciName}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.policyName} · {t('home.state.coverage.missing', { what: c.missing.join('、') })}
                </Typography.Text>
              </Flex>
            )}
          />
          <MoreLine shown={coverage.items.length} total={coverage.uncovered} />
        </>
      )}
    </StateCard>
  );
}
