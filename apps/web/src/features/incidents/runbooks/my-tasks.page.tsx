import { Button, Card, Tag } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { IncidentTask, IncidentTaskStatus } from '@yunwei/contracts/incident-runbooks';
import { DateTime } from '../../../shared/components/date-time';
import { PageContainer } from '../../../shared/components/page-container';
import { ResponsiveTable } from '../../../shared/components/responsive-table';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useCompleteIncidentTask, useMyIncidentTasks } from './use-runbooks';

const COLOR: Record<IncidentTaskStatus, string> = { open: 'processing', done: 'green', cancelled: 'default' };

/** 我的任务: the incident tasks handed to me (open first), each linked to its incident. */
export default function MyTasksPage() {
  const { t } = useTranslation();
  const tasks = useMyIncidentTasks();
  const complete = useCompleteIncidentTask();
  return (
    <PageContainer testId="my-tasks-page" title={t('runbooks.myTasks.title')} description={t('runbooks.myTasks.intro')}>
      <Card variant="borderless">
        <ResponsiveTable<IncidentTask>
          rowKey="id"
          loading={tasks.isLoading}
          dataSource={tasks.data?.items ?? []}
          pagination={false}
          cards={{ title: 'title', badges: ['status'], fields: ['incident', 'dueAt', 'createdBy'] }}
          columns={[
            { key: 'status', title: t('runbooks.myTasks.status'), width: 100, render: (_, x) => <Tag color={COLOR[x.status]}>{t(`runbooks.task.status.${x.status}`)}</Tag> },
            { key: 'title', title: t('runbooks.task.title'), render: (_, x) => x.title },
            { key: 'incident', title: t('runbooks.myTasks.incident'), render: (_, x) => <Link to={`/incidents/${x.incidentId}`}>{`${x.incidentNumber} ${x.incidentTitle}`}</Link> },
            { key: 'createdBy', title: t('runbooks.myTasks.from'), width: 120, render: (_, x) => x.createdBy ?? t('common.empty') },
            { key: 'dueAt', title: t('runbooks.task.dueAt'), width: 170, render: (_, x) => <DateTime value={x.dueAt} /> },
            {
              key: 'action',
              title: '',
              width: 110,
              render: (_, x) =>
                x.canComplete ? (
                  <Button size="small" type="primary" loading={complete.isPending && complete.variables?.taskId === x.id} onClick={() => void runWithFeedback({ run: () => complete.mutateAsync({ taskId: x.id }), success: t('runbooks.task.completed') })} data-testid={`my-task-complete-${x.id}`}>
                    {t('runbooks.task.complete')}
                  </Button>
                ) : null,
            },
          ]}
          data-testid="my-tasks-table"
        />
      </Card>
    </PageContainer>
  );
}
