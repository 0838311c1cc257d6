import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Form, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { CHECK_LIMITS } from '@yunwei/contracts/checks';
import type { NotifyChannelList } from '@yunwei/contracts/notify';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { ChannelFormDrawer } from '../../notify/components/channel-form.drawer';

/** The notification channels to choose from (the notify pages' query: one cache), for those who may read them. */
function useChannelChoices() {
  const { can } = useAuth();
  return useQuery({
    queryKey: ['notify', 'channels'],
    queryFn: ({ signal }) => api.get<NotifyChannelList>('/api/notify/channels', { limit: 500 }, signal),
    select: (data) => data.items,
    enabled: can('notify.channel.read'),
  });
}

/**
 * The alerting part of the check form (as in Uptime Kuma): how many failed probes in a row it
 * tolerates before it counts as down and alerts, and the channels its alerts go to. Saving the form
 * keeps the check's own alert rule and notification policy in step (the server does that).
 */
export function CheckAlertingFields() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const channels = useChannelChoices();
  const canRoute = can('alerting.policy.write') && can('notify.channel.read');
  const form = Form.useFormInstance();
  // No fitting channel yet: one is made without leaving the form, and comes back selected.
  const [creatingChannel, setCreatingChannel] = useState(false);
  const selectCreated = (id: string) => {
    const current = (form.getFieldValue('notifyChannelIds') as string[] | undefined) ?? [];
    form.setFieldValue('notifyChannelIds', [...new Set([...current, id])]);
  };
  return (
    <>
      <Form.Item
        name="retries"
        label={t('checks.field.retries')}
        extra={t('checks.help.retries')}
        rules={[{ required: true, type: 'number', min: 0, max: CHECK_LIMITS.maxRetries, message: t('checks.validation.retries', { max: CHECK_LIMITS.maxRetries }) }]}
      >
        <InputNumber min={0} max={CHECK_LIMITS.maxRetries} precision={0} style={{ width: 180 }} data-testid="check-retries" />
      </Form.Item>
      <Form.Item name="notifyChannelIds" label={t('checks.field.notifyVia')} extra={canRoute ? t('checks.help.notifyVia') : t('checks.help.notifyViaNeedsPermission')}>
        <Select
          mode="multiple"
          allowClear
          disabled={!canRoute}
          loading={channels.isLoading}
          placeholder={t('checks.placeholder.notifyVia')}
          optionFilterProp="label"
          options={(channels.data ?? []).map((c) => ({
            value: c.id,
            label: c.name,
            title: c.name,
            render: (
              <Space size={4}>
                {c.name}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`notify.type.${c.type}` as 'notify.type.webhook')}
                </Typography.Text>
                {c.isDefault && <Tag style={{ marginInlineEnd: 0 }}>{t('checks.defaultChannel')}</Tag>}
                {!c.enabled && <Tag style={{ marginInlineEnd: 0 }}>{t('checks.channelDisabled')}</Tag>}
              </Space>
            ),
          }))}
          optionRender={(option) => option.data.render}
          data-testid="check-notify-via"
        />
      </Form.Item>
      {canRoute && can('notify.channel.write') && (
        <>
          <Button icon={<PlusOutlined />} onClick={() => setCreatingChannel(true)} style={{ marginTop: -12, marginBottom: 16 }} data-testid="check-notify-new-channel">
            {t('checks.newChannel')}
          </Button>
          <ChannelFormDrawer open={creatingChannel} channel={null} onClose={() => setCreatingChannel(false)} onSaved={(c) => selectCreated(c.id)} />
        </>
      )}
    </>
  );
}

/** The channels a new check starts with: the enabled default channels (as Uptime Kuma preselects its default notifications). */
export function useDefaultChannelIds(): string[] {
  const channels = useChannelChoices();
  return (channels.data ?? []).filter((c) => c.isDefault && c.enabled).map((c) => c.id);
}
