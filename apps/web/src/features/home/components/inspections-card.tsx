import { Col, Flex, Row, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { HomeInspections } from '@yunwei/contracts/home';
import { PlainList } from '../../cmdb/components/plain-list';
import { CountStatistic, MoreLine, StateCard } from './state-card';
import { shortTime } from './short-time';

/** Inspections waiting to be done and signed (overdue first), and schedules coming due within a day. */
export function InspectionsCard({ inspections }: { inspections: HomeInspections }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const upcoming = inspections.upcoming;
  return (
    <StateCard title={t('home.state.inspections.title')} link="/inspections/records" testId="home-inspections-due">
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={8}>
          <CountStatistic title={t('home.state.inspections.open')} value={inspections.open} color={token.colorWarning} testId="home-inspections-open" />
        </Col>
        <Col span={8}>
          <CountStatistic title={t('home.state.inspections.overdue')} value={inspections.overdue} testId="home-inspections-overdue" />
        </Col>
        {upcoming && (
          <Col span={8}>
            <CountStatistic title={t('home.state.inspections.upcoming')} value={upcoming.count} color={token.colorPrimary} testId="home-inspections-upcoming" />
          </Col>
        )}
      </Row>
      <PlainList
        items={inspections.items}
        rowKey={(r) => r.recordId}
        empty={t('home.state.inspections.none')}
        render={(r) => (
          <Flex align="center" gap={6} wrap>
            <Link to={`/inspections/records/${encodeURIComponent(r.recordId)}`}>{r.name}</Link>
            {r.overdue && <Tag color="red">{t('home.state.inspections.overdueTag')}</Tag>}
          </Flex>
        )}
        extra={(r) => <Typography.Text type="secondary">{t('home.state.inspections.dueAt', { time: shortTime(r.dueAt) })}</Typography.Text>}
      />
      <MoreLine shown={inspections.items.length} total={inspections.open} />
      {upcoming && upcoming.items.length > 0 && (
        <>
          <Typography.Text type="secondary" style={{ display: 'block', margin: '12px 0 4px' }}>
            {t('home.state.inspections.upcomingTitle')}
          </Typography.Text>
          <PlainList
            items={upcoming.items}
            rowKey={(s) => s.scheduleId}
            empty={null}
            render={(s) => <Link to="/inspections/schedules">{s.name}</Link>}
            extra={(s) => <Typography.Text type="secondary">{shortTime(s.nextRunAt)}</Typography.Text>}
          />
        </>
      )}
    </StateCard>
  );
}
