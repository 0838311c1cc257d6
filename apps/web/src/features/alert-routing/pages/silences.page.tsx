import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { MaintenanceTab } from '../components/maintenance-tab';
import { SilencesTab } from '../components/silences-tab';

/** 静默与维护: silences and maintenance windows, both of which keep alerts from being notified. */
export default function SilencesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'maintenance' ? 'maintenance' : 'silences';

  return (
    <PageContainer title={t('nav.items.alertSilences')} description={t('nav.descriptions.alertSilences')} testId="alert-silences-page">
      <Card variant="borderless">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'silences' ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'silences', label: <span data-testid="tab-silences">{t('alertRouting.tab.silences')}</span>, children: <SilencesTab canWrite={can('alerting.silence.write')} /> },
            { key: 'maintenance', label: <span data-testid="tab-maintenance">{t('alertRouting.tab.maintenance')}</span>, children: <MaintenanceTab canWrite={can('alerting.maintenance.write')} /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
