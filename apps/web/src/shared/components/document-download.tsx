import { useState } from 'react';
import { Button, Space } from 'antd';
import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { DocumentFormat } from '@yunwei/contracts/documents';

/**
 * A written document's downloads, side by side: Word first (offices edit and file it), then PDF (to
 * send or print as it is). Each button spins while its file is made. Test ids: `testId` for Word,
 * `${testId}-pdf` for PDF.
 */
export function DocumentDownload({ download, testId, primary = false }: { download: (format: DocumentFormat) => Promise<void>; testId: string; primary?: boolean }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<DocumentFormat | null>(null);
  const run = (format: DocumentFormat) => {
    setBusy(format);
    void download(format)
      .catch(() => undefined)
      .finally(() => setBusy(null));
  };
  return (
    <Space.Compact>
      <Button type={primary ? 'primary' : 'default'} icon={<DownloadOutlined />} loading={busy === 'docx'} onClick={() => run('docx')} data-testid={testId}>
        {t('common.downloadWord')}
      </Button>
      <Button type={primary ? 'primary' : 'default'} icon={<FilePdfOutlined />} loading={busy === 'pdf'} onClick={() => run('pdf')} data-testid={`${testId}-pdf`}>
        {t('common.downloadPdf')}
      </Button>
    </Space.Compact>
  );
}
