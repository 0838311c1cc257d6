import { useState } from 'react';
import { Button, Card, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { MaintenanceWindow } from '@yunwei/contracts/alert-routing';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { MaintenanceFormDrawer } from '../components/maintenance-form.drawer';
import { MaintenanceTab } from '../components/maintenance-tab';
import { SilenceFormDrawer } from '../components/silence-form.drawer';
import { SilencesTab } from '../components/silences-tab';

/** 静默与维护: silences and maintenance windows, both of which keep alerts from being notified. */
export default function SilencesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'maintenance' ? 'maintenance' : 'silences';
  const canSilence = can('alerting.silence.write');
  const canPlan = can('alerting.maintenance.write');
  const [silencing, setSilencing] = useState(false);
  /** The maintenance window in the drawer; null: a new one. */
  const [editing, setEditing] = useState<MaintenanceWindow | null | undefined>(undefined);

  // The tab's "new" button sits on the tab bar, right of the tabs.
  const create =
    tab === 'silences'
      ? canSilence && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setSilencing(true)} data-testid="create-silence">
            {t('alertRouting.silence.create')}
          </Button>
        )
      : canPlan && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-maintenance">
            {t('alertRouting.maintenance.create')}
          </Button>
        );

  return (
    <PageContainer title={t('nav.items.alertSilences')} description={t('nav.descriptions.alertSilences')} testId="alert-silences-page">
      <Card variant="borderless">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'silences' ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          tabBarExtraContent={create}
          items={[
            { key: 'silences', label: <span data-testid="tab-silences">{t('alertRouting.tab.silences')}</span>, children: <SilencesTab canWrite={canSilence} onCreate={() => setSilencing(true)} /> },
            { key: 'maintenance', label: <span data-testid="tab-maintenance">{t('alertRouting.tab.maintenance')}</span>, children: <MaintenanceTab canWrite={canPlan} onEdit={setEditing} /> },
          ]}
        />
      </Card>
      <SilenceFormDrawer open={silencing} onClose={() => setSilencing(false)} />
      <MaintenanceFormDrawer open={editing !== undefined} window={editing ?? null} onClose={() => setEditing(undefined)} />
    </PageContainer>
  );
}
