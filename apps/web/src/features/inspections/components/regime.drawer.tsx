import { Alert, Drawer, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { DocumentDownload } from '../../../shared/components/document-download';
import { WrittenDocumentView } from '../../../shared/components/written-document';
import { downloadRegime, useRegime } from '../api/use-regime';

/**
 * The monitoring regime (监控制度, L1-2.1.1) written from the enabled policies (or one policy), their
 * alert rules and the alert routing: read on screen, downloaded as a Word or PDF document.
 */
export function RegimeDrawer({ open, policyId, onClose }: { open: boolean; policyId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const regime = useRegime(policyId, open);
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={960}
      title={t('inspections.regime.title')}
      extra={<DocumentDownload primary download={(format) => downloadRegime(policyId, format)} testId="regime-download" />}
      data-testid="regime-drawer"
    >
      {regime.error && <Alert type="error" showIcon title={regime.error.message} />}
      {regime.isFetching && !regime.data ? <Spin /> : regime.data && <WrittenDocumentView doc={regime.data.document} testId="regime-document" />}
    </Drawer>
  );
}
