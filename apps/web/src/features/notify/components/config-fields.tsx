import { Form, Input, InputNumber, Select, Switch } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChannelType } from '@yunwei/contracts/notify';

interface Props {
  type: ChannelType;
  /** Which secrets the channel already has (editing): an empty field keeps them. */
  secretsSet?: Readonly<Record<string, boolean>>;
}

const DEFAULT_URLS: Partial<Record<ChannelType, string>> = {
  dingtalk: 'https://oapi.dingtalk.com/robot/send',
  wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
  feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook',
};

/** A secret's name as users know it: `headers.Authorization` is the value of the header Authorization. */
export function secretLabel(t: TFunction, field: string): string {
  return field.startsWith('headers.') ? t('notify.headerValue', { name: field.slice('headers.'.length) }) : t(`notify.config.${field}` as 'notify.config.host');
}

/** The configuration of one channel type, as Form.Items under `config`. */
export function ConfigFields({ type, secretsSet = {} }: Props) {
  const { t } = useTranslation();
  const label = (field: string) => t(`notify.config.${field}` as 'notify.config.host');
  const required = (field: string) => [{ required: true, whitespace: true, message: t('notify.validation.required', { field: label(field) }) }];
  const text = (field: string, options: { must?: boolean; placeholder?: string; help?: string } = {}) => (
    <Form.Item name={['config', field]} label={label(field)} rules={options.must ? required(field) : []} extra={options.help}>
      <Input placeholder={options.placeholder} autoComplete="off" data-testid={`notify-config-${field}`} />
    </Form.Item>
  );
  const secret = (field: string, must = false) => {
    const isSet = secretsSet[field] === true;
    return (
      <Form.Item name={['config', field]} label={label(field)} rules={must && !isSet ? required(field) : []} extra={isSet ? t('notify.secretKept') : undefined}>
        <Input.Password autoComplete="new-password" placeholder={isSet ? t('notify.secretSet') : undefined} data-testid={`notify-config-${field}`} />
      </Form.Item>
    );
  };
  const tags = (field: string, placeholder: string, must = false) => (
    <Form.Item name={['config', field]} label={label(field)} rules={must ? [{ required: true, message: t('notify.validation.required', { field: label(field) }) }] : []} extra={t('notify.help.tags')}>
      <Select mode="tags" open={false} tokenSeparators={[',', ' ', ';', '，']} placeholder={placeholder} data-testid={`notify-config-${field}`} />
    </Form.Item>
  );
  const sw = (field: string) => (
    <Form.Item name={['config', field]} label={label(field)} valuePropName="checked">
      <Switch />
    </Form.Item>
  );
  const baseUrl = text('baseUrl', { placeholder: DEFAULT_URLS[type], help: t('notify.help.baseUrl') });

  switch (type) {
    case 'email':
      return (
        <>
          {text('host', { must: true, placeholder: 'smtp.example.cn' })}
          <Form.Item name={['config', 'port']} label={label('port')} rules={[{ required: true, message: t('notify.validation.required', { field: label('port') }) }]}>
            <InputNumber min={1} max={65535} precision={0} placeholder="465" style={{ width: 160 }} data-testid="notify-config-port" />
          </Form.Item>
          <Form.Item name={['config', 'security']} label={label('security')} rules={[{ required: true }]}>
            <Select options={(['tls', 'starttls', 'none'] as const).map((v) => ({ value: v, label: t(`notify.security.${v}`) }))} style={{ width: 260 }} data-testid="notify-config-security" />
          </Form.Item>
          {text('user')}
          {secret('password')}
          {text('from', { must: true, placeholder: '运维 <yunwei@example.cn>' })}
          {tags('to', 'ops@example.cn', true)}
          {sw('insecureSkipVerify')}
        </>
      );
    case 'webhook':
      return (
        <>
          {text('url', { must: true, placeholder: 'https://hooks.example.cn/yunwei' })}
          <Form.Item name={['config', 'headers']} label={label('headers')} extra={t('notify.help.headers')}>
            <Input.TextArea rows={3} placeholder="Authorization: Bearer …" />
          </Form.Item>
          {secret('secret')}
        </>
      );
    case 'dingtalk':
      return (
        <>
          {secret('accessToken', true)}
          {secret('signSecret')}
          {tags('atMobiles', '13800000000')}
          {sw('atAll')}
          {baseUrl}
        </>
      );
    case 'wecom':
      return (
        <>
          {secret('key', true)}
          {tags('mentionedUserIds', 'zhangsan')}
          {tags('mentionedMobiles', '13800000000')}
          {baseUrl}
        </>
      );
    case 'feishu':
      return (
        <>
          {secret('token', true)}
          {secret('signSecret')}
          {baseUrl}
        </>
      );
  }
}

/**
 * Form values → API configuration: empty fields left out (a blank secret keeps the stored one), headers
 * parsed. Header values are secrets: a header with an empty value (`Authorization:`) keeps its stored
 * value (`null`), a header left out is removed.
 */
export function configFromForm(values: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)) {
      continue;
    }
    if (key === 'headers' && typeof value === 'string') {
      out.headers = Object.fromEntries(
        value
          .split('\n')
          .map((line) => line.split(/:(.*)/s).map((s) => s.trim()))
          .filter(([name]) => name)
          .map(([name, v]) => [name, v ? v : null]),
      );
    } else {
      out[key] = typeof value === 'string' ? value.trim() : value;
    }
  }
  return out;
}

/** API configuration → form values: headers as `Name:` lines, their values never come back from the server. */
export function configToForm(config: Record<string, unknown>): Record<string, unknown> {
  const headers = config.headers as Record<string, string | null> | undefined;
  return headers ? { ...config, headers: Object.entries(headers).map(([k, v]) => `${k}: ${v ?? ''}`.trimEnd()).join('\n') } : { ...config };
}
