import { useState } from 'react';
import { Button, Space, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InspectionSchedule } from '@yunwei/contracts/inspections';
import { useAuth } from '../../../app/auth-context';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton, runWithFeedback } from '../../../shared/confirm-mutation';
import { DateTime } from '../../../shared/components/date-time';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useDeleteSchedule, useRunSchedule, useSchedules } from '../api/use-inspections';
import { ScheduleFormModal } from '../components/schedule-form.modal';

/** Inspection schedules: daily, weekly or cron, with the role responsible. */
export default function SchedulesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('inspections.schedule.write');
  const navigate = useNavigate();
  const schedules = useSchedules();
  const remove = useDeleteSchedule();
  const runNow = useRunSchedule();
  const seeded = useSeededText();
  const [editing, setEditing] = useState<InspectionSchedule | null | undefined>(undefined);
  const when = (s: InspectionSchedule) =>
    s.kind === 'daily' ? t('inspections.schedule.daily', { time: s.time }) : s.kind === 'weekly' ? t('inspections.schedule.weekly', { day: t(`inspections.weekday.${s.weekday ?? 0}` as 'inspections.weekday.0'), time: s.time }) : `cron: ${s.cron}`;

  const columns: TableColumnsType<InspectionSchedule> = [
    { title: t('inspections.field.name'), dataIndex: 'name', width: 120 },
    { title: t('inspections.field.template'), dataIndex: 'templateName', render: (name: string) => seeded(name) },
    { title: t('inspections.field.frequency'), width: 120, render: (_: unknown, s) => when(s) },
    { title: t('inspections.field.responsibleRole'), dataIndex: 'responsibleRole', width: 130, render: (r: string | null) => (r ? t(`roleKind.${r}` as 'roleKind.operator') : t('common.empty')) },
    { title: t('inspections.field.enabled'), dataIndex: 'enabled', width: 100, render: (on: boolean) => <Tag color={on ? 'green' : 'default'}>{on ? t('common.on') : t('common.off')}</Tag> },
    { title: t('inspections.field.nextRunAt'), dataIndex: 'nextRunAt', width: 165, render: (v: number | null) => <DateTime value={v} /> },
    {
      title: t('inspections.field.lastRunAt'),
      dataIndex: 'lastRunAt',
      width: 165,
      render: (v: number | null, s) => (s.lastRecordId ? <Link to={`/inspections/records/${s.lastRecordId}`}>{v ? <DateTime value={v} /> : t('common.view')}</Link> : <DateTime value={v} />),
    },
    {
      title: t('common.actions'),
      fixed: 'right',
      width: 190,
      render: (_: unknown, s) => (
        <Space size={0}>
          {can('inspections.record.run') && (
            <Button
              type="link"
              size="small"
              loading={runNow.isPending && runNow.variables === s.id}
              onClick={() => void runWithFeedback({ run: () => runNow.mutateAsync(s.id), success: null, onDone: (r) => void navigate(`/inspections/records/${r.id}`) })}
            >
              {t('inspections.schedule.runNow')}
            </Button>
          )}
          {canWrite && (
            <>
              <Button type="link" size="small" onClick={() => setEditing(s)}>
                {t('common.edit')}
              </Button>
              <ConfirmButton label={t('common.delete')} title={t('inspections.schedule.deleteConfirm', { name: s.name })} okText={t('common.delete')} run={() => remove.mutateAsync(s.id)} success={t('common.deleted')} />
            </>
          )}
        </Space>
      ),
    },
  ];
  return (
    <ListPage<InspectionSchedule>
      title={t('nav.items.inspectionSchedules')}
      description={t('nav.descriptions.inspectionSchedules')}
      pageTestId="inspection-schedules-page"
      primaryAction={canWrite ? { label: t('inspections.schedule.create'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'inspection-schedule-create' } : undefined}
      emptyDescription={
        <Space orientation="vertical" size={4}>
          <span>{t('inspections.schedule.empty')}</span>
          {can('inspections.policy.read') && <Link to="/inspections/policies">{t('inspections.schedule.toPolicies')}</Link>}
        </Space>
      }
      rowKey="id"
      columns={columns}
      dataSource={schedules.data ?? []}
      loading={schedules.isLoading}
      pagination={false}
      scroll={{ x: 1160 }}
    >
      <ScheduleFormModal open={editing !== undefined} schedule={editing ?? null} onClose={() => setEditing(undefined)} />
    </ListPage>
  );
}
