import { useState } from 'react';
import { Alert, Button, Card, Empty, Space, Tag } from 'antd';
import { FileTextOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { UtilisationReportQuery, UtilisationVerdict } from '@yunwei/contracts/monitoring';
import { DocumentDownload } from '../../../shared/components/document-download';
import { WrittenDocumentView } from '../../../shared/components/written-document';
import { downloadUtilisationReport, useUtilisationReport } from '../api/use-utilisation-report';

const VERDICT_COLOR: Record<UtilisationVerdict, string> = { expand: 'red', watch: 'orange', normal: 'green', no_data: 'default' };

/**
 * The written analysis of the page's period and thresholds (L3-2.1.2): a judgement per host resource
 * (正常 / 关注 / 需扩容) with the figures and what to do, on screen and as a Word or PDF file.
 */
export function UtilisationReportCard({ params }: { params: UtilisationReportQuery }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<UtilisationReportQuery | null>(null);
  const report = useUtilisationReport(asked);
  const counts = (report.data?.findings ?? []).reduce<Partial<Record<UtilisationVerdict, number>>>((acc, f) => ({ ...acc, [f.verdict]: (acc[f.verdict] ?? 0) + 1 }), {});
  return (
    <Card
      variant="borderless"
      title={t('monitoring.report.title')}
      extra={
        <Space wrap>
          <Button type="primary" icon={<FileTextOutlined />} loading={report.isFetching} onClick={() => setAsked({ ...params })} data-testid="utilisation-report-generate">
            {t('monitoring.report.generate')}
          </Button>
          <DocumentDownload download={(format) => downloadUtilisationReport(asked ?? params, format)} testId="utilisation-report-download" />
        </Space>
      }
    >
      {report.error && <Alert type="error" showIcon title={report.error.message} />}
      {report.data ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap data-testid="utilisation-report-verdicts">
            {(['expand', 'watch', 'normal', 'no_data'] as const).map((v) => (counts[v] ? <Tag key={v} color={VERDICT_COLOR[v]}>{t('monitoring.report.verdictCount', { verdict: t(`monitoring.report.verdict.${v}`), count: counts[v] })}</Tag> : null))}
          </Space>
          <WrittenDocumentView doc={report.data.document} testId="utilisation-report" />
        </Space>
      ) : (
        !report.isFetching && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monitoring.report.hint')} />
      )}
    </Card>
  );
}
