import { useState } from 'react';
import { Button, Space } from 'antd';
import { DownloadOutlined, FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TabularFormat } from '@yunwei/contracts/documents';

/**
 * A written document's downloads, side by side: Word first (offices edit and file it), then PDF (to
 * send or print as it is), and Excel for a report made of tables when `excel` is set. Each button spins
 * while its file is made. Test ids: `testId` for Word, `${testId}-pdf`, `${testId}-xlsx`.
 */
export function DocumentDownload<F extends TabularFormat = 'docx' | 'pdf'>({
  download,
  testId,
  primary = false,
  excel = false,
}: {
  download: (format: F) => Promise<void>;
  testId: string;
  primary?: boolean;
  /** Offer the workbook too (the download function must accept 'xlsx'). */
  excel?: F extends 'xlsx' ? boolean : false;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<TabularFormat | null>(null);
  const run = (format: TabularFormat) => {
    setBusy(format);
    void download(format as F)
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
      {excel && (
        <Button type={primary ? 'primary' : 'default'} icon={<FileExcelOutlined />} loading={busy === 'xlsx'} onClick={() => run('xlsx')} data-testid={`${testId}-xlsx`}>
          {t('common.downloadExcel')}
        </Button>
      )}
    </Space.Compact>
  );
}
