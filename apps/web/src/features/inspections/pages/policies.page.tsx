import { useState } from 'react';
import { Button, Space, Tag, type TableColumnsType } from 'antd';
import { FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InspectionScope, MonitoringPolicy } from '@yunwei/contracts/inspections';
import { useAuth } from '../../../app/auth-context';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useDeletePolicy, usePolicies, useTemplates } from '../api/use-inspections';
import { PolicyFormDrawer } from '../components/policy-form.drawer';
import { RegimeDrawer } from '../components/regime.drawer';
import { useScopeText } from './templates.page';
import { useSeededText } from '../../../shared/use-seeded-text';

/** The monitoring policy (监控制度): what must be monitored, how often, and who is responsible. */
export default function PoliciesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('inspections.policy.write');
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
          <Button type="link" size="small" onClick={() => setRegimeOf(p)} data-testid={`policy-regime-${p.id}`}>
            {t('inspections.regime.ofPolicy')}
          </Button>
          {canWrite && (
            <>
              <Button type="link" size="small" onClick={() => setEditing(p)}>
                {t('common.edit')}
              </Button>
              <ConfirmButton
                label={t('common.delete')}
                title={t('inspections.policy.deleteConfirm', { name: p.name })}
                okText={t('common.delete')}
                run={() => remove.mutateAsync(p.id)}
                success={t('common.deleted')}
              />
            </>
          )}
        </Space>
      ),
    },
  ];
  return (
    <ListPage<MonitoringPolicy>
      title={t('nav.items.monitoringPolicy')}
      description={t('nav.descriptions.monitoringPolicy')}
      pageTestId="monitoring-policy-page"
      extra={
        <>
          <Link to="/inspections/coverage">{t('nav.items.monitoringCoverage')}</Link>
          <Button icon={<FileTextOutlined />} onClick={() => setRegimeOf(null)} data-testid="regime-open">
            {t('inspections.regime.open')}
          </Button>
        </>
      }
      primaryAction={canWrite ? { label: t('inspections.policy.create'), emptyLabel: t('inspections.policy.createFirst'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'policy-create' } : undefined}
      emptyDescription={t('inspections.policy.empty')}
      rowKey="id"
      columns={columns}
      dataSource={policies.data ?? []}
      loading={policies.isLoading}
      pagination={false}
      // Requirements (tags) wrap in the room the other columns leave.
      scroll={{ x: 960 }}
    >
      <PolicyFormDrawer open={editing !== undefined} policy={editing ?? null} onClose={() => setEditing(undefined)} />
      <RegimeDrawer open={regimeOf !== undefined} policyId={regimeOf?.id} onClose={() => setRegimeOf(undefined)} />
    </ListPage>
  );
}
