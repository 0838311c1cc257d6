import { useState } from 'react';
import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_FORMAT_NAMES } from '@yunwei/contracts/documents';
import type { ReportSchedule } from '@yunwei/contracts/report-schedules';
import { REPORTS_PERMISSIONS } from '@yunwei/contracts/reports';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { matchesText } from '../../../shared/url-filters';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { RunHistory, RunStatusTag } from './run-history';
import { ScheduleForm } from './schedule-form';
import { useDeleteSchedule, useKindLabel, useReportSchedules, useRunSchedule, WEEKDAY_KEYS } from './use-report-schedules';

/**
 * 定时报告: reports generated every week, month or quarter over the last full period, mailed with the
 * files attached and filed into the library; next run, last outcome, 立即运行 and the run history.
 */
export default function ReportSchedulesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canManage = can(REPORTS_PERMISSIONS.manageSchedules);
  const kindLabel = useKindLabel();
  const schedules = useReportSchedules();
  const remove = useDeleteSchedule();
  const run = useRunSchedule();
  const filters = useUrlFilters({ q: 'text' });
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<ReportSchedule | null | undefined>(undefined);
  const rows = (schedules.data?.items ?? []).filter((x) => matchesText(filters.values.q, x.name, x.scopeName));
  const historyId = params.get('history');
  const history = (schedules.data?.items ?? []).find((s) => s.id === historyId) ?? null;
  const openHistory = (id: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) {
        next.set('history', id);
      } else {
        next.delete('history');
      }
      return next;
    });

  const timing = (s: ReportSchedule) =>
    s.cadence === 'weekly'
      ? t('reportSchedules.timing.weekly', { day: t(WEEKDAY_KEYS[s.dayOfWeek - 1] ?? WEEKDAY_KEYS[0]), hour: s.hour })
      : t(`reportSchedules.timing.${s.cadence}`, { day: s.dayOfMonth, hour: s.hour });

  const columns: TableColumnsType<ReportSchedule> = [
    {
      title: t('reportSchedules.field.name'),
      key: 'name',
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <Space size={4}>
            <Typography.Text strong>{s.name}</Typography.Text>
            {!s.enabled && <Tag>{t('reportSchedules.disabled')}</Tag>}
          </Space>
          <Typography.Text type="secondary">{kindLabel(s.kind)}</Typography.Text>
        </Space>
      ),
    },
    { title: t('reportSchedules.field.timing'), key: 'timing', render: (_, s) => timing(s) },
    { title: t('reportSchedules.field.scope'), dataIndex: 'scopeName', key: 'scope' },
    {
      title: t('reportSchedules.field.delivery'),
      key: 'delivery',
      render: (_, s) => (
        <Space direction="vertical" size={0}>
          <span>{s.formats.map((f) => DOCUMENT_FORMAT_NAMES[f]).join(' / ')}</span>
          <Typography.Text type="secondary">{s.channelName ? t('reportSchedules.mailTo', { channel: s.channelName, n: s.emails.length + s.users.length }) : t('reportSchedules.noMail')}</Typography.Text>
          {s.libraryTypeName && <Typography.Text type="secondary">{t('reportSchedules.filedAs', { type: s.libraryTypeName, number: s.documentNumber ?? '' })}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('reportSchedules.field.nextRun'), key: 'next', render: (_, s) => <DateTime value={s.nextRunAt} emptyText="—" /> },
    {
      title: t('reportSchedules.field.lastRun'),
      key: 'last',
      render: (_, s) =>
        s.lastRun ? (
          <Space direction="vertical" size={0}>
            <Space size={4}>
              <RunStatusTag status={s.lastRun.status} />
              <span>{s.lastRun.period}</span>
            </Space>
            {s.lastRun.error && (
              <Typography.Text type="danger" ellipsis={{ tooltip: s.lastRun.error }} style={{ maxWidth: 260 }}>
                {s.lastRun.error}
              </Typography.Text>
            )}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('reportSchedules.neverRun')}</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, s) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => openHistory(s.id)} data-testid={`schedule-history-${s.name}`}>
            {t('reportSchedules.history')}
          </Button>
          {canManage && (
            <>
              <ConfirmButton
                label={t('reportSchedules.runNow')}
                title={t('reportSchedules.runNowConfirm', { name: s.name })}
                okText={t('reportSchedules.runNow')}
                danger={false}
                testId={`schedule-run-${s.name}`}
                run={() => run.mutateAsync(s.id)}
                success={(r) => t(`reportSchedules.runDone.${r.status}`, { period: r.period })}
                onDone={() => openHistory(s.id)}
              />
              <Button type="link" size="small" onClick={() => setEditing(s)} data-testid={`schedule-edit-${s.name}`}>
                {t('common.edit')}
              </Button>
              <ConfirmButton label={t('common.delete')} title={t('reportSchedules.deleteConfirm', { name: s.name })} description={t('reportSchedules.deleteNote')} okText={t('common.delete')} run={() => remove.mutateAsync(s.id)} success={t('common.deleted')} />
            </>
          )}
        </Space>
      ),
    },
  ];

  return (
    <ListPage<ReportSchedule, 'q'>
      title={t('nav.items.reportSchedules')}
      description={t('nav.descriptions.reportSchedules')}
      pageTestId="report-schedules-page"
      primaryAction={canManage ? { label: t('reportSchedules.create'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'create-schedule' } : undefined}
      emptyDescription={t('reportSchedules.empty')}
      filters={{ state: filters, items: [{ key: 'q', type: 'search', placeholder: t('reportSchedules.search') }] }}
      rowKey="id"
      columns={columns}
      dataSource={rows}
      loading={schedules.isLoading}
      pagination={false}
      cards={{ title: 'name', fields: ['timing', 'scope', 'next', 'last'], actions: 'actions' }}
      data-testid="report-schedules-table"
    >
      <ScheduleForm editing={editing} onClose={() => setEditing(undefined)} />
      <RunHistory schedule={history} onClose={() => openHistory(null)} />
    </ListPage>
  );
}
