import { useState } from 'react';
import { Button, Form, Input, Modal, Select } from 'antd';
import { DashboardOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { DASHBOARD_PERMISSIONS, MAX_PANELS, type Dashboard, type Panel } from '@yunwei/contracts/dashboards';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { feedback } from '../../../shared/feedback';
import { applyServerErrors } from '../../../shared/form-errors';
import { useDashboards } from '../api/use-dashboards';
import { panelUnitOf } from '../metric-unit';

interface FormValues {
  dashboardId: string;
  title: string;
}

/** Appends a line panel of `selector` below the panels of a dashboard the user may change (the dashboards API: read, then PATCH the whole set). */
async function appendPanel(dashboardId: string, panel: Omit<Panel, 'id' | 'grid'>): Promise<Dashboard> {
  const dashboard = await api.get<Dashboard>(`/api/dashboards/${dashboardId}`);
  const bottom = dashboard.panels.reduce((y, p) => Math.max(y, p.grid.y + p.grid.h), 0);
  const added: Panel = { ...panel, id: `p${Date.now().toString(36)}`, grid: { x: 0, y: Math.min(bottom, 1000), w: 6, h: 4 } };
  return api.patch<Dashboard>(`/api/dashboards/${dashboardId}`, { panels: [...dashboard.panels, added] });
}

/** "添加到仪表盘" for one series: pick one of your (or a shared, editable) dashboard, name the panel. */
export function AddToDashboard({ selector, metric, title, rowId }: { selector: string; metric: string; title: string; rowId: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<FormValues>();
  const dashboards = useDashboards();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const add = useMutation({
    mutationFn: (v: FormValues) => appendPanel(v.dashboardId, { title: v.title.trim(), type: 'line', query: { selector }, unit: panelUnitOf(metric) }),
    onSuccess: (d) => {
      void qc.invalidateQueries({ queryKey: ['dashboards'] });
      // The message renders outside the router: a plain link that navigates through it.
      void feedback.current?.message.success(
        <span data-testid="added-to-dashboard">
          {t('monitoring.latest.addedTo')}{' '}
          <a
            href={`/monitoring/dashboards/${d.id}`}
            onClick={(e) => {
              e.preventDefault();
              void navigate(`/monitoring/dashboards/${d.id}`);
            }}
          >
            {d.name}
          </a>
        </span>,
      );
      setOpen(false);
    },
    onError: (error) => applyServerErrors(form, error),
  });
  if (!can(DASHBOARD_PERMISSIONS.write)) {
    return null;
  }
  const editable = (dashboards.data?.items ?? []).filter((d) => d.editable);
  return (
    <>
      <Button
        size="small"
        type="link"
        icon={<DashboardOutlined />}
        onClick={() => setOpen(true)}
        data-testid={`add-to-dashboard-${rowId}`}
      >
        {t('monitoring.latest.addToDashboard')}
      </Button>
      <Modal
        open={open}
        title={t('monitoring.latest.addToDashboard')}
        onCancel={() => setOpen(false)}
        onOk={() => void form.validateFields().then((v) => add.mutate(v))}
        okButtonProps={{ loading: add.isPending, disabled: editable.length === 0 }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="add-to-dashboard-form" preserve={false} initialValues={{ title: title.slice(0, 100), dashboardId: editable[0]?.id }}>
          <Form.Item name="dashboardId" label={t('monitoring.latest.dashboard')} rules={[{ required: true }]} extra={editable.length === 0 ? t('monitoring.latest.noDashboard') : t('monitoring.latest.panelLimit', { max: MAX_PANELS })}>
            <Select showSearch optionFilterProp="label" loading={dashboards.isLoading} options={editable.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="title" label={t('monitoring.panel.title')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('monitoring.panel.selector')}>
            <Input value={selector} readOnly style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
