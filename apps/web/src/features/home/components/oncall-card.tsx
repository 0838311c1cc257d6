import { Badge, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HomeOncall } from '@yunwei/contracts/home';
import { StateCard } from './state-card';
import { shortTime } from './short-time';

/** Whether the signed-in person is on call now (and until when), and their next shift. */
export function OncallCard({ oncall }: { oncall: HomeOncall }) {
  const { t } = useTranslation();
  return (
    <StateCard title={t('home.state.oncall.title')} link="/alerts/oncall" testId="home-oncall">
      <Flex vertical gap={8}>
        {oncall.now.map((s) => (
          <Badge key={s.scheduleId} status="processing" text={t('home.state.oncall.now', { schedule: s.scheduleName, end: shortTime(s.end) })} data-testid="home-oncall-now" />
        ))}
        {oncall.now.length === 0 && <Badge status="default" text={t('home.state.oncall.notNow')} />}
        {oncall.next ? (
          <Typography.Text data-testid="home-oncall-next">{t('home.state.oncall.next', { schedule: oncall.next.scheduleName, start: shortTime(oncall.next.start), end: shortTime(oncall.next.end) })}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('home.state.oncall.noNext')}</Typography.Text>
        )}
      </Flex>
    </StateCard>
  );
}
