import { Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Matcher, NotificationPolicy, NotificationPolicyCreate } from '@yunwei/contracts/alert-routing';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { useCreatePolicy, useEscalationPolicies, useUpdatePolicy } from '../api/use-alert-routing';
import { MatchersEditor } from './matchers-editor';

interface FormValues {
  name: string;
  nameEn?: string;
  matchers: Matcher[];
  groupBy: string[];
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalMinutes: number;
  escalationPolicyId?: string | null;
  continue: boolean;
  notifyDefaultChannels: boolean;
  enabled: boolean;
}

const toValues = (policy: NotificationPolicy): FormValues => ({ ...policy, nameEn: policy.nameEn ?? undefined, repeatIntervalMinutes: Math.round(policy.repeatIntervalSeconds / 60) });

/** The built-in default policy has no "continue" (it is always last). */
const toBody = (v: FormValues, isDefault: boolean): NotificationPolicyCreate => ({
  name: v.name.trim(),
  nameEn: v.nameEn?.trim() || null,
  matchers: v.matchers ?? [],
  groupBy: v.groupBy ?? [],
  groupWaitSeconds: v.groupWaitSeconds,
  groupIntervalSeconds: v.groupIntervalSeconds,
  repeatIntervalSeconds: v.repeatIntervalMinutes * 60,
  escalationPolicyId: v.escalationPolicyId ?? null,
  notifyDefaultChannels: v.notifyDefaultChannels,
  enabled: v.enabled,
  ...(isDefault ? {} : { continue: v.continue }),
});

/**
 * Create or change a notification policy: which alerts, how they are grouped and timed, who is told
 * (its escalation policy, and the default channels). The built-in default policy is always last: it
 * has no "continue".
 */
export function PolicyFormDrawer({ open, policy, onClose }: { open: boolean; policy: NotificationPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const escalations = useEscalationPolicies();
  const create = useCreatePolicy();
  const update = useUpdatePolicy();
  const isDefault = policy?.isDefault ?? false;
  const seconds = t('alertRouting.unit.seconds');

  return (
    <FormDrawer<FormValues, NotificationPolicy>
      open={open}
      editing={policy !== null}
      title={t('alertRouting.policy.createTitle')}
      editTitle={policy && t('alertRouting.policy.editTitle', { name: policy.name })}
      name="policy-form"
      testId="policy-form"
      width={640}
      initialValues={policy ? toValues(policy) : { matchers: [], groupBy: ['alertname'], groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalMinutes: 240, continue: false, notifyDefaultChannels: false, enabled: true }}
      onSubmit={(v) => (policy ? update.mutateAsync({ id: policy.id, body: toBody(v, isDefault) }) : create.mutateAsync(toBody(v, false)))}
      fieldErrors={{ repeatIntervalSeconds: 'repeatIntervalMinutes' }}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('alertRouting.field.name')} rules={[{ required: true, whitespace: true, message: t('alertRouting.validation.required') }, { max: 100 }]}>
        <Input data-testid="policy-name" />
      </Form.Item>
      <Form.Item name="nameEn" label={t('alertRouting.policy.nameEn')} rules={[{ max: 100 }]}>
        <Input data-testid="policy-name-en" />
      </Form.Item>
      <Form.Item label={t('alertRouting.field.matchers')} extra={t(isDefault ? 'alertRouting.help.defaultPolicyMatchers' : 'alertRouting.help.policyMatchers')}>
        <MatchersEditor />
      </Form.Item>
      <Form.Item name="groupBy" label={t('alertRouting.policy.groupBy')} extra={t('alertRouting.help.groupBy')}>
        <Select mode="tags" tokenSeparators={[',', ' ']} options={['alertname', 'ci', 'instance', 'job', 'severity'].map((v) => ({ value: v, label: v }))} data-testid="policy-group-by" />
      </Form.Item>
      <Space size="large" wrap>
        <Form.Item name="groupWaitSeconds" label={t('alertRouting.policy.groupWait')} tooltip={t('alertRouting.help.groupWait')}>
          <InputNumber min={0} max={3600} precision={0} suffix={seconds} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="groupIntervalSeconds" label={t('alertRouting.policy.groupInterval')} tooltip={t('alertRouting.help.groupInterval')}>
          <InputNumber min={0} max={86_400} precision={0} suffix={seconds} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="repeatIntervalMinutes" label={t('alertRouting.policy.repeatInterval')} tooltip={t('alertRouting.help.repeatInterval')}>
          <InputNumber min={1} max={10_080} precision={0} suffix={t('alertRouting.unit.minutes')} style={{ width: 150 }} />
        </Form.Item>
      </Space>
      <Form.Item name="escalationPolicyId" label={t('alertRouting.policy.escalation')} extra={t('alertRouting.help.escalation')}>
        <Select allowClear options={(escalations.data ?? []).map((e) => ({ value: e.id, label: e.name }))} data-testid="policy-escalation" />
      </Form.Item>
      <Form.Item name="notifyDefaultChannels" label={t('alertRouting.policy.defaultChannels')} valuePropName="checked" extra={t('alertRouting.help.defaultChannels')}>
        <Switch data-testid="policy-default-channels" />
      </Form.Item>
      <Space size="large">
        {!isDefault && (
          <Form.Item name="continue" label={t('alertRouting.policy.continue')} valuePropName="checked" tooltip={t('alertRouting.help.continue')}>
            <Switch />
          </Form.Item>
        )}
        <Form.Item name="enabled" label={t('alertRouting.field.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
    </FormDrawer>
  );
}
