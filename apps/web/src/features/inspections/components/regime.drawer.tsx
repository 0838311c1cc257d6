import { useState } from 'react';
import { Alert, Button, Drawer, Spin } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { WrittenDocumentView } from '../../../shared/components/written-document';
import { downloadRegime, useRegime } from '../api/use-regime';

/**
 * The monitoring regime (监控制度, L1-2.1.1) written from the enabled policies (or one policy), their
 * alert rules and the alert routing: read on screen, downloaded as a Word document.
 */
export function RegimeDrawer({ open, policyId, onClose }: { open: boolean; policyId?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const regime = useRegime(policyId, open);
  const [downloading, setDownloading] = useState(false);
  const download = () => {
    setDownloading(true);
    void downloadRegime(policyId)
      .catch(() => undefined)
      .finally(() => setDownloading(false));
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={960}
      title={t('inspections.regime.title')}
      extra={
        <Button type="primary" icon={<DownloadOutlined />} loading={downloading} onClick={download} data-testid="regime-download">
          {t('inspections.regime.download')}
        </Button>
      }
      data-testid="regime-drawer"
    >
      {regime.error && <Alert type="error" showIcon title={regime.error.message} />}
      {regime.isFetching && !regime.data ? <Spin /> : regime.data && <WrittenDocumentView doc={regime.data.document} testId="regime-document" />}
    </Drawer>
  );
}
