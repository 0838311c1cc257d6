import { useState } from 'react';
import { Button, Card, Popconfirm, Space, Table, Tag, type TableColumnsType } from 'antd';
import { FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InspectionScope, MonitoringPolicy } from '@yunwei/contracts/inspections';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { useDeletePolicy, usePolicies, useTemplates } from '../api/use-inspections';
import { PolicyFormDrawer } from '../components/policy-form.drawer';
import { RegimeDrawer } from '../components/regime.drawer';
import { useScopeText } from './templates.page';
import { useSeededText } from '../../../shared/use-seeded-text';

/** The monitoring policy (监控制度): what must be monitored, how often, and who is responsible. */
export default function PoliciesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const policies = usePolicies();
  const templates = useTemplates();
  const remove = useDeletePolicy();
  const scopeText = useScopeText();
  const [editing, setEditing] = useState<MonitoringPolicy | null | undefined>(undefined);
  /** The regime shown: of every enabled policy (null) or of one. */
  const [regimeOf, setRegimeOf] = useState<MonitoringPolicy | null | undefined>(undefined);
  const seeded = useSeededText();
  const templateName = (id: string) => seeded(templates.data?.find((x) => x.id === id)?.name ?? id);
  const columns: TableColumnsType<MonitoringPolicy> = [
    { title: t('inspections.field.name'), dataIndex: 'name' },
    { title: t('inspections.field.scope'), dataIndex: 'scope', render: (s: InspectionScope) => scopeText(s) },
    {
      title: t('inspections.policy.requirements'),
      render: (_: unknown, p) => (
        <Space size={4} wrap>
          {p.metrics.map((m) => (
            <Tag key={m.metric}>{`${m.metric} ≤ ${m.maxIntervalSeconds}s`}</Tag>
          ))}
          {p.checks.map((c) => (
            <Tag key={c.checkType} color="blue">{`${c.checkType} ≤ ${c.maxIntervalSeconds}s`}</Tag>
          ))}
          {p.inspections.map((i) => (
            <Tag key={i.templateId} color="purple">{t('inspections.policy.inspectionEvery', { name: templateName(i.templateId), days: i.everyDays })}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('inspections.field.responsibleRole'), dataIndex: 'responsibleRole', width: 130, render: (r: string | null) => (r ? t(`roleKind.${r}` as 'roleKind.operator') : t('common.empty')) },
    { title: t('inspections.field.enabled'), dataIndex: 'enabled', width: 100, render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('common.on') : t('common.off')}</Tag> },
    {
      title: t('common.actions'),
      fixed: 'right',
      width: 230,
      render: (_: unknown, p) => (
        <Space size={0}>
          <Button type="link" onClick={() => setRegimeOf(p)} data-testid={`policy-regime-${p.id}`}>
            {t('inspections.regime.ofPolicy')}
          </Button>
          {can('inspections.policy.write') && (
            <>
              <Button type="link" onClick={() => setEditing(p)}>
                {t('common.edit')}
              </Button>
              <Popconfirm title={t('inspections.policy.deleteConfirm')} onConfirm={() => remove.mutate(p.id)}>
                <Button type="link" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            </>
          )}
        </Space>
      ),
    },
  ];
  return (
    <PageContainer
      title={t('nav.items.monitoringPolicy')}
      description={t('nav.descriptions.monitoringPolicy')}
      testId="monitoring-policy-page"
      extra={
        <>
          <Link to="/inspections/coverage">{t('nav.items.monitoringCoverage')}</Link>
          <Button icon={<FileTextOutlined />} onClick={() => setRegimeOf(null)} data-testid="regime-open">
            {t('inspections.regime.open')}
          </Button>
          {can('inspections.policy.write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              {t('inspections.policy.create')}
            </Button>
          )}
        </>
      }
    >
      <Card variant="borderless">
        {/* Requirements (tags) wrap in the room the other columns leave. */}
        <Table rowKey="id" columns={columns} dataSource={policies.data ?? []} loading={policies.isLoading} pagination={false} scroll={{ x: 960 }} />
      </Card>
      <PolicyFormDrawer open={editing !== undefined} policy={editing ?? null} onClose={() => setEditing(undefined)} />
      <RegimeDrawer open={regimeOf !== undefined} policyId={regimeOf?.id} onClose={() => setRegimeOf(undefined)} />
    </PageContainer>
  );
}
