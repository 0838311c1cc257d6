import { useEffect, useState } from 'react';
import { Button, Flex, Space, Tag, theme, Typography, type TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { NotificationPolicy } from '@yunwei/contracts/alert-routing';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useLocalName } from '../../../shared/local-name';
import { useDeletePolicy, useEscalationPolicies, useNotificationPolicies, useReorderPolicies } from '../api/use-alert-routing';
import { matchersText } from './matchers-editor';
import { PolicyFormDrawer } from './policy-form.drawer';

/**
 * Notification policies in evaluation order (first match wins unless "continue"); the built-in default
 * policy last (critical alerts to the default channels, unless an administrator changed its matching).
 */
export function PoliciesTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const policies = useNotificationPolicies();
  const escalations = useEscalationPolicies();
  const reorder = useReorderPolicies();
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<NotificationPolicy | null | undefined>(undefined);
  const ordered = (policies.data ?? []).filter((p) => !p.isDefault);
  const escalationName = (id: string | null) => escalations.data?.find((e) => e.id === id)?.name;
  // `?policy=<id>` (a link from a check's detail): that policy is marked, and who may change it gets its form.
  const { token } = theme.useToken();
  const [params, setParams] = useSearchParams();
  const [linked, setLinked] = useState<string | null>(null);
  useEffect(() => {
    const id = params.get('policy');
    const policy = id ? policies.data?.find((p) => p.id === id) : undefined;
    if (!policy) {
      return;
    }
    setLinked(policy.id);
    if (canWrite) {
      setEditing(policy);
    }
    setParams({}, { replace: true });
  }, [params, policies.data, canWrite, setParams]);

  const move = (index: number, by: -1 | 1) => {
    const ids = ordered.map((p) => p.id);
    [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
    reorder.mutate(ids);
  };

  const createButton = (testId: string) =>
    canWrite && (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid={testId}>
        {t('alertRouting.policy.create')}
      </Button>
    );

  const columns: TableColumnsType<NotificationPolicy> = [
    { title: '#', key: 'order', width: 50, render: (_, p, i) => (p.isDefault ? '' : i + 1) },
    {
      title: t('alertRouting.field.name'),
      dataIndex: 'name',
      width: 180,
      render: (name: string, p) => (
        <Space wrap size={4}>
          {localName(name, p.nameEn)}
          {p.isDefault && (
            <Tag color="purple" title={t('alertRouting.policy.builtInHelp')} data-testid="policy-built-in-tag">
              {t('alertRouting.policy.builtIn')}
            </Tag>
          )}
          {!p.enabled && <Tag>{t('alertRouting.maintenance.disabled')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('alertRouting.field.matchers'),
      dataIndex: 'matchers',
      width: 260,
      render: (m: NotificationPolicy['matchers']) =>
        !m.length ? (
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
      render: (id: string | null, p) =>
        escalationName(id) ?? (p.notifyDefaultChannels ? <Typography.Text type="secondary">{t('common.empty')}</Typography.Text> : <Typography.Text type="warning">{t('alertRouting.policy.noEscalation')}</Typography.Text>),
    },
    {
      title: t('alertRouting.policy.defaultChannels'),
      dataIndex: 'notifyDefaultChannels',
      width: 110,
      render: (on: boolean) => (on ? <Tag color="blue">{t('common.on')}</Tag> : t('common.off')),
    },
    { title: t('alertRouting.policy.continue'), dataIndex: 'continue', width: 130, render: (c: boolean) => (c ? t('common.on') : t('common.off')) },
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
              <ConfirmButton
                label={t('common.delete')}
                title={t('alertRouting.policy.deleteConfirm', { name: localName(p.name, p.nameEn) })}
                okText={t('common.delete')}
                run={() => remove.mutateAsync(p.id)}
                success={t('common.deleted')}
              />
            )}
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="start" gap={16} style={{ marginBottom: 16 }}>
        {/* Only the built-in policy yet: what it already does, and what a policy of one's own adds. */}
        <Typography.Text type="secondary" data-testid="policies-hint">
          {t(policies.isSuccess && ordered.length === 0 ? 'alertRouting.policy.empty' : 'alertRouting.policy.orderHint')}
        </Typography.Text>
        {createButton('create-policy')}
      </Flex>
      <ListTable<NotificationPolicy>
        rowKey="id"
        columns={columns}
        dataSource={policies.data}
        loading={policies.isLoading || reorder.isPending}
        pagination={false}
        scroll={{ x: 1360 }}
        onRow={(p) => (p.id === linked ? { style: { background: token.colorPrimaryBg } } : {})}
        empty={{ description: t('alertRouting.policy.empty'), action: createButton('create-policy-empty') }}
        data-testid="policies-table"
      />
      <PolicyFormDrawer open={editing !== undefined} policy={editing ?? null} onClose={() => setEditing(undefined)} />
    </>
  );
}
