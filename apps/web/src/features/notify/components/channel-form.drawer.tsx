import { useEffect } from 'react';
import { Alert, Form, Input, InputNumber, Select, Space, Switch, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHANNEL_DESTINATION_FIELDS, CHANNEL_TYPES, NOTIFY_LIMITS, NOTIFY_LOCALES, type ChannelType, type NotifyChannel, type NotifyLocale } from '@yunwei/contracts/notify';
import { ApiError } from '../../../app/api-client';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';
import { destinationChanged, hasStoredSecrets } from '../../../shared/secret-destination';
import { useChannels, useCreateChannel, useUpdateChannel } from '../api/use-notify';
import { ConfigFields, configFromForm, configToForm, secretLabel } from './config-fields';

interface FormValues {
  name: string;
  type: ChannelType;
  locale: NotifyLocale;
  enabled: boolean;
  isDefault: boolean;
  ratePerMinute: number;
  maxAttempts: number;
  config?: Record<string, unknown>;
}

interface Props {
  open: boolean;
  /** The channel to edit; null: a new one. */
  channel: NotifyChannel | null;
  onClose: () => void;
  /** Called with the saved channel as the drawer closes (e.g. the check form selects a new channel). */
  onSaved?: (channel: NotifyChannel) => void;
}

/** The server's field errors; a header's own error (`body.config.headers.X-Name`: no stored value to keep) belongs on the headers box. */
function showErrors(form: FormInstance<FormValues>, error: unknown): void {
  applyServerErrors(form, error);
  const field = error instanceof ApiError ? error.details?.field : undefined;
  if (error instanceof ApiError && field?.startsWith('body.config.headers.')) {
    form.setFields([{ name: ['config', 'headers'], errors: [`${field.slice('body.config.headers.'.length)}: ${error.message}`] }]);
  }
}

/** Create or change a notification channel: the common fields, then the configuration of its type. */
export function ChannelFormDrawer({ open, channel, onClose, onSaved }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const type = Form.useWatch('type', form) ?? channel?.type ?? 'dingtalk';
  const config = Form.useWatch('config', form) as Record<string, unknown> | undefined;
  // Editing and the destination differs from the stored one: the stored secrets will not follow it.
  const moved = channel !== null && hasStoredSecrets(channel.secretsSet) && config !== undefined && destinationChanged(CHANNEL_DESTINATION_FIELDS[channel.type], channel.config, configFromForm(config));
  const create = useCreateChannel();
  const update = useUpdateChannel();
  const channels = useChannels();
  // The first channel of an install: critical alerts have nowhere else to go, so it is offered (checked) as the default.
  const first = channel === null && channels.isSuccess && channels.data.length === 0;

  // Once the list is known (and while the user has not chosen), a new channel starts as default only if it is the first.
  useEffect(() => {
    if (open && channel === null && !form.isFieldTouched('isDefault')) {
      form.setFieldValue('isDefault', first);
    }
  }, [open, channel, first, form]);

  const submit = (values: FormValues) => {
    const common = { name: values.name.trim(), locale: values.locale, enabled: values.enabled, isDefault: values.isDefault, ratePerMinute: values.ratePerMinute, maxAttempts: values.maxAttempts, config: configFromForm(values.config) };
    return channel ? update.mutateAsync({ id: channel.id, body: common }) : create.mutateAsync({ ...common, type: values.type });
  };

  // Saved, but a changed destination cleared stored secrets: say which, instead of a plain "saved".
  const saved = (result: NotifyChannel) => {
    const dropped = result.secretsDropped ?? [];
    if (dropped.length) {
      const fields = new Intl.ListFormat(i18n.language).format(dropped.map((field) => secretLabel(t, field)));
      void feedback.current?.message.warning(t('notify.secretsDropped', { fields }), 8);
    } else {
      void feedback.current?.message.success(t(channel ? 'common.saved' : 'notify.created'));
    }
    onSaved?.(result);
  };

  return (
    <FormDrawer<FormValues, NotifyChannel>
      open={open}
      editing={channel !== null}
      form={form}
      title={t('notify.createTitle')}
      editTitle={channel && t('notify.editTitle', { name: channel.name })}
      name="notify-channel-form"
      testId="notify-channel-form"
      initialValues={
        channel
          ? { name: channel.name, type: channel.type, locale: channel.locale, enabled: channel.enabled, isDefault: channel.isDefault, ratePerMinute: channel.ratePerMinute, maxAttempts: channel.maxAttempts, config: configToForm(channel.config) }
          : // A new channel writes in the language its creator works in (changeable below).
            { type: 'dingtalk', locale: i18n.language === 'en' ? 'en' : 'zh-CN', enabled: true, isDefault: first, ratePerMinute: NOTIFY_LIMITS.defaultRatePerMinute, maxAttempts: NOTIFY_LIMITS.defaultMaxAttempts, config: {} }
      }
      onSubmit={submit}
      success={null}
      onSaved={saved}
      fieldErrors={showErrors}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('notify.field.name')} rules={[{ required: true, whitespace: true, message: t('notify.validation.required', { field: t('notify.field.name') }) }, { max: 100 }]}>
        <Input data-testid="notify-name" />
      </Form.Item>
      <Form.Item name="type" label={t('notify.field.type')} rules={[{ required: true }]} extra={channel ? t('notify.help.typeFixed') : undefined}>
        <Select
          disabled={channel !== null}
          options={CHANNEL_TYPES.map((v) => ({ value: v, label: t(`notify.type.${v}`) }))}
          onChange={(next: ChannelType) => form.setFieldValue('config', next === 'email' ? { security: 'tls', port: 465 } : {})}
          style={{ width: 260 }}
          data-testid="notify-type"
        />
      </Form.Item>
      <Form.Item name="isDefault" label={t('notify.field.isDefault')} valuePropName="checked" extra={<span data-testid="notify-is-default-help">{t(first ? 'notify.help.isDefaultFirst' : 'notify.help.isDefault')}</span>}>
        <Switch checkedChildren={t('notify.default')} data-testid="notify-is-default" />
      </Form.Item>
      {moved && <Alert showIcon type="warning" title={t('notify.destinationChanged')} style={{ marginBottom: 16 }} data-testid="notify-destination-changed" />}
      <ConfigFields type={type} secretsSet={channel?.secretsSet} />
      <Space size="large" wrap>
        <Form.Item name="locale" label={t('notify.field.locale')}>
          <Select options={NOTIFY_LOCALES.map((v) => ({ value: v, label: t(`notify.locale.${v}`) }))} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="ratePerMinute" label={t('notify.field.ratePerMinute')} tooltip={t('notify.help.ratePerMinute')}>
          <InputNumber min={1} max={10_000} precision={0} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="maxAttempts" label={t('notify.field.maxAttempts')}>
          <InputNumber min={1} max={NOTIFY_LIMITS.maxAttempts} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="enabled" label={t('notify.field.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
    </FormDrawer>
  );
}
