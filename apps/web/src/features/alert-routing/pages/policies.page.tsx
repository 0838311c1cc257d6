import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { EscalationsTab } from '../components/escalations-tab';
import { GroupsTab } from '../components/groups-tab';
import { PoliciesTab } from '../components/policies-tab';

/** 通知与升级策略: how alerts are grouped and routed, who is told when nobody acknowledges, and the groups now. */
export default function PoliciesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'escalations' || params.get('tab') === 'groups' ? params.get('tab')! : 'policies';
  const canWrite = can('alerting.policy.write');

  return (
    <PageContainer title={t('nav.items.alertPolicies')} description={t('nav.descriptions.alertPolicies')} testId="alert-policies-page">
      <Card variant="borderless">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'policies' ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'policies', label: <span data-testid="tab-policies">{t('alertRouting.tab.policies')}</span>, children: <PoliciesTab canWrite={canWrite} /> },
            { key: 'escalations', label: <span data-testid="tab-escalations">{t('alertRouting.tab.escalations')}</span>, children: <EscalationsTab canWrite={canWrite} /> },
            { key: 'groups', label: <span data-testid="tab-groups">{t('alertRouting.tab.groups')}</span>, children: <GroupsTab /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
