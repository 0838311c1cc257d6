import { useState } from 'react';
import { Button, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { NotificationPolicy } from '@yunwei/contracts/alert-routing';
import { feedback } from '../../../shared/feedback';
import { useDeletePolicy, useEscalationPolicies, useNotificationPolicies, useReorderPolicies } from '../api/use-alert-routing';
import { matchersText } from './matchers-editor';
import { PolicyFormDrawer } from './policy-form.drawer';

/** Notification policies in evaluation order (first match wins unless "continue"); the default last. */
export function PoliciesTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const policies = useNotificationPolicies();
  const escalations = useEscalationPolicies();
  const reorder = useReorderPolicies();
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<NotificationPolicy | null | undefined>(undefined);
  const ordered = (policies.data ?? []).filter((p) => !p.isDefault);
  const escalationName = (id: string | null) => escalations.data?.find((e) => e.id === id)?.name;

  const move = (index: number, by: -1 | 1) => {
    const ids = ordered.map((p) => p.id);
    [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
    reorder.mutate(ids);
  };

  const columns: TableColumnsType<NotificationPolicy> = [
    { title: '#', key: 'order', width: 50, render: (_, p, i) => (p.isDefault ? '' : i + 1) },
    {
      title: t('alertRouting.field.name'),
      dataIndex: 'name',
      width: 180,
      render: (name: string, p) => (
        <Space>
          {name}
          {p.isDefault && <Tag>{t('alertRouting.policy.default')}</Tag>}
          {!p.enabled && <Tag>{t('alertRouting.maintenance.disabled')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('alertRouting.field.matchers'),
      dataIndex: 'matchers',
      width: 260,
      render: (m: NotificationPolicy['matchers'], p) =>
        p.isDefault || !m.length ? (
          <Typography.Text type="secondary">{t('alertRouting.policy.matchAll')}</Typography.Text>
        ) : (
          <Typography.Text code style={{ whiteSpace: 'normal' }}>
            {matchersText(m)}
          </Typography.Text>
        ),
    },
    { title: t('alertRouting.policy.groupBy'), dataIndex: 'groupBy', width: 130, render: (g: string[]) => g.join(', ') || t('alertRouting.policy.oneGroup') },
    {
      title: t('alertRouting.policy.timing'),
      key: 'timing',
      width: 200,
      render: (_, p) => t('alertRouting.policy.timingText', { wait: p.groupWaitSeconds, interval: p.groupIntervalSeconds, repeat: Math.round(p.repeatIntervalSeconds / 60) }),
    },
    {
      title: t('alertRouting.policy.escalation'),
      dataIndex: 'escalationPolicyId',
      width: 160,
      render: (id: string | null) => escalationName(id) ?? <Typography.Text type="warning">{t('alertRouting.policy.noEscalation')}</Typography.Text>,
    },
    { title: t('alertRouting.policy.continue'), dataIndex: 'continue', width: 100, render: (c: boolean) => (c ? t('common.on') : t('common.off')) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_, p, i) =>
        canWrite ? (
          <Space size={0}>
            {!p.isDefault && <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('alertRouting.policy.moveUp')} />}
            {!p.isDefault && <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === ordered.length - 1} onClick={() => move(i, 1)} aria-label={t('alertRouting.policy.moveDown')} />}
            <Button type="link" size="small" onClick={() => setEditing(p)}>
              {t('common.edit')}
            </Button>
            {!p.isDefault && (
              <Popconfirm
                title={t('alertRouting.policy.deleteConfirm', { name: p.name })}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  remove
                    .mutateAsync(p.id)
                    .then(() => void feedback.current?.message.success(t('common.deleted')))
                    .catch(() => undefined)
                }
              >
                <Button type="link" size="small" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t('alertRouting.policy.orderHint')}</Typography.Text>
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-policy">
            {t('alertRouting.policy.create')}
          </Button>
        )}
      </Space>
      <Table<NotificationPolicy> rowKey="id" columns={columns} dataSource={policies.data} loading={policies.isLoading || reorder.isPending} pagination={false} scroll={{ x: 1250 }} data-testid="policies-table" />
      <PolicyFormDrawer open={editing !== undefined} policy={editing ?? null} onClose={() => setEditing(undefined)} />
    </>
  );
}
