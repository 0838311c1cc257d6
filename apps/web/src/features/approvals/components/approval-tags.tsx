import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalRequestStatus, ApprovalTaskStatus } from '@yunwei/contracts/approvals';
import { formatDateTime } from '../../../shared/components/date-time';

const REQUEST_COLORS: Record<ApprovalRequestStatus, string> = { pending: 'processing', approved: 'success', rejected: 'error', withdrawn: 'default' };
const TASK_COLORS: Record<ApprovalTaskStatus, string> = { waiting: 'default', pending: 'processing', approved: 'success', rejected: 'error', transferred: 'purple', skipped: 'default', cancelled: 'default' };

export function RequestStatusTag({ status }: { status: ApprovalRequestStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={REQUEST_COLORS[status]} data-testid="approval-status" data-status={status}>
      {t(`approvals.requestStatus.${status}`)}
    </Tag>
  );
}

export function TaskStatusTag({ status }: { status: ApprovalTaskStatus }) {
  const { t } = useTranslation();
  return <Tag color={TASK_COLORS[status]}>{t(`approvals.taskStatus.${status}`)}</Tag>;
}

/** A due time; past it (and still open) it reads 已超时 in red. */
export function DueTime({ at, open, now }: { at: number | null; open: boolean; now: number }) {
  const { t } = useTranslation();
  if (at === null) {
    return <Typography.Text type="secondary">{t('approvals.noDue')}</Typography.Text>;
  }
  const overdue = open && at < now;
  return (
    <Typography.Text type={overdue ? 'danger' : undefined} data-testid={overdue ? 'approval-overdue' : undefined}>
      {formatDateTime(at)}
      {overdue && ` · ${t('approvals.overdue')}`}
    </Typography.Text>
  );
}
