import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditVerifyResult } from '@yunwei/contracts/audit';
import { formatDateTime } from '../../../shared/components/date-time';

export function VerifyResultAlert({ result, onClose }: { result: AuditVerifyResult; onClose: () => void }) {
  const { t } = useTranslation();
  const time = formatDateTime(result.verifiedAt);
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        closable={{ onClose }}
        title={t('audit.verify.okTitle')}
        description={t('audit.verify.okDescription', { count: result.checked, time })}
        data-testid="audit-verify-result"
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      closable={{ onClose }}
      title={t('audit.verify.brokenTitle')}
      description={t('audit.verify.brokenDescription', {
        id: result.brokenAt ?? t('common.empty'),
        reason: result.reason ?? t('audit.verify.unknownReason'),
        count: result.checked,
        time,
      })}
      data-testid="audit-verify-result"
    />
  );
}
