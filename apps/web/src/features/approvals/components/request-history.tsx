import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApprovalEvent, ApprovalRequestDetail } from '@yunwei/contracts/approvals';
import { formatDateTime } from '../../../shared/components/date-time';

const COLORS: Partial<Record<ApprovalEvent['action'], string>> = { approve: 'green', approved: 'green', reject: 'red', withdraw: 'gray', remind: 'orange', escalate: 'red' };

/** What happened, in order: every decision, comment, reminder, with who and when. */
export function RequestHistory({ request }: { request: ApprovalRequestDetail }) {
  const { t } = useTranslation();
  const stepName = (step: number | null) => (step === null ? '' : (request.steps[step]?.name ?? ''));
  const line = (e: ApprovalEvent) => {
    const who = e.actor?.name ?? t('approvals.history.system');
    const target = typeof e.detail.userName === 'string' ? e.detail.userName : '';
    const extra =
      e.action === 'reject'
        ? t(`approvals.history.rejectTo.${e.detail.to === 'previous' ? 'previous' : 'submitter'}`)
        : e.action === 'add_signer'
          ? t(`approvals.history.addPosition.${e.detail.position === 'before' ? 'before' : 'after'}`, { name: target })
          : e.action === 'transfer'
            ? t('approvals.history.transferTo', { name: target })
            : '';
    return t('approvals.history.line', { who, action: t(`approvals.history.action.${e.action}`), step: stepName(e.step) }) + (extra ? ` ${extra}` : '');
  };
  return (
    <Timeline
      data-testid="approval-history"
      items={request.history.map((e) => ({
        color: COLORS[e.action] ?? 'blue',
        content: (
          <>
            <Typography.Text>{line(e)}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(e.at)}
            </Typography.Text>
            {e.comment && (
              <Typography.Paragraph style={{ margin: '4px 0 0' }} data-testid="approval-history-comment">
                “{e.comment}”
              </Typography.Paragraph>
            )}
          </>
        ),
      }))}
    />
  );
}
