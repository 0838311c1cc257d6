import { Form, Input, InputNumber, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { DNS_RECORD_TYPES, type CheckType } from '@yunwei/contracts/checks';

interface Props {
  type: CheckType;
  /** Which secrets the check already has (editing): an empty field keeps them. */
  secretsSet?: Record<string, boolean>;
}

const HOST_RULE = { required: true, whitespace: true } as const;

/** The settings of one check type, as Form.Items under `settings`. */
export function SettingsFields({ type, secretsSet = {} }: Props) {
  const { t } = useTranslation();
  const label = (field: string) => t(`checks.settings.${field}` as 'checks.settings.host');
  const required = (field: string) => [{ ...HOST_RULE, message: t('checks.validation.required', { field: label(field) }) }];
  const secret = (field: string) => (
    <Form.Item name={['settings', field]} label={label(field)} extra={secretsSet[field] ? t('checks.secretKept') : undefined}>
      <Input.Password autoComplete="new-password" placeholder={secretsSet[field] ? t('checks.secretSet') : undefined} data-testid={`check-settings-${field}`} />
    </Form.Item>
  );
  const host = (
    <Form.Item name={['settings', 'host']} label={label('host')} rules={required('host')}>
      <Input placeholder="db1.example.cn / 10.0.0.5" data-testid="check-settings-host" />
    </Form.Item>
  );
  const port = (placeholder?: number, must = false) => (
    <Form.Item name={['settings', 'port']} label={label('port')} rules={must ? [{ required: true, message: t('checks.validation.required', { field: label('port') }) }] : []}>
      <InputNumber min={1} max={65535} precision={0} placeholder={placeholder ? String(placeholder) : undefined} style={{ width: 160 }} data-testid="check-settings-port" />
    </Form.Item>
  );
  const sw = (field: string) => (
    <Form.Item name={['settings', field]} label={label(field)} valuePropName="checked">
      <Switch />
    </Form.Item>
  );
  const slow = (
    <Form.Item name={['settings', 'slowQuerySeconds']} label={label('slowQuerySeconds')}>
      <InputNumber min={0.1} max={86400} placeholder="5" style={{ width: 160 }} suffix={t('checks.unit.seconds')} />
    </Form.Item>
  );

  switch (type) {
    case 'icmp':
      return (
        <>
          {host}
          <Form.Item name={['settings', 'count']} label={label('count')}>
            <InputNumber min={1} max={10} precision={0} placeholder="3" style={{ width: 160 }} />
          </Form.Item>
        </>
      );
    case 'tcp':
      return (
        <>
          {host}
          {port(undefined, true)}
        </>
      );
    case 'http':
      return (
        <>
          <Form.Item name={['settings', 'url']} label={label('url')} rules={required('url')}>
            <Input placeholder="https://portal.example.cn/health" data-testid="check-settings-url" />
          </Form.Item>
          <Form.Item name={['settings', 'method']} label={label('method')}>
            <Select allowClear placeholder="GET" options={['GET', 'HEAD'].map((m) => ({ value: m, label: m }))} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name={['settings', 'expectedStatus']} label={label('expectedStatus')} extra={t('checks.help.expectedStatus')}>
            <Input placeholder="200, 301" />
          </Form.Item>
          <Form.Item name={['settings', 'bodyMatch']} label={label('bodyMatch')}>
            <Input data-testid="check-settings-bodyMatch" />
          </Form.Item>
          <Form.Item name={['settings', 'bodyMatchKind']} label={label('bodyMatchKind')}>
            <Select
              allowClear
              placeholder={t('checks.bodyMatchKind.substring')}
              options={(['substring', 'regex'] as const).map((k) => ({ value: k, label: t(`checks.bodyMatchKind.${k}`) }))}
              style={{ width: 200 }}
            />
          </Form.Item>
          {sw('followRedirects')}
          <Form.Item name={['settings', 'maxRedirects']} label={label('maxRedirects')}>
            <InputNumber min={0} max={10} precision={0} placeholder="5" style={{ width: 160 }} />
          </Form.Item>
          {sw('insecureSkipVerify')}
        </>
      );
    case 'dns':
      return (
        <>
          <Form.Item name={['settings', 'name']} label={label('name')} rules={required('name')}>
            <Input placeholder="portal.example.cn" />
          </Form.Item>
          <Form.Item name={['settings', 'recordType']} label={label('recordType')}>
            <Select allowClear placeholder="A" options={DNS_RECORD_TYPES.map((r) => ({ value: r, label: r }))} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name={['settings', 'server']} label={label('server')} extra={t('checks.help.server')}>
            <Input placeholder="10.0.0.53:53" />
          </Form.Item>
          <Form.Item name={['settings', 'expected']} label={label('expected')}>
            <Input placeholder="10.1.2.3" />
          </Form.Item>
        </>
      );
    case 'snmp':
      return (
        <>
          {host}
          {port(161)}
          <Form.Item name={['settings', 'version']} label={label('version')} rules={[{ required: true }]} initialValue="2c">
            <Select options={[{ value: '2c', label: 'v2c' }, { value: '3', label: 'v3 (USM)' }]} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a, b) => a.settings?.version !== b.settings?.version}>
            {({ getFieldValue }) =>
              getFieldValue(['settings', 'version']) === '3' ? (
                <>
                  <Form.Item name={['settings', 'username']} label={label('username')} rules={required('username')}>
                    <Input autoComplete="off" />
                  </Form.Item>
                  <Form.Item name={['settings', 'securityLevel']} label={label('securityLevel')}>
                    <Select allowClear placeholder="authPriv" options={['noAuthNoPriv', 'authNoPriv', 'authPriv'].map((v) => ({ value: v, label: v }))} style={{ width: 200 }} />
                  </Form.Item>
                  <Form.Item name={['settings', 'authProtocol']} label={label('authProtocol')}>
                    <Select allowClear placeholder="SHA" options={['md5', 'sha', 'sha256', 'sha512'].map((v) => ({ value: v, label: v.toUpperCase() }))} style={{ width: 160 }} />
                  </Form.Item>
                  {secret('authPassword')}
                  <Form.Item name={['settings', 'privProtocol']} label={label('privProtocol')}>
                    <Select allowClear placeholder="AES" options={['des', 'aes', 'aes256b', 'aes256r'].map((v) => ({ value: v, label: v.toUpperCase() }))} style={{ width: 160 }} />
                  </Form.Item>
                  {secret('privPassword')}
                </>
              ) : (
                secret('community')
              )
            }
          </Form.Item>
        </>
      );
    case 'postgres':
    case 'mysql':
      return (
        <>
          {host}
          {port(type === 'postgres' ? 5432 : 3306)}
          <Form.Item name={['settings', 'database']} label={label('database')} rules={type === 'postgres' ? required('database') : []}>
            <Input />
          </Form.Item>
          <Form.Item name={['settings', 'user']} label={label('user')} rules={required('user')}>
            <Input autoComplete="off" />
          </Form.Item>
          {secret('password')}
          {type === 'postgres' && sw('ssl')}
          {slow}
          {sw('replica')}
        </>
      );
  }
}

/** Form values → API settings: empty fields left out (a blank secret keeps the stored one), status codes parsed. */
export function settingsFromForm(values: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      continue;
    }
    if (key === 'expectedStatus' && typeof value === 'string') {
      out[key] = value
        .split(/[,\s]+/)
        .filter(Boolean)
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    } else {
      out[key] = typeof value === 'string' && key !== 'bodyMatch' ? value.trim() : value;
    }
  }
  return out;
}

/** API settings → form values (status codes as text). */
export function settingsToForm(settings: Record<string, unknown>): Record<string, unknown> {
  const expected = settings.expectedStatus;
  return Array.isArray(expected) ? { ...settings, expectedStatus: expected.join(', ') } : { ...settings };
}
