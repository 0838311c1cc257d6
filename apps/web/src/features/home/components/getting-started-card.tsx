import type { ReactNode } from 'react';
import { Card, Space, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { HomeGettingStarted } from '@yunwei/contracts/home';
import { useAuth } from '../../../app/auth-context';

/** True when a step is still to do (a step the person may not see is not theirs to do). */
export function gettingStartedOpen(facts: HomeGettingStarted): boolean {
  return Object.values(facts).some((done) => done === false);
}

/**
 * The first steps of an empty install, ticked from what the server says is there: a host or a check →
 * a channel → a test message → an alert. Each links to the page that does it (when the person may open it).
 */
export function GettingStartedCard({ facts }: { facts: HomeGettingStarted }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const link = (to: string, permission: string, label: string): ReactNode =>
    can(permission) ? (
      <Link key={to} to={to}>
        {label}
      </Link>
    ) : null;
  const steps: { key: keyof HomeGettingStarted; title: string; hint: string; links: ReactNode[] }[] = [
    {
      key: 'hasHostOrCheck',
      title: t('home.state.gettingStarted.hostOrCheck'),
      hint: t('home.state.gettingStarted.hostOrCheckHint'),
      links: [link('/monitoring/agents', 'agents.agent.read', t('home.state.gettingStarted.goAgents')), link('/monitoring/checks', 'checks.check.read', t('home.state.gettingStarted.goChecks'))],
    },
    { key: 'hasChannel', title: t('home.state.gettingStarted.channel'), hint: t('home.state.gettingStarted.channelHint'), links: [link('/alerts/channels', 'notify.channel.read', t('home.state.gettingStarted.goChannels'))] },
    { key: 'hasSentTest', title: t('home.state.gettingStarted.test'), hint: t('home.state.gettingStarted.testHint'), links: [link('/alerts/channels', 'notify.channel.read', t('home.state.gettingStarted.goChannels'))] },
    {
      key: 'hasSeenAlert',
      title: t('home.state.gettingStarted.alert'),
      hint: t('home.state.gettingStarted.alertHint'),
      links: [link('/alerts/rules', 'alerting.rule.read', t('home.state.gettingStarted.goRules')), link('/alerts', 'alerting.alert.read', t('home.state.gettingStarted.goAlerts'))],
    },
  ];
  return (
    <Card variant="borderless" title={t('home.state.gettingStarted.title')} data-testid="home-getting-started">
      <Typography.Paragraph type="secondary">{t('home.state.gettingStarted.intro')}</Typography.Paragraph>
      <Steps
        orientation="vertical"
        size="small"
        // The first step still to do is the current one.
        current={Math.max(0, steps.findIndex((s) => facts[s.key] === false))}
        items={steps.map((s) => ({
          title: (
            <span data-testid={`home-getting-started-${s.key}`} data-done={String(facts[s.key] === true)}>
              {s.title}
            </span>
          ),
          // Done is ticked; a step the person may not see waits (never ticked by its place before the current one).
          ...(facts[s.key] === true ? { status: 'finish' as const } : facts[s.key] === null ? { status: 'wait' as const } : {}),
          description: (
            <Space orientation="vertical" size={0}>
              <Typography.Text type="secondary">{facts[s.key] === null ? t('home.state.gettingStarted.notYours') : s.hint}</Typography.Text>
              {facts[s.key] !== true && <Space size="middle">{s.links}</Space>}
            </Space>
          ),
        }))}
      />
    </Card>
  );
}
