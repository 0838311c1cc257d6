import { useState } from 'react';
import { Button, Card, Flex, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Schedule, ScheduleListItem } from '@yunwei/contracts/oncall';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useDeleteSchedule, useSchedules } from '../api/use-oncall';
import { OnCallTag } from './on-call-tag';
import { OverrideFormModal } from './override-form.modal';
import { ScheduleDetailCard } from './schedule-detail.card';
import { ScheduleFormDrawer } from './schedule-form.drawer';

/** Schedules with who is on call now; the selected one's timeline and overrides below. */
export function SchedulesTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const schedules = useSchedules();
  const remove = useDeleteSchedule();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Schedule | null | undefined>(undefined);
  const [overriding, setOverriding] = useState<Schedule | null>(null);
  const items = schedules.data?.items ?? [];
  const selected = items.find((s) => s.id === selectedId) ?? items[0];

  const columns: TableColumnsType<ScheduleListItem> = [
    {
      title: t('oncall.field.name'),
      dataIndex: 'name',
      render: (name: string, s) => (
        <Space orientation="vertical" size={0}>
          <Typography.Link strong onClick={() => setSelectedId(s.id)} data-testid={`schedule-name-${s.id}`}>
            {name}
          </Typography.Link>
          {s.description && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {s.description}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    { title: t('oncall.field.nowOnCall'), key: 'now', width: 200, render: (_, s) => <OnCallTag now={s.now} /> },
    {
      title: t('oncall.field.rotations'),
      key: 'rotations',
      render: (_, s) => (
        <Flex wrap gap={4}>
          {s.rotations.map((r) => (
            <Tag key={r.id}>{`${r.name} · ${t(`oncall.applies.${r.applies}`)}${r.windowStart ? ` ${r.windowStart}–${r.windowEnd}` : ''}`}</Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('oncall.field.timeZone'), dataIndex: 'timeZone', width: 150 },
    ...(canWrite
      ? [
          {
            title: t('common.actions'),
            fixed: 'right' as const,
            key: 'actions',
            width: 220,
            render: (_: unknown, s: ScheduleListItem) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setOverriding(s)} data-testid={`add-override-${s.id}`}>
                  {t('oncall.override.add')}
                </Button>
                <Button type="link" size="small" onClick={() => setEditing(s)}>
                  {t('common.edit')}
                </Button>
                <ConfirmButton
                  label={t('common.delete')}
                  title={t('oncall.deleteConfirm', { name: s.name })}
                  okText={t('common.delete')}
                  run={() => remove.mutateAsync(s.id)}
                  success={t('common.deleted')}
                />
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={16}>
      <Card
        variant="borderless"
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-schedule">
              {t('oncall.create')}
            </Button>
          )
        }
        title={t('oncall.tabs.schedules')}
      >
        <ListTable<ScheduleListItem>
          rowKey="id"
          columns={columns}
          dataSource={items}
          loading={schedules.isLoading}
          pagination={false}
          rowClassName={(s) => (s.id === selected?.id ? 'ant-table-row-selected' : '')}
          empty={{
            description: t('oncall.empty'),
            action: canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-schedule-empty">
                {t('oncall.create')}
              </Button>
            ),
          }}
          scroll={{ x: 900 }}
          data-testid="schedules-table"
        />
      </Card>
      {selected && <ScheduleDetailCard key={selected.id} schedule={selected} canWrite={canWrite} onAddOverride={() => setOverriding(selected)} />}
      <ScheduleFormDrawer open={editing !== undefined} schedule={editing ?? null} onClose={() => setEditing(undefined)} onSaved={(s) => setSelectedId(s.id)} />
      <OverrideFormModal schedule={overriding} onClose={() => setOverriding(null)} />
    </Flex>
  );
}
