import { useState } from 'react';
import { Button, Card, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InspectionRecordSummary, VerdictTotals } from '@yunwei/contracts/inspections';
import { downloadFile } from '../../../app/api-client';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useRecords, useTemplates } from '../api/use-inspections';

export function Totals({ totals }: { totals: VerdictTotals }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <Tag color="success">{t('inspections.verdict.normal')} {totals.normal}</Tag>
      {totals.abnormal > 0 && <Tag color="error">{t('inspections.verdict.abnormal')} {totals.abnormal}</Tag>}
      {totals.unavailable > 0 && <Tag>{t('inspections.verdict.unavailable')} {totals.unavailable}</Tag>}
      {totals.no_data > 0 && <Tag color="warning">{t('inspections.verdict.no_data')} {totals.no_data}</Tag>}
      {totals.pending > 0 && <Tag color="processing">{t('inspections.verdict.pending')} {totals.pending}</Tag>}
    </Space>
  );
}

export function StatusTag({ status }: { status: 'open' | 'signed' }) {
  const { t } = useTranslation();
  return <Tag color={status === 'signed' ? 'green' : 'gold'}>{t(`inspections.status.${status}`)}</Tag>;
}

/** Inspection records: newest first, filter by template and status, export to XLSX. */
export default function RecordsPage() {
  const { t } = useTranslation();
  const templates = useTemplates();
  const seeded = useSeededText();
  const [templateId, setTemplateId] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [page, setPage] = useState({ current: 1, size: 20 });
  const records = useRecords({ templateId, status, offset: (page.current - 1) * page.size, limit: page.size });

  const columns: TableColumnsType<InspectionRecordSummary> = [
    { title: t('inspections.field.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: number, r) => <Link to={`/inspections/records/${r.id}`}><DateTime value={v} /></Link> },
    { title: t('inspections.field.template'), dataIndex: 'templateName', render: (n: string, r) => `${seeded(n)} v${r.templateVersion}` },
    { title: t('inspections.field.schedule'), dataIndex: 'scheduleName', render: (n: string | null) => n ?? <Typography.Text type="secondary">{t('inspections.record.manual')}</Typography.Text> },
    { title: t('inspections.field.startedBy'), dataIndex: 'startedByName', width: 120 },
    { title: t('inspections.field.cis'), dataIndex: 'ciCount', width: 70 },
    { title: t('inspections.field.totals'), dataIndex: 'totals', width: 230, render: (totals: VerdictTotals) => <Totals totals={totals} /> },
    { title: t('inspections.field.status'), dataIndex: 'status', width: 150, render: (s: 'open' | 'signed') => <StatusTag status={s} /> },
    { title: t('inspections.field.signedBy'), dataIndex: 'signedByName', width: 120, render: (n: string | null) => n ?? t('common.empty') },
  ];
  return (
    <PageContainer
      title={t('nav.items.inspectionRecords')}
      description={t('nav.descriptions.inspectionRecords')}
      testId="inspection-records-page"
      extra={
        <Button icon={<DownloadOutlined />} onClick={() => void downloadFile('/api/inspections/records/export', { templateId, status }, 'inspection-records.xlsx')}>
          {t('inspections.export')}
        </Button>
      }
    >
      <Card variant="borderless">
        <Space style={{ marginBottom: 16 }} wrap>
          <Select allowClear placeholder={t('inspections.field.template')} style={{ width: 220 }} value={templateId} onChange={setTemplateId} options={(templates.data ?? []).map((x) => ({ value: x.id, label: seeded(x.name) }))} />
          <Select allowClear placeholder={t('inspections.field.status')} style={{ width: 140 }} value={status} onChange={setStatus} options={(['open', 'signed'] as const).map((s) => ({ value: s, label: t(`inspections.status.${s}`) }))} />
        </Space>
        <Table
          rowKey="id"
          columns={columns}
          // Template and schedule names wrap in the room the fixed-width columns leave.
          scroll={{ x: 980 }}
          dataSource={records.data?.items ?? []}
          loading={records.isLoading}
          pagination={{ current: page.current, pageSize: page.size, total: records.data?.total ?? 0, onChange: (current, size) => setPage({ current, size }), showTotal: (total) => t('common.total', { total }) }}
        />
      </Card>
    </PageContainer>
  );
}
