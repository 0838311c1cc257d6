import { useState } from 'react';
import dayjs from 'dayjs';
import { Button, Card, DatePicker, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, FileExcelOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditVerifyResult } from '@yunwei/contracts/audit';
import { useAuth } from '../../../app/auth-context';
import { useAuditEntries, useExportAudit, useVerifyAudit, type AuditFilters } from '../api/use-audit';
import { AuditDiff } from '../components/audit-diff';
import { VerifyResultAlert } from '../components/verify-result';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { feedback } from '../../../shared/feedback';
import { useDebounced } from '../../../shared/series-catalog';
import type { FilterValues } from '../../../shared/url-filters';
import { useUrlFilters } from '../../../shared/use-url-filters';

const OUTCOMES = ['success', 'failure'] as const;
type FilterKey = 'from' | 'to' | 'q' | 'actor' | 'action' | 'targetType' | 'outcome';
const FILTERS = { from: 'text', to: 'text', q: 'text', actor: 'text', action: 'text', targetType: 'text', outcome: OUTCOMES } as const;

/** The query the URL's filters ask for (empty ones left out; text cut to what the server takes). */
function queryOf(values: FilterValues<FilterKey>): AuditFilters {
  const text = (value: string, max: number) => value.trim().slice(0, max) || undefined;
  const time = (value: string) => (/^\d+$/.test(value) ? Number(value) : undefined);
  return {
    from: time(values.from),
    to: time(values.to),
    q: text(values.q, 200),
    actor: text(values.actor, 64),
    action: text(values.action, 100),
    targetType: text(values.targetType, 64),
    outcome: values.outcome ? (values.outcome as AuditFilters['outcome']) : undefined,
  };
}

export default function AuditLogPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const filters = useUrlFilters<FilterKey>(FILTERS);
  // Typing asks the server once the typing stops, not at each key.
  const settled = useDebounced(JSON.stringify(filters.values), 300);
  const query = queryOf(JSON.parse(settled) as FilterValues<FilterKey>);
  // Other filters start again from the first page.
  const [paging, setPaging] = useState({ of: settled, current: 1, pageSize: 20 });
  const current = paging.of === settled ? paging.current : 1;
  const { data, isFetching, refetch } = useAuditEntries({ ...query, offset: (current - 1) * paging.pageSize, limit: paging.pageSize });
  const verify = useVerifyAudit();
  const exporter = useExportAudit();
  const [verifyResult, setVerifyResult] = useState<AuditVerifyResult | null>(null);

  const runVerify = () =>
    runWithFeedback({
      run: () => verify.mutateAsync(),
      success: null,
      onDone: (result) => {
        setVerifyResult(result);
        void (result.ok ? feedback.current?.message.success(t('audit.verify.okTitle')) : feedback.current?.message.error(t('audit.verify.brokenTitle')));
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
      render: (outcome: AuditEntry['outcome']) => <Tag color={outcome === 'success' ? 'success' : 'error'}>{t(`audit.outcome.${outcome}`)}</Tag>,
    },
  ];

  const runExport = (format: 'csv' | 'xlsx') => runWithFeedback({ run: () => exporter.mutateAsync({ format, filters: query }), success: t('audit.export.started') });
  const exporting = exporter.isPending ? exporter.variables?.format : undefined;
  const { from, to } = query;

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
              <Button icon={<DownloadOutlined />} loading={exporting === 'csv'} onClick={() => void runExport('csv')}>
                {t('audit.export.csv')}
              </Button>
              <Button icon={<FileExcelOutlined />} loading={exporting === 'xlsx'} onClick={() => void runExport('xlsx')}>
                {t('audit.export.xlsx')}
              </Button>
            </>
          )}
          {can('audit.log.verify') && (
            <Button type="primary" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => void runVerify()}>
              {t('audit.verify.button')}
            </Button>
          )}
        </>
      }
    >
      {verifyResult && <VerifyResultAlert result={verifyResult} onClose={() => setVerifyResult(null)} />}
      <Card variant="borderless">
        <ListTable<AuditEntry, FilterKey>
          filters={{
            state: filters,
            items: [
              {
                key: 'from',
                type: 'custom',
                // One picker for both ends (`from` and `to` in the URL, epoch milliseconds).
                render: () => (
                  <DatePicker.RangePicker
                    showTime={{ format: 'HH:mm' }}
                    format="YYYY-MM-DD HH:mm"
                    allowEmpty={[true, true]}
                    placeholder={[t('audit.placeholder.from'), t('audit.placeholder.to')]}
                    value={[from === undefined ? null : dayjs(from), to === undefined ? null : dayjs(to)]}
                    onChange={(range) => filters.set({ from: range?.[0] ? String(range[0].valueOf()) : '', to: range?.[1] ? String(range[1].valueOf()) : '' })}
                    data-testid="filter-range"
                  />
                ),
              },
              { key: 'q', type: 'search', placeholder: t('audit.placeholder.q'), width: 200 },
              { key: 'actor', type: 'search', placeholder: t('audit.placeholder.actor'), width: 160 },
              { key: 'action', type: 'search', placeholder: t('audit.placeholder.action'), width: 260 },
              { key: 'targetType', type: 'search', placeholder: t('audit.placeholder.targetType'), width: 160 },
              { key: 'outcome', type: 'select', placeholder: t('audit.field.outcome'), width: 120, options: OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) })) },
            ],
          }}
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items}
          loading={isFetching}
          scroll={{ x: 1000 }}
          expandable={{ expandedRowRender: (entry) => <AuditDiff entry={entry} /> }}
          onChange={(pagination) => setPaging({ of: settled, current: pagination.current ?? 1, pageSize: pagination.pageSize ?? 20 })}
          pagination={{
            current,
            pageSize: paging.pageSize,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.total', { total }),
          }}
          empty={{ description: t('audit.empty') }}
          data-testid="audit-table"
        />
      </Card>
    </PageContainer>
  );
}
