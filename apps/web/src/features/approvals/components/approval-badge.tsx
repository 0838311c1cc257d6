import { Badge, Button, Tooltip } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { TOUCH_TARGET, useIsPhone } from '../../../shared/use-is-phone';
import { TASK_USE, useApprovalCount } from '../api/use-approvals';

/** The header's count of my pending approval tasks, leading to 我的待办. */
export function ApprovalBadge() {
  const { can } = useAuth();
  return can(TASK_USE) ? <Count /> : null;
}

function Count() {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const count = useApprovalCount().data?.todo ?? 0;
  const label = t('approvals.badge.label', { count });
  return (
    <Tooltip title={label}>
      <Link to="/approvals?box=todo" aria-label={label} data-testid="approval-badge">
        <Button type="text" tabIndex={-1} style={phone ? { width: TOUCH_TARGET, height: TOUCH_TARGET } : undefined}>
          <Badge count={count} size="small" overflowCount={99} data-testid="approval-badge-count" data-count={count}>
            <AuditOutlined style={{ fontSize: 16 }} />
          </Badge>
        </Button>
      </Link>
    </Tooltip>
  );
}
