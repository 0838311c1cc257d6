import { useState } from 'react';
import { Button, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MaintenanceSchedule, MaintenanceWindow } from '@yunwei/contracts/alert-routing';
import { DateTime } from '../../../shared/components/date-time';
import { feedback } from '../../../shared/feedback';
import { useDeleteMaintenance, useMaintenanceWindows } from '../api/use-alert-routing';
import { MaintenanceFormDrawer, type Weekday } from './maintenance-form.drawer';

/** Maintenance windows: in effect now or next, their schedule and scope. */
export function MaintenanceTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const windows = useMaintenanceWindows();
  const remove = useDeleteMaintenance();
  const [editing, setEditing] = useState<MaintenanceWindow | null | undefined>(undefined);

  const scheduleText = (s: MaintenanceSchedule) => {
    if (s.kind === 'once') {
      return t('alertRouting.maintenance.kinds.once');
    }
    const every = s.kind === 'cron' ? s.cron : `${s.days.map((d) => t(`alertRouting.weekday.${String(d) as Weekday}`)).join('、')} ${s.time}`;
    return t('alertRouting.maintenance.recurring', { every, minutes: s.durationMinutes });
  };

  const columns: TableColumnsType<MaintenanceWindow> = [
    {
      title: t('alertRouting.field.state'),
      key: 'state',
      width: 100,
      render: (_, w) => (!w.enabled ? <Tag>{t('alertRouting.maintenance.disabled')}</Tag> : w.active ? <Tag color="orange">{t('alertRouting.maintenance.active')}</Tag> : <Tag color="blue">{t('alertRouting.maintenance.scheduled')}</Tag>),
    },
    { title: t('alertRouting.field.name'), dataIndex: 'name', width: 200 },
    { title: t('alertRouting.maintenance.schedule'), dataIndex: 'schedule', render: (s: MaintenanceSchedule) => <Typography.Text>{scheduleText(s)}</Typography.Text> },
    {
      title: t('alertRouting.maintenance.next'),
      key: 'next',
      width: 200,
      render: (_, w) => (
        <Space orientation="vertical" size={0}>
          <DateTime value={w.nextStartsAt} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <DateTime value={w.nextEndsAt} />
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('alertRouting.maintenance.scope'),
      dataIndex: 'scope',
      width: 220,
      render: (s: MaintenanceWindow['scope']) => t('alertRouting.maintenance.scopeCounts', { cis: s.ciIds.length, classes: s.classCodes.length, systems: s.businessSystemIds.length }),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 130,
      render: (_, w) =>
        canWrite ? (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setEditing(w)}>
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('alertRouting.maintenance.deleteConfirm', { name: w.name })}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() =>
                remove
                  .mutateAsync(w.id)
                  .then(() => void feedback.current?.message.success(t('common.deleted')))
                  .catch(() => undefined)
              }
            >
              <Button type="link" size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      {canWrite && (
        <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'flex-end' }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-maintenance">
            {t('alertRouting.maintenance.create')}
          </Button>
        </Space>
      )}
      <Table<MaintenanceWindow> rowKey="id" columns={columns} dataSource={windows.data} loading={windows.isLoading} pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: t('alertRouting.maintenance.empty') }} data-testid="maintenance-table" />
      <MaintenanceFormDrawer open={editing !== undefined} window={editing ?? null} onClose={() => setEditing(undefined)} />
    </>
  );
}
