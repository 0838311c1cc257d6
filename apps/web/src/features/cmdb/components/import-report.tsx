import { Alert, Button, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined, DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ImportReport as Report } from '@yunwei/contracts/cmdb';

interface FailedLine {
  key: string;
  row: number;
  column: string;
  message: string;
  /** How many lines of the same row (for merging the row-number cell); 0 for the others. */
  span: number;
}

function failedLines(report: Report): FailedLine[] {
  return report.rows
    .filter((r) => r.status === 'failed')
    .flatMap((r) => {
      const errors = r.errors.length ? r.errors : [{ column: '', message: '' }];
      return errors.map((e, i) => ({ key: `${r.row}-${i}`, row: r.row, column: e.column, message: e.message, span: i === 0 ? errors.length : 0 }));
    });
}

function csvCell(value: string | number): string {
  const text = String(value);
  // A leading =, +, - or @ would be run as a formula by a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The per-row report as a CSV (UTF-8 with BOM, so Excel shows Chinese correctly). Built here: the
 * API answers the report as JSON and keeps no copy to download later.
 */
function downloadReport(report: Report, text: { headers: string[]; imported: string; failed: string }, filename: string): void {
  const lines = [text.headers.map(csvCell).join(',')];
  for (const r of report.rows) {
    const errors = r.errors.length ? r.errors : [{ column: '', message: '' }];
    for (const e of errors) {
      lines.push([r.row, r.status === 'imported' ? text.imported : text.failed, e.column, e.message].map(csvCell).join(','));
    }
  }
  const blob = new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Counts, ignored columns, and every failed row with its column and reason. */
export function ImportReportView({ report, filename, onShowImported }: { report: Report; filename: string; onShowImported?: () => void }) {
  const { t } = useTranslation();
  const lines = failedLines(report);
  const base = filename.replace(/\.[^.]+$/, '');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="import-report">
      <Row gutter={16}>
        <Col span={8}>
          <Statistic title={t('cmdb.import.total')} value={report.total} />
        </Col>
        <Col span={8}>
          <Statistic title={t('cmdb.import.imported')} value={report.imported} styles={{ content: { color: '#389e0d' } }} prefix={<CheckCircleOutlined />} />
        </Col>
        <Col span={8}>
          <Statistic title={t('cmdb.import.failed')} value={report.failed} styles={{ content: { color: report.failed ? '#cf1322' : undefined } }} prefix={<CloseCircleOutlined />} />
        </Col>
      </Row>
      {report.total === 0 && <Alert type="warning" showIcon title={t('cmdb.import.noRows')} />}
      {report.failed > 0 && <Alert type="error" showIcon title={t('cmdb.import.partial', { imported: report.imported, failed: report.failed })} />}
      {report.failed === 0 && report.total > 0 && <Alert type="success" showIcon title={t('cmdb.import.allImported', { count: report.imported })} />}
      {report.ignoredColumns.length > 0 && <Alert type="info" showIcon title={t('cmdb.import.ignoredColumns', { columns: report.ignoredColumns.join('、') })} />}
      {lines.length > 0 && (
        <>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('cmdb.import.failedRows')}
          </Typography.Title>
          <Table<FailedLine>
            size="small"
            rowKey="key"
            bordered
            dataSource={lines}
            pagination={lines.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
            data-testid="import-failed-rows"
            columns={[
              { key: 'row', title: t('cmdb.import.row'), dataIndex: 'row', width: 90, onCell: (l) => (lines.length > 20 ? {} : { rowSpan: l.span }), render: (row: number) => t('cmdb.import.rowN', { row }) },
              { key: 'column', title: t('cmdb.import.column'), dataIndex: 'column', width: 180 },
              { key: 'message', title: t('cmdb.import.message'), dataIndex: 'message' },
            ]}
          />
        </>
      )}
      <Space wrap>
        <Button
          icon={<DownloadOutlined />}
          onClick={() =>
            downloadReport(
              report,
              {
                headers: [t('cmdb.import.row'), t('cmdb.import.result'), t('cmdb.import.column'), t('cmdb.import.message')],
                imported: t('cmdb.import.rowImported'),
                failed: t('cmdb.import.rowFailed'),
              },
              `${base}-${t('cmdb.import.reportSuffix')}.csv`,
            )
          }
          data-testid="import-report-download"
        >
          {t('cmdb.import.downloadReport')}
        </Button>
        {report.imported > 0 && onShowImported && (
          <Button type="link" onClick={onShowImported}>
            {t('cmdb.import.showImported')}
          </Button>
        )}
      </Space>
    </Space>
  );
}
