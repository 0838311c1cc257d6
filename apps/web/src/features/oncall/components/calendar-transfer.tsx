import { useState } from 'react';
import { Button, Space, Tooltip, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { ApiError, downloadFile } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { reportError } from '../../../app/query-client';
import { feedback, showError } from '../../../shared/feedback';
import { useImportCalendar } from '../api/use-oncall';

const SHEET_COLUMNS = ['date', 'kind', 'name_zh', 'name_en'] as const;

/** A refused sheet names its row and column (`body.rows.5.kind`): say so in words. */
function importErrorText(error: unknown, t: TFunction): string | null {
  const m = error instanceof ApiError ? /^body\.rows\.(\d+)\.(\w+)$/.exec(error.details?.field ?? '') : null;
  const column = SHEET_COLUMNS.find((c) => c === m?.[2]);
  if (!(error instanceof ApiError) || !m || !column) {
    return null;
  }
  return t('oncall.calendar.importRowError', { row: m[1], column: t(`oncall.calendar.column.${column}`), reason: error.details?.fields?.[0]?.message ?? '' });
}

/** Export the year as XLSX; import an edited sheet (replaces the year's own entries). */
export function CalendarTransfer({ year, canWrite }: { year: number; canWrite: boolean }) {
  const { t } = useTranslation();
  const { session } = useAuth();
  const [downloading, setDownloading] = useState(false);
  const importing = useImportCalendar(session?.csrfToken);

  const exportYear = () => {
    setDownloading(true);
    downloadFile(`/api/oncall/calendar/${year}/export`, {}, `business-calendar-${year}.xlsx`)
      .catch(reportError)
      .finally(() => setDownloading(false));
  };

  const importFile = (file: File) =>
    importing.mutate(
      { year, file },
      {
        onSuccess: (result) => void feedback.current?.message.success(t('oncall.calendar.imported', { count: result.days.filter((d) => d.source === 'user').length })),
        onError: (error) => {
          const text = importErrorText(error, t);
          if (text) {
            showError(text);
          } else {
            reportError(error);
          }
        },
      },
    );

  return (
    <Space>
      <Button icon={<DownloadOutlined />} loading={downloading} onClick={exportYear} data-testid="calendar-export">
        {t('oncall.calendar.export')}
      </Button>
      {canWrite && (
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          beforeUpload={(file) => {
            importFile(file);
            return false;
          }}
        >
          <Tooltip title={t('oncall.calendar.importHelp')}>
            <Button icon={<UploadOutlined />} loading={importing.isPending} data-testid="calendar-import">
              {t('oncall.calendar.import')}
            </Button>
          </Tooltip>
        </Upload>
      )}
    </Space>
  );
}
