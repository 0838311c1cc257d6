import { useState } from 'react';
import { Button, Space, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { EscalationPolicy, EscalationStep } from '@yunwei/contracts/alert-routing';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useChannels } from '../../notify/api/use-notify';
import { useDeleteEscalation, useEscalationPolicies } from '../api/use-alert-routing';
import { EscalationFormDrawer } from './escalation-form.drawer';

/** Escalation policies with their steps in one line each. */
export function EscalationsTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const policies = useEscalationPolicies();
  const channels = useChannels();
  const remove = useDeleteEscalation();
  const [editing, setEditing] = useState<EscalationPolicy | null | undefined>(undefined);
  const channelName = (id: string) => channels.data?.find((c) => c.id === id)?.name ?? id.slice(0, 8);

  const stepText = (s: EscalationStep) =>
    t('alertRouting.escalation.stepText', {
      minutes: s.afterMinutes,
      targets: s.targets.map((x) => `${t(`alertRouting.escalation.target.${x.type}`)} → ${channelName(x.channelId)}`).join('；'),
    });

  const createButton = (testId: string) =>
    canWrite && (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid={testId}>
        {t('alertRouting.escalation.create')}
      </Button>
    );

  const columns: TableColumnsType<EscalationPolicy> = [
    { title: t('alertRouting.field.name'), dataIndex: 'name', width: 200 },
    {
      title: t('alertRouting.escalation.steps'),
      dataIndex: 'steps',
      render: (steps: EscalationStep[]) => (
        <Space orientation="vertical" size={0}>
          {steps.map((s, i) => (
            <Typography.Text key={i}>{`${i + 1}. ${stepText(s)}`}</Typography.Text>
          ))}
        </Space>
      ),
    },
    { title: t('alertRouting.escalation.repeat'), dataIndex: 'repeat', width: 90 },
    {
      title: t('common.actions'),
      fixed: 'right',
      key: 'actions',
      width: 130,
      render: (_, p) =>
        canWrite ? (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setEditing(p)}>
              {t('common.edit')}
            </Button>
            <ConfirmButton label={t('common.delete')} title={t('alertRouting.escalation.deleteConfirm', { name: p.name })} okText={t('common.delete')} run={() => remove.mutateAsync(p.id)} success={t('common.deleted')} />
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      {canWrite && (
        <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'flex-end' }}>
          {createButton('create-escalation')}
        </Space>
      )}
      <ListTable<EscalationPolicy>
        rowKey="id"
        columns={columns}
        dataSource={policies.data}
        loading={policies.isLoading}
        pagination={false}
        empty={{ description: t('alertRouting.escalation.empty'), action: createButton('create-escalation-empty') }}
        data-testid="escalations-table"
      />
      <EscalationFormDrawer open={editing !== undefined} policy={editing ?? null} onClose={() => setEditing(undefined)} />
    </>
  );
}
