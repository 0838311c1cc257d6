import { useState } from 'react';
import { Button, Card, Descriptions, Flex, Input, Result, Skeleton } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { APPROVAL_LIMITS } from '@yunwei/contracts/approvals';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { PageContainer } from '../../../shared/components/page-container';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useLocalName } from '../../../shared/local-name';
import { useNow } from '../../../shared/use-now';
import { useApprovalRequest, useComment } from '../api/use-approvals';
import { DueTime, RequestStatusTag } from '../components/approval-tags';
import { RequestHistory } from '../components/request-history';
import { RequestSteps } from '../components/request-steps';
import { TaskActions } from '../components/task-actions';

/** One request: its steps and tasks, the actions on my task, the comments and the history. */
export default function ApprovalRequestPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { session } = useAuth();
  const localName = useLocalName();
  const now = useNow(60_000);
  const request = useApprovalRequest(id);
  const comment = useComment();
  const [text, setText] = useState('');
  const back = (
    <Link to="/approvals">
      <Button icon={<ArrowLeftOutlined />}>{t('approvals.back')}</Button>
    </Link>
  );

  if (request.isLoading) {
    return <Skeleton active />;
  }
  if (!request.data) {
    const notFound = request.error instanceof ApiError && request.error.status === 404;
    return <Result status={notFound ? '404' : 'error'} title={notFound ? t('approvals.notFound') : (request.error?.message ?? '')} extra={back} />;
  }
  const r = request.data;
  const userId = session?.user?.id ?? null;
  return (
    <PageContainer title={r.title} description={t('approvals.requestDescription', { flow: localName(r.flowName.zh, r.flowName.en), name: r.submitter.name })} extra={back} testId="approval-request-page">
      <Card variant="borderless">
        <Flex vertical gap={16}>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 4 }}
            items={[
              { key: 'status', label: t('approvals.field.status'), children: <RequestStatusTag status={r.status} /> },
              { key: 'submitter', label: t('approvals.field.submitter'), children: r.submitter.name },
              { key: 'createdAt', label: t('approvals.field.submittedAt'), children: <DateTime value={r.createdAt} /> },
              r.status === 'pending'
                ? { key: 'due', label: t('approvals.field.due'), children: <DueTime at={r.dueAt} open now={now} /> }
                : { key: 'decidedAt', label: t('approvals.field.decidedAt'), children: <DateTime value={r.decidedAt} /> },
            ]}
          />
          <TaskActions request={r} myUserId={userId} onStale={() => void request.refetch()} />
        </Flex>
      </Card>
      <Card variant="borderless" title={t('approvals.steps')}>
        <RequestSteps request={r} />
      </Card>
      <Card variant="borderless" title={t('approvals.history.title')}>
        <RequestHistory request={r} />
        <Flex gap={8} align="flex-start" wrap>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={APPROVAL_LIMITS.maxComment}
            rows={2}
            placeholder={t('approvals.commentPlaceholder')}
            style={{ flex: '1 1 240px' }}
            data-testid="approval-comment-input"
          />
          <Button
            disabled={!text.trim()}
            loading={comment.isPending}
            onClick={() => void runWithFeedback({ run: () => comment.mutateAsync({ id: r.id, comment: text.trim() }), success: t('approvals.commented'), onDone: () => setText('') })}
            data-testid="approval-comment-submit"
          >
            {t('approvals.comment')}
          </Button>
        </Flex>
      </Card>
    </PageContainer>
  );
}
