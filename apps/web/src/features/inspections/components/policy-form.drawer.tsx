import { Button, Form, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ROLE_KINDS_FOR_DUTY, type MonitoringPolicy, type MonitoringPolicyCreate } from '@yunwei/contracts/inspections';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { useSavePolicy, useTemplates } from '../api/use-inspections';
import { SelectorInput } from '../../../shared/components/selector-input';
import { useSeededText } from '../../../shared/use-seeded-text';
import { ScopeFields } from './scope-fields';

const CHECK_TYPES = ['icmp', 'tcp', 'http', 'dns', 'snmp', 'postgres', 'mysql'];

const toValues = ({ name, description, scope, metrics, checks, inspections, responsibleRole, enabled, reviewMonths }: MonitoringPolicy) => ({ name, description, scope, metrics, checks, inspections, responsibleRole, enabled, reviewMonths });

const NEW_POLICY = { scope: { kind: 'class', classCode: 'server' }, metrics: [{ metric: 'host_cpu_usage_percent', maxIntervalSeconds: 60 }], checks: [], inspections: [], responsibleRole: 'operator', enabled: true, reviewMonths: 12 };

/** The monitoring policy (监控制度) of a CI class or business system. */
export function PolicyFormDrawer({ open, policy, onClose }: { open: boolean; policy: MonitoringPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSavePolicy();
  const templates = useTemplates();
  const seeded = useSeededText();
  const list = (name: 'metrics' | 'checks' | 'inspections', first: React.ReactNode, second: React.ReactNode, blank: object) => (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {fields.map((f) => (
            <Space key={f.key} align="baseline">
              <Form.Item name={[f.name, name === 'metrics' ? 'metric' : name === 'checks' ? 'checkType' : 'templateId']} rules={[{ required: true }]} style={{ width: 300, marginBottom: 0 }}>
                {first}
              </Form.Item>
              <Form.Item name={[f.name, name === 'inspections' ? 'everyDays' : 'maxIntervalSeconds']} rules={[{ required: true }]} style={{ marginBottom: 0 }}>
                {second}
              </Form.Item>
              <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.delete')} />
            </Space>
          ))}
          <Button size="small" icon={<PlusOutlined />} onClick={() => add(blank)}>
            {t('inspections.policy.add')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
  return (
    <FormDrawer<MonitoringPolicyCreate, MonitoringPolicy>
      open={open}
      editing={policy !== null}
      title={t('inspections.policy.create')}
      editTitle={policy && t('inspections.policy.editTitle', { name: policy.name })}
      name="monitoring-policy-form"
      testId="monitoring-policy-form"
      width={736}
      initialValues={policy ? toValues(policy) : NEW_POLICY}
      onSubmit={(values) => save.mutateAsync({ id: policy?.id, body: { ...values, metrics: values.metrics ?? [], checks: values.checks ?? [], inspections: values.inspections ?? [], responsibleRole: values.responsibleRole ?? null } })}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('inspections.field.name')} rules={[{ required: true }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="description" label={t('inspections.field.description')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <ScopeFields allowCis={false} />
      <Typography.Title level={5}>{t('inspections.policy.metrics')}</Typography.Title>
      {list('metrics', <SelectorInput mode="metric" testId="policy-metric" />, <InputNumber min={1} addonAfter={t('inspections.policy.seconds')} />, { maxIntervalSeconds: 60 })}
      <Typography.Title level={5}>{t('inspections.policy.checks')}</Typography.Title>
      {list('checks', <Select options={CHECK_TYPES.map((m) => ({ value: m, label: m }))} />, <InputNumber min={1} addonAfter={t('inspections.policy.seconds')} />, { maxIntervalSeconds: 60 })}
      <Typography.Title level={5}>{t('inspections.policy.inspections')}</Typography.Title>
      {list('inspections', <Select options={(templates.data ?? []).map((x) => ({ value: x.id, label: seeded(x.name) }))} />, <InputNumber min={1} addonBefore={t('inspections.policy.every')} addonAfter={t('common.unit.days')} />, { everyDays: 1 })}
      <Form.Item name="responsibleRole" label={t('inspections.field.responsibleRole')} style={{ marginTop: 16 }}>
        <Select allowClear options={ROLE_KINDS_FOR_DUTY.map((r) => ({ value: r, label: t(`roleKind.${r}`) }))} />
      </Form.Item>
      <Form.Item name="reviewMonths" label={t('inspections.field.reviewMonths')} extra={t('inspections.policy.reviewHelp')} rules={[{ required: true }]}>
        <InputNumber min={1} max={36} precision={0} addonBefore={t('inspections.policy.every')} addonAfter={t('inspections.policy.months')} data-testid="policy-review-months" />
      </Form.Item>
      <Form.Item name="enabled" label={t('inspections.field.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormDrawer>
  );
}
