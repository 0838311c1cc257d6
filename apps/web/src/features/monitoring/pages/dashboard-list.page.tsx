import { useState } from 'react';
import { Form, Input, Space, Switch, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Dashboard, DashboardSummary } from '@yunwei/contracts/dashboards';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { FormModal } from '../../../shared/components/form-modal';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useCreateDashboard, useDashboards, useDeleteDashboard } from '../api/use-dashboards';

interface FormValues {
  name: string;
  description?: string;
  shared?: boolean;
}

export default function DashboardListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { data, isLoading } = useDashboards();
  const create = useCreateDashboard();
  const remove = useDeleteDashboard();
  const [creating, setCreating] = useState(false);

  return (
    <ListPage<DashboardSummary>
      title={t('nav.items.monitoringDashboards')}
      description={t('monitoring.dashboards.description')}
      pageTestId="dashboard-list"
      primaryAction={
        can('dashboards.dashboard.write')
          ? { label: t('monitoring.dashboards.new'), emptyLabel: t('monitoring.dashboards.createFirst'), icon: <PlusOutlined />, onClick: () => setCreating(true), testId: 'dashboard-new' }
          : undefined
      }
      emptyDescription={t('monitoring.dashboards.empty')}
      rowKey="id"
      loading={isLoading}
      dataSource={data?.items ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      columns={[
        { title: t('monitoring.dashboards.name'), dataIndex: 'name', render: (v: string, d) => <Link to={`/monitoring/dashboards/${d.id}`}>{v}</Link> },
        { title: t('monitoring.dashboards.descriptionCol'), dataIndex: 'description', ellipsis: true },
        { title: t('monitoring.dashboards.visibility'), dataIndex: 'shared', width: 110, render: (v: boolean) => (v ? <Tag color="blue">{t('monitoring.dashboards.shared')}</Tag> : <Tag>{t('monitoring.dashboards.private')}</Tag>) },
        { title: t('monitoring.dashboards.owner'), dataIndex: 'ownerName', width: 140 },
        { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 180, render: (v: number) => <DateTime value={v} /> },
        {
          title: t('common.actions'),
          fixed: 'right',
          width: 140,
          render: (_, d) =>
            d.editable && (
              <Space size={0}>
                <Link to={`/monitoring/dashboards/${d.id}/edit`} style={{ padding: '0 7px' }}>
                  {t('common.edit')}
                </Link>
                <ConfirmButton label={t('common.delete')} title={t('monitoring.dashboards.confirmDelete', { name: d.name })} okText={t('common.delete')} run={() => remove.mutateAsync(d.id)} success={t('common.deleted')} />
              </Space>
            ),
        },
      ]}
    >
      <FormModal<FormValues, Dashboard>
        open={creating}
        name="dashboard-form"
        testId="dashboard-form"
        title={t('monitoring.dashboards.new')}
        onSubmit={(v) => create.mutateAsync({ name: v.name.trim(), description: v.description ?? '', shared: Boolean(v.shared) })}
        onSaved={(d) => void navigate(`/monitoring/dashboards/${d.id}/edit`)}
        onClose={() => setCreating(false)}
      >
        <Form.Item name="name" label={t('monitoring.dashboards.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="description" label={t('monitoring.dashboards.descriptionCol')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {can('dashboards.dashboard.share') && (
          <Form.Item name="shared" label={t('monitoring.dashboards.shared')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </FormModal>
    </ListPage>
  );
}
