import { useState } from 'react';
import { Alert, Button, Form, Input, Radio, Space } from 'antd';
import { CheckOutlined, RollbackOutlined, SwapOutlined, UndoOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { APPROVAL_LIMITS, type ApprovalRequestDetail } from '@yunwei/contracts/approvals';
import { ApiError } from '../../../app/api-client';
import { confirmAndRun } from '../../../shared/confirm-mutation';
import { FormModal } from '../../../shared/components/form-modal';
import { useTaskAction, useWithdraw, type TaskAction } from '../api/use-approvals';
import { PersonPicker } from './person-picker';

type Verb = TaskAction['verb'];
interface Values {
  comment?: string;
  to?: 'submitter' | 'previous';
  userId?: string;
  position?: 'before' | 'after';
}

/** Someone decided first (或签 race) or the request moved on: the page is read again and the modal closes. */
const STALE = new Set(['YW_APPROVAL_ALREADY_DECIDED', 'YW_APPROVAL_TASK_NOT_PENDING', 'YW_APPROVAL_REQUEST_CLOSED']);

/** The buttons for my pending task (同意 / 退回 / 转办 / 加签) and, for the submitter, 撤回. */
export function TaskActions({ request, myUserId, onStale }: { request: ApprovalRequestDetail; myUserId: string | null; onStale: () => void }) {
  const { t } = useTranslation();
  const [verb, setVerb] = useState<Verb | null>(null);
  const act = useTaskAction();
  const withdraw = useWithdraw();
  const taskId = request.myTaskId;
  const mine = request.submitter.id === myUserId && request.status === 'pending';
  const stepUsers = request.tasks.filter((x) => x.step === request.currentStep && (x.status === 'pending' || x.status === 'waiting')).map((x) => x.assignee.id);
  const comment = (required: boolean) => (
    <Form.Item name="comment" label={t('approvals.action.comment')} rules={[{ required, whitespace: true, message: t('approvals.validation.commentRequired') }, { max: APPROVAL_LIMITS.maxComment }]}>
      <Input.TextArea rows={3} maxLength={APPROVAL_LIMITS.maxComment} showCount data-testid="approval-action-comment" />
    </Form.Item>
  );

  const submit = async (v: Values) => {
    const text = v.comment?.trim() || undefined;
    const action: TaskAction =
      verb === 'reject'
        ? { verb, taskId: taskId!, body: { to: v.to ?? 'submitter', comment: text } }
        : verb === 'transfer'
          ? { verb, taskId: taskId!, body: { userId: v.userId!, comment: text } }
          : verb === 'add-signer'
            ? { verb, taskId: taskId!, body: { userId: v.userId!, position: v.position ?? 'before', comment: text } }
            : { verb: 'approve', taskId: taskId!, body: { comment: text } };
    try {
      return await act.mutateAsync(action);
    } catch (error) {
      if (error instanceof ApiError && STALE.has(error.code)) {
        setVerb(null);
        onStale();
      }
      throw error;
    }
  };

  if (!taskId && !mine) {
    return null;
  }
  const titles: Record<Verb, string> = { approve: t('approvals.action.approve'), reject: t('approvals.action.reject'), transfer: t('approvals.action.transfer'), 'add-signer': t('approvals.action.addSigner') };
  return (
    <>
      <Space wrap>
        {taskId && (
          <>
            <Button type="primary" icon={<CheckOutlined />} onClick={() => setVerb('approve')} data-testid="approval-approve">
              {titles.approve}
            </Button>
            <Button danger icon={<RollbackOutlined />} onClick={() => setVerb('reject')} data-testid="approval-reject">
              {titles.reject}
            </Button>
            <Button icon={<SwapOutlined />} onClick={() => setVerb('transfer')} data-testid="approval-transfer">
              {titles.transfer}
            </Button>
            <Button icon={<UserAddOutlined />} onClick={() => setVerb('add-signer')} data-testid="approval-add-signer">
              {titles['add-signer']}
            </Button>
          </>
        )}
        {mine && (
          <Button
            icon={<UndoOutlined />}
            onClick={() =>
              confirmAndRun({
                title: t('approvals.action.withdrawConfirm', { title: request.title }),
                description: t('approvals.action.withdrawHint'),
                okText: t('approvals.action.withdraw'),
                run: () => withdraw.mutateAsync({ id: request.id }),
                success: t('approvals.action.withdrawn'),
              })
            }
            data-testid="approval-withdraw"
          >
            {t('approvals.action.withdraw')}
          </Button>
        )}
      </Space>
      <FormModal<Values, ApprovalRequestDetail>
        open={verb !== null}
        name="approval-action"
        testId="approval-action"
        title={verb ? titles[verb] : ''}
        submitText={verb ? titles[verb] : undefined}
        initialValues={{ to: 'submitter', position: 'before' }}
        success={verb ? t(`approvals.action.done.${verb}`) : null}
        confirmDiscard={false}
        onSubmit={submit}
        onClose={() => setVerb(null)}
      >
        {verb === 'approve' && request.currentStep + 1 === request.stepCount && <Alert type="info" showIcon title={t('approvals.action.lastStepHint')} style={{ marginBottom: 16 }} />}
        {verb === 'reject' && (
          <>
            <Form.Item name="to" label={t('approvals.action.rejectTo')}>
              <Radio.Group
                options={[
                  { value: 'submitter', label: t('approvals.action.toSubmitter') },
                  { value: 'previous', label: t('approvals.action.toPrevious'), disabled: request.currentStep === 0 },
                ]}
              />
            </Form.Item>
            <Alert type="warning" showIcon title={t('approvals.action.rejectHint')} style={{ marginBottom: 16 }} />
          </>
        )}
        {(verb === 'transfer' || verb === 'add-signer') && (
          <Form.Item name="userId" label={t('approvals.action.person')} rules={[{ required: true, message: t('approvals.validation.personRequired') }]}>
            <PersonPicker exclude={[...stepUsers, ...(myUserId ? [myUserId] : [])]} testId="approval-action-person" />
          </Form.Item>
        )}
        {verb === 'add-signer' && (
          <Form.Item name="position" label={t('approvals.action.position')} extra={t('approvals.action.positionHint')}>
            <Radio.Group
              options={[
                { value: 'before', label: t('approvals.action.before') },
                { value: 'after', label: t('approvals.action.after') },
              ]}
            />
          </Form.Item>
        )}
        {verb && comment(verb === 'reject')}
      </FormModal>
    </>
  );
}
