import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Popconfirm, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { DashboardSummary } from '@yunwei/contracts/dashboards';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { PageContainer } from '../../../shared/components/page-container';
import { useCreateDashboard, useDashboards, useDeleteDashboard } from '../api/use-dashboards';
import { applyServerErrors } from '../../../shared/form-errors';

export default function DashboardListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { data, isLoading } = useDashboards();
  const create = useCreateDashboard();
  const remove = useDeleteDashboard();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ name: string; description?: string; shared?: boolean }>();

  return (
    <PageContainer
      title={t('nav.items.monitoringDashboards')}
      description={t('monitoring.dashboards.description')}
      testId="dashboard-list"
      extra={
        can('dashboards.dashboard.write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="dashboard-new">
            {t('monitoring.dashboards.new')}
          </Button>
        )
      }
    >
      <Card variant="borderless">
        <Table<DashboardSummary>
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
                  <Space>
                    <Link to={`/monitoring/dashboards/${d.id}/edit`}>{t('common.edit')}</Link>
                    <Popconfirm title={t('monitoring.dashboards.confirmDelete', { name: d.name })} onConfirm={() => remove.mutateAsync(d.id)}>
                      <a>{t('common.delete')}</a>
                    </Popconfirm>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        open={creating}
        title={t('monitoring.dashboards.new')}
        onCancel={() => setCreating(false)}
        confirmLoading={create.isPending}
        destroyOnHidden
        onOk={() =>
          void form.validateFields().then(async (v) => {
            try {
              const d = await create.mutateAsync({ name: v.name.trim(), description: v.description ?? '', shared: Boolean(v.shared) });
              setCreating(false);
              await navigate(`/monitoring/dashboards/${d.id}/edit`);
            } catch (error) {
              applyServerErrors(form, error);
            }
          })
        }
      >
        <Form form={form} layout="vertical" data-testid="dashboard-form">
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
        </Form>
      </Modal>
    </PageContainer>
  );
}
