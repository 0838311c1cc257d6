import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditVerifyResult } from '@yunwei/contracts/audit';
import { formatDateTime } from '../../../shared/components/date-time';

export function VerifyResultAlert({ result, onClose }: { result: AuditVerifyResult; onClose: () => void }) {
  const { t } = useTranslation();
  const time = formatDateTime(result.verifiedAt);
  // The last signed head exported for auditors to keep (an outside copy proves the trail was not rolled back).
  const anchor = result.lastAnchor
    ? t('audit.verify.lastAnchor', { id: result.lastAnchor.seq, time: formatDateTime(result.lastAnchor.time) })
    : t('audit.verify.noAnchor');
  if (result.ok) {
    return (
      <Alert
        type="success"
        showIcon
        closable={{ onClose }}
        title={t('audit.verify.okTitle')}
        description={`${t('audit.verify.okDescription', { count: result.checked, time })} ${anchor}`}
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
      description={`${t('audit.verify.brokenDescription', {
        id: result.brokenAt ?? t('common.empty'),
        reason: result.reason ?? t('audit.verify.unknownReason'),
        count: result.checked,
        time,
      })} ${anchor}`}
      data-testid="audit-verify-result"
    />
  );
}
