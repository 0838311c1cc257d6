import { Button, Space } from 'antd';
import { CloudUploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DocumentDownload } from '../../../shared/components/document-download';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { downloadProcedure, useFileProcedure } from './use-incident-documents';

/** 故障处理规程 generated from the configuration: download it, or file it into the library for approval. */
export function ProcedureActions() {
  const { t } = useTranslation();
  const file = useFileProcedure();
  return (
    <Space wrap data-testid="incident-procedure">
      <DocumentDownload testId="incident-procedure-download" download={downloadProcedure} />
      <Button
        icon={<CloudUploadOutlined />}
        loading={file.isPending}
        data-testid="incident-procedure-file"
        title={t('incidentDocs.procedure.help')}
        onClick={() => void runWithFeedback({ run: () => file.mutateAsync(), success: (r) => t('incidentDocs.filed', { number: r.number, version: r.versionLabel }) })}
      >
        {t('incidentDocs.procedure.file')}
      </Button>
    </Space>
  );
}
