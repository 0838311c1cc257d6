import { useState } from 'react';
import { Button, Card, Skeleton, Space, Typography } from 'antd';
import { LeftOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Override, ScheduleListItem } from '@yunwei/contracts/oncall';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useDeleteOverride, useOverrides, useTimeline } from '../api/use-oncall';
import { ScheduleTimeline } from './schedule-timeline';
import { formatInZone, shiftDate, todayIn } from './zoned-format';

const DAYS = 14;

/** The two-week timeline of one schedule (in its time zone) and the overrides in that period. */
export function ScheduleDetailCard({ schedule, canWrite, onAddOverride }: { schedule: ScheduleListItem; canWrite: boolean; onAddOverride: () => void }) {
  const { t } = useTranslation();
  const [date, setDate] = useState(() => todayIn(schedule.timeZone));
  const timeline = useTimeline(schedule.id, date, DAYS);
  const from = timeline.data?.from ?? 0;
  const to = timeline.data?.to ?? 0;
  const overrides = useOverrides(timeline.data ? schedule.id : null, from, to);
  const remove = useDeleteOverride();
  const seeded = useSeededText();
  const people = new Map((timeline.data?.users ?? []).map((u) => [u.id, u.displayName]));
  const nameOf = (id: string) => seeded(people.get(id) ?? schedule.now.users.find((u) => u.id === id)?.displayName ?? id);

  return (
    <Card
      variant="borderless"
      title={t('oncall.timeline.title', { name: schedule.name, timeZone: schedule.timeZone })}
      extra={
        <Space>
          <Button icon={<LeftOutlined />} onClick={() => setDate((d) => shiftDate(d, -7))} aria-label={t('oncall.timeline.previous')} />
          <Button onClick={() => setDate(todayIn(schedule.timeZone))}>{t('oncall.timeline.today')}</Button>
          <Button icon={<RightOutlined />} onClick={() => setDate((d) => shiftDate(d, 7))} aria-label={t('oncall.timeline.next')} />
        </Space>
      }
      data-testid="schedule-detail"
    >
      {timeline.data ? <ScheduleTimeline timeline={timeline.data} members={schedule.rotations.flatMap((r) => r.members)} /> : <Skeleton active />}
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('oncall.override.list')}
      </Typography.Title>
      <ListTable<Override>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={overrides.data}
        loading={overrides.isLoading}
        empty={{
          description: t('oncall.override.empty'),
          action: canWrite && (
            <Button icon={<PlusOutlined />} onClick={onAddOverride} data-testid="add-override-empty">
              {t('oncall.override.add')}
            </Button>
          ),
        }}
        columns={[
          { title: t('oncall.field.user'), dataIndex: 'userId', render: (id: string) => nameOf(id) },
          { title: t('oncall.field.period'), key: 'period', render: (_, o) => `${formatInZone(o.start, schedule.timeZone)} – ${formatInZone(o.end, schedule.timeZone)}` },
          { title: t('oncall.field.reason'), dataIndex: 'reason', render: (r: string) => r || t('common.empty') },
          { title: t('oncall.field.createdBy'), dataIndex: 'createdBy', render: (r: string | null) => r ?? t('common.empty') },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  fixed: 'right' as const,
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, o: Override) => (
                    <ConfirmButton
                      label={t('common.delete')}
                      title={t('oncall.override.deleteConfirm')}
                      okText={t('common.delete')}
                      run={() => remove.mutateAsync({ id: schedule.id, overrideId: o.id })}
                      success={t('common.deleted')}
                    />
                  ),
                },
              ]
            : []),
        ]}
        data-testid="overrides-table"
      />
    </Card>
  );
}
