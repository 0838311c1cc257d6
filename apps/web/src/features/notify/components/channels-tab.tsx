import { useState } from 'react';
import { Alert, Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { NotifyChannel, NotifyTestResult } from '@yunwei/contracts/notify';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton, runWithFeedback } from '../../../shared/confirm-mutation';
import { useChannels, useDeleteChannel, useTestChannel } from '../api/use-notify';
import { ChannelFormDrawer } from './channel-form.drawer';
import { secretLabel } from './config-fields';

/**
 * The channels: type, language, limits, which secrets are set; create, edit, delete (`canWrite`:
 * system administrators), send a test message (`canSend`: operators too).
 */
export function ChannelsTab({ canWrite, canSend }: { canWrite: boolean; canSend: boolean }) {
  const { t } = useTranslation();
  const channels = useChannels();
  const test = useTestChannel();
  const remove = useDeleteChannel();
  const [editing, setEditing] = useState<NotifyChannel | null | undefined>(undefined);
  const [lastTest, setLastTest] = useState<{ channel: string; result: NotifyTestResult } | null>(null);

  // The outcome stays on screen (with the endpoint's error), rather than a toast that goes away.
  const sendTest = (channel: NotifyChannel) => runWithFeedback({ run: () => test.mutateAsync(channel.id), success: null, onDone: (result) => setLastTest({ channel: channel.name, result }) });

  const createButton = (testId: string, label: string) =>
    canWrite && (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid={testId}>
        {label}
      </Button>
    );

  const columns: TableColumnsType<NotifyChannel> = [
    {
      title: t('notify.field.name'),
      dataIndex: 'name',
      render: (name: string, c) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{name}</Typography.Text>
          <Space size={0}>
            {c.isDefault && (
              <Tag color="blue" title={t('notify.help.isDefault')} data-testid="notify-default-tag">
                {t('notify.default')}
              </Tag>
            )}
            {!c.enabled && <Tag>{t('notify.disabled')}</Tag>}
          </Space>
        </Space>
      ),
    },
    { title: t('notify.field.type'), dataIndex: 'type', width: 150, render: (type: NotifyChannel['type']) => t(`notify.type.${type}`) },
    { title: t('notify.field.locale'), dataIndex: 'locale', width: 160, render: (locale: NotifyChannel['locale']) => t(`notify.locale.${locale}`) },
    {
      title: t('notify.field.secrets'),
      dataIndex: 'secretsSet',
      width: 220,
      render: (secretsSet: NotifyChannel['secretsSet']) => {
        const set = Object.keys(secretsSet).filter((field) => secretsSet[field]);
        return set.length ? (
          set.map((field) => (
            <Tag key={field} color="green">
              {secretLabel(t, field)} · {t('notify.secretSet')}
            </Tag>
          ))
        ) : (
          <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
        );
      },
    },
    { title: t('notify.field.ratePerMinute'), dataIndex: 'ratePerMinute', width: 130, align: 'right' },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 250,
      fixed: 'right',
      render: (_, c) => (
        <Space size={0}>
          {canSend && (
            <Button type="link" size="small" icon={<SendOutlined />} loading={test.isPending && test.variables === c.id} onClick={() => void sendTest(c)} data-testid={`notify-test-${c.id}`}>
              {t('notify.sendTest')}
            </Button>
          )}
          {canWrite && (
            <Button type="link" size="small" onClick={() => setEditing(c)}>
              {t('common.edit')}
            </Button>
          )}
          {canWrite && <ConfirmButton label={t('common.delete')} title={t('notify.deleteConfirm', { name: c.name })} okText={t('common.delete')} run={() => remove.mutateAsync(c.id)} success={t('common.deleted')} />}
        </Space>
      ),
    },
  ];

  return (
    <>
      {canWrite && <Space style={{ marginBottom: 16 }}>{createButton('notify-create', t('notify.create'))}</Space>}
      {lastTest && (
        <Alert
          showIcon
          closable={{ onClose: () => setLastTest(null) }}
          type={lastTest.result.ok ? 'success' : 'error'}
          title={lastTest.result.ok ? t('notify.testSent', { name: lastTest.channel, ms: lastTest.result.durationMs }) : t('notify.testFailed', { name: lastTest.channel })}
          description={lastTest.result.error ?? undefined}
          style={{ marginBottom: 16 }}
          data-testid="notify-test-result"
        />
      )}
      <ListTable<NotifyChannel>
        rowKey="id"
        columns={columns}
        dataSource={channels.data}
        loading={channels.isLoading}
        scroll={{ x: 1060 }}
        empty={{ description: t('notify.empty'), action: createButton('notify-create-empty', t('notify.createFirst')) }}
        pagination={false}
        data-testid="notify-channels-table"
      />
      <ChannelFormDrawer open={editing !== undefined} channel={editing ?? null} onClose={() => setEditing(undefined)} />
    </>
  );
}
