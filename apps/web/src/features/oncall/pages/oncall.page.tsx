import { Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ONCALL_PERMISSIONS as P } from '@yunwei/contracts/oncall';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { BusinessCalendarTab } from '../components/business-calendar-tab';
import { SchedulesTab } from '../components/schedules-tab';

const TABS = ['schedules', 'calendar'] as const;

/** 值班排班: on-call schedules (rotations, overrides, timeline) and the business calendar. */
export default function OncallPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'schedules';
  return (
    <PageContainer title={t('nav.items.oncall')} description={t('nav.descriptions.oncall')} testId="oncall-page">
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'schedules' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'schedules', label: t('oncall.tabs.schedules'), children: <SchedulesTab canWrite={can(P.scheduleWrite)} /> },
          { key: 'calendar', label: t('oncall.tabs.calendar'), children: <BusinessCalendarTab canWrite={can(P.calendarWrite)} /> },
        ]}
      />
    </PageContainer>
  );
}
