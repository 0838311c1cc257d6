import { Flex, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalRequestDetail } from '@yunwei/contracts/approvals';
import { formatDateTime } from '../../../shared/components/date-time';
import { useIsPhone } from '../../../shared/use-is-phone';
import { TaskStatusTag } from './approval-tags';

/** The request's steps, each with its tasks: who, in what state, when decided, what they said. */
export function RequestSteps({ request }: { request: ApprovalRequestDetail }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const stepStatus = (index: number) => {
    if (request.status === 'approved' || index < request.currentStep) {
      return 'finish' as const;
    }
    if (index > request.currentStep) {
      return 'wait' as const;
    }
    return request.status === 'pending' ? ('process' as const) : request.status === 'rejected' ? ('error' as const) : ('wait' as const);
  };
  return (
    <Steps
      orientation={phone ? 'vertical' : 'horizontal'}
      current={request.currentStep}
      items={request.steps.map((step, index) => ({
        status: stepStatus(index),
        title: step.name,
        subTitle: <Tag>{t(`approvals.mode.${step.mode}`)}</Tag>,
        description: (
          <Flex vertical gap={6} style={{ marginTop: 4 }} data-testid={`approval-step-${index}`}>
            {request.tasks
              .filter((task) => task.step === index)
              .map((task) => (
                <Flex key={task.id} vertical gap={0} data-testid="approval-task">
                  <Flex gap={6} align="center" wrap>
                    <Typography.Text strong>{task.assignee.name}</Typography.Text>
                    <TaskStatusTag status={task.status} />
                    {task.origin !== 'flow' && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t(`approvals.origin.${task.origin}`, { name: task.addedBy?.name ?? '' })}
                      </Typography.Text>
                    )}
                  </Flex>
                  {task.decidedAt !== null && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(task.decidedAt)}
                    </Typography.Text>
                  )}
                  {task.comment && <Typography.Text style={{ fontSize: 12 }}>“{task.comment}”</Typography.Text>}
                </Flex>
              ))}
          </Flex>
        ),
      }))}
    />
  );
}
