import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { DutyState } from '@yunwei/contracts/duty-accounts';
import { useDutyAccounts } from '../api/use-duty-accounts';

function names(state: DutyState): string {
  return state.holders.map((h) => h.username).join('、');
}

/**
 * Shown to whoever may run the first-day set-up while the security or the audit duty has no person
 * of its own (skipped with "later", or held together with the system duty).
 */
export function DutyAccountsReminder() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data } = useDutyAccounts();
  if (!data) {
    return null;
  }
  const lines: string[] = [];
  if (!data.securityAdmin.dedicated) {
    lines.push(data.securityAdmin.holders.length ? t('dutySetup.reminder.securityShared', { names: names(data.securityAdmin) }) : t('dutySetup.reminder.securityMissing'));
  }
  if (!data.auditAdmin.dedicated) {
    lines.push(data.auditAdmin.holders.length ? t('dutySetup.reminder.auditShared', { names: names(data.auditAdmin) }) : t('dutySetup.reminder.auditMissing'));
  }
  if (lines.length === 0) {
    return null;
  }
  const canSetUp = data.securityAdmin.open || data.auditAdmin.open;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="duty-accounts-reminder"
      title={t('dutySetup.reminder.title')}
      description={lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
      action={
        canSetUp && (
          <Button size="small" type="primary" onClick={() => navigate('/setup/duty-accounts')}>
            {t('dutySetup.reminder.action')}
          </Button>
        )
      }
    />
  );
}
