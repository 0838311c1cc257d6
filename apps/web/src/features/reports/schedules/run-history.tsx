import { Button, Drawer, List, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_FORMAT_NAMES } from '@yunwei/contracts/documents';
import type { ReportRunStatus, ReportSchedule, ReportScheduleRun } from '@yunwei/contracts/report-schedules';
import { DateTime } from '../../../shared/components/date-time';
import { useIsPhone } from '../../../shared/use-is-phone';
import { downloadRunFile, useScheduleRuns } from './use-report-schedules';

const STATUS_COLOR: Record<ReportRunStatus, string> = { ok: 'success', partial: 'warning', failed: 'error', running: 'processing' };

export function RunStatusTag({ status }: { status: ReportRunStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`reportSchedules.status.${status}`)}</Tag>;
}

const kb = (size: number) => `${Math.max(1, Math.round(size / 1024))} KB`;

/** 运行记录: each run's period, outcome step by step, files, the filed version and the e-mail's fate. */
export function RunHistory({ schedule, onClose }: { schedule: ReportSchedule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const runs = useScheduleRuns(schedule?.id ?? null);
  const phone = useIsPhone();
  const columns: TableColumnsType<ReportScheduleRun> = [
    { title: t('reportSchedules.run.at'), dataIndex: 'at', key: 'at', width: 170, render: (at: number) => <DateTime value={at} /> },
    { title: t('reportSchedules.run.period'), dataIndex: 'period', key: 'period' },
    { title: t('reportSchedules.run.status'), key: 'status', width: 90, render: (_, r) => <RunStatusTag status={r.status} /> },
    { title: t('reportSchedules.run.trigger'), key: 'trigger', width: 120, render: (_, r) => (r.trigger === 'manual' ? t('reportSchedules.run.manual', { name: r.triggeredBy ?? '' }) : t('reportSchedules.run.scheduled')) },
    {
      title: t('reportSchedules.run.files'),
      key: 'files',
      render: (_, r) => (
        <Space wrap size={4}>
          {r.files.map((f) => (
            <Button key={f.format} size="small" icon={<DownloadOutlined />} onClick={() => void downloadRunFile(r.scheduleId, r.id, f.format, f.filename)} data-testid={`run-file-${f.format}`}>
              {DOCUMENT_FORMAT_NAMES[f.format]} · {kb(f.size)}
            </Button>
          ))}
        </Space>
      ),
    },
    {
      title: t('reportSchedules.run.document'),
      key: 'document',
      render: (_, r) => (r.documentId ? <Link to={`/library/documents/${r.documentId}`}>{`${r.documentNumber ?? ''} ${r.versionLabel ?? ''}`.trim()}</Link> : '—'),
    },
  ];
  return (
    <Drawer open={schedule !== null} onClose={onClose} width={phone ? '100%' : 1040} title={t('reportSchedules.historyTitle', { name: schedule?.name ?? '' })} destroyOnHidden>
      <Table<ReportScheduleRun>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={runs.data?.items ?? []}
        loading={runs.isLoading}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="run-history"
        locale={{ emptyText: t('reportSchedules.noRuns') }}
        expandable={{
          rowExpandable: () => true,
          expandedRowRender: (r) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              <List
                size="small"
                dataSource={r.steps}
                renderItem={(s) => (
                  <List.Item>
                    <Space align="start">
                      <Tag color={s.ok ? 'success' : 'error'}>{t(`reportSchedules.step.${s.step}`)}</Tag>
                      <Typography.Text>{s.detail}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
              {r.deliveries.map((d) => (
                <Typography.Text key={d.id} type={d.status === 'failed' || d.status === 'suppressed' ? 'danger' : 'secondary'}>
                  {t('reportSchedules.run.delivery', { status: t(`reportSchedules.deliveryStatus.${d.status}`, { defaultValue: d.status }), to: d.recipients.join(', ') || t('reportSchedules.channelRecipients') })}
                  {d.lastError ? ` — ${d.lastError}` : ''}
                </Typography.Text>
              ))}
            </Space>
          ),
        }}
      />
    </Drawer>
  );
}
