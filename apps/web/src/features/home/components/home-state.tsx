import type { ReactNode } from 'react';
import { Col, Flex, Row, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HomeSummary } from '@yunwei/contracts/home';
import { useAuth } from '../../../app/auth-context';
import { useHomeSummary, useSummaryFollowsAlerts } from '../api/use-home-summary';
import { AgentsOfflineCard } from './agents-offline-card';
import { ChecksDownCard } from './checks-down-card';
import { CoverageCard } from './coverage-card';
import { GettingStartedCard, gettingStartedOpen } from './getting-started-card';
import { InspectionsCard } from './inspections-card';
import { OncallCard } from './oncall-card';
import { ProblemsCard } from './problems-card';
import { shortTime } from './short-time';

function FollowAlerts() {
  useSummaryFollowsAlerts();
  return null;
}

/**
 * The state of what the signed-in person looks after, as a problems view shows it: one card per
 * section the server answered (a section they may not read is null and left out), the first steps
 * while an install is still empty.
 */
export function HomeState() {
  const { can } = useAuth();
  const { data } = useHomeSummary();
  // Follows alerts from one place in the tree, so it is not remounted when the data arrives.
  const live = can('alerting.alert.read') && <FollowAlerts />;
  return (
    <>
      {live}
      {data ? <StateCards data={data} /> : <Skeleton active />}
    </>
  );
}

function StateCards({ data }: { data: HomeSummary }) {
  const { t } = useTranslation();
  const cards: { key: string; node: ReactNode }[] = [];
  if (data.problems) {
    cards.push({ key: 'problems', node: <ProblemsCard problems={data.problems} /> });
  }
  if (data.checksDown) {
    cards.push({ key: 'checks', node: <ChecksDownCard checks={data.checksDown} /> });
  }
  if (data.agentsOffline) {
    cards.push({ key: 'agents', node: <AgentsOfflineCard agents={data.agentsOffline} /> });
  }
  if (data.inspections) {
    cards.push({ key: 'inspections', node: <InspectionsCard inspections={data.inspections} /> });
  }
  if (data.coverage) {
    cards.push({ key: 'coverage', node: <CoverageCard coverage={data.coverage} /> });
  }
  if (data.oncall) {
    cards.push({ key: 'oncall', node: <OncallCard oncall={data.oncall} /> });
  }
  return (
    <Flex vertical gap={16} data-testid="home-state">
      {gettingStartedOpen(data.gettingStarted) && <GettingStartedCard facts={data.gettingStarted} />}
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col key={c.key} xs={24} lg={12} xxl={8}>
            {c.node}
          </Col>
        ))}
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'right' }}>
        {t('home.state.refreshedAt', { time: shortTime(data.at) })}
      </Typography.Text>
    </Flex>
  );
}
