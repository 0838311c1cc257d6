import { useState } from 'react';
import { Button, Card, Form, Input, Select, Space, Tag, Typography, DatePicker } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { RUNBOOK_LIMITS, type IncidentTask, type IncidentTaskStatus } from '@yunwei/contracts/incident-runbooks';
import { DateTime } from '../../../shared/components/date-time';
import { FormModal } from '../../../shared/components/form-modal';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useIncidentOptions } from '../api/use-incidents';
import { useCompleteIncidentTask, useCreateIncidentTask, useIncidentTasks } from './use-runbooks';

const COLOR: Record<IncidentTaskStatus, string> = { open: 'processing', done: 'green', cancelled: 'default' };

interface TaskValues {
  title: string;
  description?: string;
  assigneeId: string;
  dueAt?: Dayjs | null;
}

/** 分派任务: a task on the incident for someone (optionally a runbook step, which their completing finishes). */
export function TaskModal({ incidentId, open, step, testId = 'incident-task-form', onClose }: { incidentId: string; open: boolean; step?: { runId: string; index: number; title: string } | null; testId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const options = useIncidentOptions(open);
  const create = useCreateIncidentTask();
  return (
    <FormModal<TaskValues, IncidentTask>
      open={open}
      name={testId}
      testId={testId}
      title={step ? t('runbooks.task.assignStep', { n: step.index + 1, title: step.title }) : t('runbooks.task.create')}
      submitText={t('runbooks.task.assign')}
      success={t('runbooks.task.assigned')}
      initialValues={{ title: step?.title ?? '' }}
      onSubmit={(v) =>
        create.mutateAsync({
          incidentId,
          body: { title: v.title.trim(), assigneeId: v.assigneeId, ...(v.description?.trim() ? { description: v.description.trim() } : {}), ...(v.dueAt ? { dueAt: v.dueAt.valueOf() } : {}), ...(step ? { runId: step.runId, stepIndex: step.index } : {}) },
        })
      }
      onClose={onClose}
    >
      <Form.Item name="title" label={t('runbooks.task.title')} rules={[{ required: true, whitespace: true, message: t('runbooks.task.titleRequired') }, { max: RUNBOOK_LIMITS.title }]}>
        <Input data-testid="incident-task-title" />
      </Form.Item>
      <Form.Item name="assigneeId" label={t('runbooks.task.assignee')} rules={[{ required: true, message: t('runbooks.task.assigneeRequired') }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} loading={options.isLoading} options={(options.data?.people ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.username})` }))} data-testid="incident-task-assignee" />
      </Form.Item>
      <Form.Item name="dueAt" label={t('runbooks.task.dueAt')}>
        <DatePicker showTime style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="description" label={t('runbooks.task.description')}>
        <Input.TextArea rows={3} />
      </Form.Item>
    </FormModal>
  );
}

/** 任务: who was given what on this incident, and how they finished it. */
export function IncidentTasksCard({ incidentId, canWrite }: { incidentId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const tasks = useIncidentTasks(incidentId);
  const complete = useCompleteIncidentTask();
  const [adding, setAdding] = useState(false);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const items = tasks.data?.items ?? [];
  return (
    <Card
      variant="borderless"
      title={t('runbooks.task.cardTitle', { count: items.length })}
      extra={canWrite && <Button size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="incident-task-add">{t('runbooks.task.create')}</Button>}
      data-testid="incident-tasks-card"
    >
      {items.length === 0 && <Typography.Text type="secondary">{t('runbooks.task.none')}</Typography.Text>}
      <Space direction="vertical" style={{ width: '100%' }}>
        {items.map((task) => (
          <div key={task.id} data-testid={`incident-task-${task.id}`} style={{ borderBottom: '1px solid rgba(0,0,0,0.06)', paddingBottom: 8 }}>
            <Space wrap size={6}>
              <Tag color={COLOR[task.status]}>{t(`runbooks.task.status.${task.status}`)}</Tag>
              <Typography.Text strong>{task.title}</Typography.Text>
              <Typography.Text type="secondary">→ {task.assignee}</Typography.Text>
              {task.dueAt && (
                <Typography.Text type="secondary">
                  {t('runbooks.task.due')} <DateTime value={task.dueAt} />
                </Typography.Text>
              )}
            </Space>
            {task.step && <div><Typography.Text type="secondary">{t('runbooks.task.fromStep', { n: task.step.index + 1, title: task.step.title })}</Typography.Text></div>}
            {task.status !== 'open' && (
              <div>
                <Typography.Text type="secondary">
                  {t('runbooks.task.doneBy', { name: task.doneBy ?? '—' })} <DateTime value={task.doneAt} />
                  {task.resultNote ? `：${task.resultNote}` : ''}
                </Typography.Text>
              </div>
            )}
            {task.canComplete && (
              <Space.Compact style={{ width: '100%', marginTop: 4 }}>
                <Input size="small" placeholder={t('runbooks.task.resultNote')} value={notes[task.id] ?? ''} onChange={(e) => setNotes({ ...notes, [task.id]: e.target.value })} />
                <Button size="small" type="primary" loading={complete.isPending && complete.variables?.taskId === task.id} onClick={() => void runWithFeedback({ run: () => complete.mutateAsync({ taskId: task.id, note: notes[task.id]?.trim() || undefined }), success: t('runbooks.task.completed') })} data-testid={`incident-task-complete-${task.id}`}>
                  {t('runbooks.task.complete')}
                </Button>
              </Space.Compact>
            )}
          </div>
        ))}
      </Space>
      <TaskModal incidentId={incidentId} open={adding} onClose={() => setAdding(false)} />
    </Card>
  );
}
