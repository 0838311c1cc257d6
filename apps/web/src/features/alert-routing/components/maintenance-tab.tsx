import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MaintenanceSchedule, MaintenanceWindow } from '@yunwei/contracts/alert-routing';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { useDeleteMaintenance, useMaintenanceWindows } from '../api/use-alert-routing';
import type { Weekday } from './maintenance-form.drawer';

/** Maintenance windows: in effect now or next, their schedule and scope. `onEdit(null)` plans a new one. */
export function MaintenanceTab({ canWrite, onEdit }: { canWrite: boolean; onEdit: (window: MaintenanceWindow | null) => void }) {
  const { t } = useTranslation();
  const windows = useMaintenanceWindows();
  const remove = useDeleteMaintenance();
  const [language] = useLanguage();
  const classes = useCiClasses();
  const className = (code: string) => {
    const c = classes.data?.find((k) => k.code === code);
    return c ? localized(c.name, language) : code;
  };

  const scheduleText = (s: MaintenanceSchedule) => {
    if (s.kind === 'once') {
      return t('alertRouting.maintenance.kinds.once');
    }
    const every = s.kind === 'cron' ? s.cron : `${s.days.map((d) => t(`alertRouting.weekday.${String(d) as Weekday}`)).join('、')} ${s.time}`;
    return t('alertRouting.maintenance.recurring', { every, minutes: s.durationMinutes });
  };

  const columns: TableColumnsType<MaintenanceWindow> = [
    {
      title: t('alertRouting.field.state'),
      key: 'state',
      width: 100,
      render: (_, w) => (!w.enabled ? <Tag>{t('alertRouting.maintenance.disabled')}</Tag> : w.active ? <Tag color="orange">{t('alertRouting.maintenance.active')}</Tag> : <Tag color="blue">{t('alertRouting.maintenance.scheduled')}</Tag>),
    },
    { title: t('alertRouting.field.name'), dataIndex: 'name', width: 200 },
    { title: t('alertRouting.maintenance.schedule'), dataIndex: 'schedule', render: (s: MaintenanceSchedule) => <Typography.Text>{scheduleText(s)}</Typography.Text> },
    {
      title: t('alertRouting.maintenance.next'),
      key: 'next',
      width: 200,
      render: (_, w) => (
        <Space orientation="vertical" size={0}>
          <DateTime value={w.nextStartsAt} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <DateTime value={w.nextEndsAt} />
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('alertRouting.maintenance.scope'),
      dataIndex: 'scope',
      width: 260,
      render: (s: MaintenanceWindow['scope'], w) => <ScopeNames scope={s} cis={w.cis} className={className} />,
    },
    {
      title: t('common.actions'),
      fixed: 'right',
      key: 'actions',
      width: 130,
      render: (_, w) =>
        canWrite ? (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => onEdit(w)}>
              {t('common.edit')}
            </Button>
            <ConfirmButton
              label={t('common.delete')}
              title={t('alertRouting.maintenance.deleteConfirm', { name: w.name })}
              okText={t('common.delete')}
              run={() => remove.mutateAsync(w.id)}
              success={t('common.deleted')}
            />
          </Space>
        ) : null,
    },
  ];

  return (
    <ListTable<MaintenanceWindow>
      rowKey="id"
      columns={columns}
      dataSource={windows.data}
      loading={windows.isLoading}
      pagination={false}
      scroll={{ x: 1000 }}
      empty={{
        description: t('alertRouting.maintenance.empty'),
        action: canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => onEdit(null)} data-testid="create-maintenance-empty">
            {t('alertRouting.maintenance.create')}
          </Button>
        ),
      }}
      data-testid="maintenance-table"
    />
  );
}

/** A window's scope by name: its CIs and business systems (links), its classes; unnamed ones counted. */
function ScopeNames({ scope, cis, className }: { scope: MaintenanceWindow['scope']; cis: MaintenanceWindow['cis']; className: (code: string) => string }) {
  const { t } = useTranslation();
  const names = new Map(cis.map((c) => [c.id, c.name]));
  const line = (label: string, ids: readonly string[]) => {
    const shown = ids.filter((id) => names.has(id));
    const hidden = ids.length - shown.length;
    return ids.length ? (
      <Typography.Text>
        <Typography.Text type="secondary">{label}</Typography.Text>{' '}
        {shown.map((id, i) => (
          <span key={id}>
            {i > 0 && '、'}
            <Link to={`/cmdb/cis/${id}`}>{names.get(id)}</Link>
          </span>
        ))}
        {hidden > 0 && <Typography.Text type="secondary">{`${shown.length ? '、' : ''}${t('alertRouting.maintenance.hiddenCis', { count: hidden })}`}</Typography.Text>}
      </Typography.Text>
    ) : null;
  };
  return (
    <Space orientation="vertical" size={0} data-testid="maintenance-scope">
      {line(t('alertRouting.maintenance.cis'), scope.ciIds)}
      {line(t('alertRouting.maintenance.businessSystems'), scope.businessSystemIds)}
      {scope.classCodes.length > 0 && (
        <Typography.Text>
          <Typography.Text type="secondary">{t('alertRouting.maintenance.classes')}</Typography.Text> {scope.classCodes.map(className).join('、')}
        </Typography.Text>
      )}
    </Space>
  );
}
