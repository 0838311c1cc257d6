import { useState } from 'react';
import { Button, Card, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, FileExcelOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditVerifyResult } from '@yunwei/contracts/audit';
import { useAuth } from '../../../app/auth-context';
import { useAuditEntries, useExportAudit, useVerifyAudit, type AuditFilters as Filters } from '../api/use-audit';
import { AuditFilters } from '../components/audit-filters';
import { AuditDiff } from '../components/audit-diff';
import { VerifyResultAlert } from '../components/verify-result';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { feedback } from '../../../shared/feedback';

export default function AuditLogPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const { data, isFetching, refetch } = useAuditEntries({ ...filters, offset: (page.current - 1) * page.pageSize, limit: page.pageSize });
  const verify = useVerifyAudit();
  const exporter = useExportAudit();
  const [verifyResult, setVerifyResult] = useState<AuditVerifyResult | null>(null);

  const runVerify = () =>
    verify.mutate(undefined, {
      onSuccess: (result) => {
        setVerifyResult(result);
        if (result.ok) {
          void feedback.current?.message.success(t('audit.verify.okTitle'));
        } else {
          void feedback.current?.message.error(t('audit.verify.brokenTitle'));
        }
      },
    });

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.field.time'), dataIndex: 'ts', width: 180, render: (ts: number) => <DateTime value={ts} /> },
    {
      title: t('audit.field.actor'),
      dataIndex: 'actorName',
      width: 140,
      render: (name: string, entry) => name || entry.actorId || <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    { title: t('audit.field.ip'), dataIndex: 'ip', width: 140, render: (ip: string) => ip || t('common.empty') },
    { title: t('audit.field.action'), dataIndex: 'action', width: 260, render: (action: string) => <Typography.Text code>{action}</Typography.Text> },
    {
      title: t('audit.field.target'),
      key: 'target',
      ellipsis: true,
      render: (_, entry) => (
        <span>
          <Tag>{entry.targetType}</Tag>
          {entry.targetId && <Typography.Text type="secondary">{entry.targetId}</Typography.Text>}
        </span>
      ),
    },
    {
      title: t('audit.field.outcome'),
      dataIndex: 'outcome',
      width: 100,
      render: (outcome: AuditEntry['outcome']) => (
        <Tag color={outcome === 'success' ? 'success' : 'error'}>{t(`audit.outcome.${outcome}`)}</Tag>
      ),
    },
  ];

  const runExport = (format: 'csv' | 'xlsx') =>
    exporter.mutate(
      { format, filters },
      { onSuccess: () => void feedback.current?.message.success(t('audit.export.started')) },
    );
  const exporting = exporter.isPending ? exporter.variables?.format : undefined;

  return (
    <PageContainer
      title={t('nav.items.audit')}
      description={t('audit.description')}
      testId="audit-log-page"
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void refetch()}>
            {t('common.refresh')}
          </Button>
          {can('audit.log.export') && (
            <>
              <Button icon={<DownloadOutlined />} loading={exporting === 'csv'} onClick={() => runExport('csv')}>
                {t('audit.export.csv')}
              </Button>
              <Button icon={<FileExcelOutlined />} loading={exporting === 'xlsx'} onClick={() => runExport('xlsx')}>
                {t('audit.export.xlsx')}
              </Button>
            </>
          )}
          {can('audit.log.verify') && (
            <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={runVerify}>
              {t('audit.verify.button')}
            </Button>
          )}
        </>
      }
    >
      {verifyResult && <VerifyResultAlert result={verifyResult} onClose={() => setVerifyResult(null)} />}
      <Card variant="borderless">
        <AuditFilters
          onSearch={(next) => {
            setFilters(next);
            setPage((p) => ({ ...p, current: 1 }));
          }}
        />
        <Table<AuditEntry>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items}
          loading={isFetching}
          scroll={{ x: 1000 }}
          expandable={{ expandedRowRender: (entry) => <AuditDiff entry={entry} /> }}
          onChange={(pagination) => setPage({ current: pagination.current ?? 1, pageSize: pagination.pageSize ?? 20 })}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.total', { total }),
          }}
        />
      </Card>
    </PageContainer>
  );
}
