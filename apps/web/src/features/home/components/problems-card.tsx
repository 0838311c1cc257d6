import { Col, Flex, Row, Tag, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { HomeProblems } from '@yunwei/contracts/home';
import { PlainList } from '../../cmdb/components/plain-list';
import { SeverityTag } from '../../alerting/components/severity-tag';
import { CountStatistic, MoreLine, StateCard } from './state-card';
import { shortTime } from './short-time';
import { localName } from '../../../shared/local-name';

/** Firing alerts by severity, then the newest of them by name and CI, each opening the alert. */
export function ProblemsCard({ problems }: { problems: HomeProblems }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const firing = problems.firing.critical + problems.firing.warning;
  return (
    <StateCard title={t('home.state.problems.title')} link="/alerts" testId="home-problems">
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={8}>
          <CountStatistic title={t('alerts.severity.critical')} value={problems.firing.critical} color={token.colorError} testId="home-severity-critical" />
        </Col>
        <Col span={8}>
          <CountStatistic title={t('alerts.severity.warning')} value={problems.firing.warning} color={token.colorWarning} testId="home-severity-warning" />
        </Col>
        <Col span={8}>
          <CountStatistic title={t('home.state.problems.acknowledged')} value={problems.acknowledged} color={token.colorPrimary} testId="home-acknowledged" />
        </Col>
      </Row>
      <PlainList
        items={problems.items}
        rowKey={(p) => p.alertId}
        empty={t('home.state.problems.none')}
        render={(p) => (
          <Flex vertical gap={2}>
            <Flex align="center" gap={6} wrap>
              <SeverityTag severity={p.severity} />
              <Link to={`/alerts?alert=${encodeURIComponent(p.alertId)}`} data-testid={`home-problem-${p.alertId}`}>
                {p.summary[lang]}
              </Link>
              {p.suppressed && <Tag color="purple">{t('alerts.suppressed')}</Tag>}
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[p.object || p.ciName, localName(i18n.language, p.ruleName, p.ruleNameEn)].filter(Boolean).join(' · ')}
            </Typography.Text>
          </Flex>
        )}
        extra={(p) => <Typography.Text type="secondary">{shortTime(p.firingAt)}</Typography.Text>}
      />
      <MoreLine shown={problems.items.length} total={firing} />
    </StateCard>
  );
}
