import { useState } from 'react';
import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InspectionRecordSummary, VerdictTotals } from '@yunwei/contracts/inspections';
import { downloadFile } from '../../../app/api-client';
import { ListPage } from '../../../shared/components/list-page';
import { DateTime } from '../../../shared/components/date-time';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useAuth } from '../../../app/auth-context';
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

const RECORD_STATUSES = ['open', 'signed'] as const;

/** Inspection records: newest first, filter by template and status (in the URL), export to XLSX. */
export default function RecordsPage() {
  const { t } = useTranslation();
  const templates = useTemplates();
  const seeded = useSeededText();
  const { can } = useAuth();
  // The template is any id (the server checks it): a link to a template not loaded yet still filters.
  const filters = useUrlFilters({ templateId: 'text', status: RECORD_STATUSES });
  const query = { templateId: filters.values.templateId || undefined, status: filters.values.status || undefined };
  // Another filter starts again at the first page.
  const filterKey = `${filters.values.templateId}|${filters.values.status}`;
  const [paging, setPaging] = useState({ filterKey, current: 1, size: 20 });
  const page = { size: paging.size, current: paging.filterKey === filterKey ? paging.current : 1 };
  const records = useRecords({ ...query, offset: (page.current - 1) * page.size, limit: page.size });

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
    <ListPage<InspectionRecordSummary, 'templateId' | 'status'>
      title={t('nav.items.inspectionRecords')}
      description={t('nav.descriptions.inspectionRecords')}
      pageTestId="inspection-records-page"
      extra={
        <Button icon={<DownloadOutlined />} onClick={() => void downloadFile('/api/inspections/records/export', query, 'inspection-records.xlsx')}>
          {t('inspections.export')}
        </Button>
      }
      emptyDescription={
        <Space orientation="vertical" size={4}>
          <span>{t('inspections.record.empty')}</span>
          <Space size="middle" wrap style={{ justifyContent: 'center' }}>
            {can('inspections.template.read') && <Link to="/inspections/templates">{t('nav.items.inspectionTemplates')}</Link>}
            {can('inspections.template.read') && <Link to="/inspections/schedules">{t('nav.items.inspectionSchedules')}</Link>}
            {can('inspections.policy.read') && <Link to="/inspections/policies">{t('nav.items.monitoringPolicy')}</Link>}
          </Space>
        </Space>
      }
      filters={{
        state: filters,
        items: [
          { key: 'templateId', type: 'select', placeholder: t('inspections.field.template'), width: 220, options: (templates.data ?? []).map((x) => ({ value: x.id, label: seeded(x.name) })) },
          { key: 'status', type: 'select', placeholder: t('inspections.field.status'), width: 140, options: RECORD_STATUSES.map((s) => ({ value: s, label: t(`inspections.status.${s}`) })) },
        ],
      }}
      rowKey="id"
      columns={columns}
      // Template and schedule names wrap in the room the fixed-width columns leave.
      scroll={{ x: 980 }}
      dataSource={records.data?.items ?? []}
      loading={records.isLoading}
      pagination={{ current: page.current, pageSize: page.size, total: records.data?.total ?? 0, onChange: (current, size) => setPaging({ filterKey, current, size }), showTotal: (total) => t('common.total', { total }) }}
    />
  );
}
