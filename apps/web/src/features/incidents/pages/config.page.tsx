import { Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PageContainer } from '../../../shared/components/page-container';
import { useIncidentConfig, useIncidentNatures, useIncidentTypes } from '../api/use-incidents';
import { NaturesTab } from '../config/natures-tab';
import { MatrixForm, SlaForm } from '../config/settings-forms';
import { TypesTab } from '../config/types-tab';
import { ProcedureActions } from '../documents/procedure-actions';

const TABS = ['types', 'natures', 'matrix', 'sla'] as const;

/** 故障配置: fault types, natures, the priority matrix, SLA targets and working hours, pause reasons. */
export default function IncidentConfigPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const types = useIncidentTypes();
  const natures = useIncidentNatures();
  const config = useIncidentConfig();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'types';
  return (
    <PageContainer title={t('nav.items.incidentConfig')} description={t('nav.descriptions.incidentConfig')} testId="incident-config-page" extra={<ProcedureActions />}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={[
          { key: 'types', label: t('incidents.config.tabs.types'), children: <TypesTab types={types.data ?? []} loading={types.isLoading} /> },
          { key: 'natures', label: t('incidents.config.tabs.natures'), children: <NaturesTab natures={natures.data ?? []} loading={natures.isLoading} /> },
          { key: 'matrix', label: t('incidents.config.tabs.matrix'), children: <MatrixForm config={config.data} /> },
          { key: 'sla', label: t('incidents.config.tabs.sla'), children: <SlaForm config={config.data} /> },
        ]}
      />
    </PageContainer>
  );
}
