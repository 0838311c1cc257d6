import { Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EscalationPolicy, EscalationPolicyCreate, EscalationStep } from '@yunwei/contracts/alert-routing';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { useCreateEscalation, useUpdateEscalation } from '../api/use-alert-routing';
import { EscalationStepsEditor } from './escalation-steps-editor';

interface FormValues {
  name: string;
  comment?: string;
  steps: EscalationStep[];
  repeat: number;
}

const toBody = (v: FormValues): EscalationPolicyCreate => ({ name: v.name.trim(), comment: v.comment?.trim() ?? '', steps: v.steps, repeat: v.repeat ?? 0 });

/** Create or change an escalation policy with its steps. */
export function EscalationFormDrawer({ open, policy, onClose }: { open: boolean; policy: EscalationPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateEscalation();
  const update = useUpdateEscalation();

  return (
    <FormDrawer<FormValues, EscalationPolicy>
      open={open}
      editing={policy !== null}
      title={t('alertRouting.escalation.createTitle')}
      editTitle={policy && t('alertRouting.escalation.editTitle', { name: policy.name })}
      name="escalation-form"
      testId="escalation-form"
      width={720}
      initialValues={policy ? { name: policy.name, comment: policy.comment, steps: policy.steps, repeat: policy.repeat } : { steps: [{ afterMinutes: 0, targets: [{ type: 'channel' }] }], repeat: 0 }}
      onSubmit={(v) => (policy ? update.mutateAsync({ id: policy.id, body: toBody(v) }) : create.mutateAsync(toBody(v)))}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('alertRouting.field.name')} rules={[{ required: true, whitespace: true, message: t('alertRouting.validation.required') }, { max: 100 }]}>
        <Input data-testid="escalation-name" />
      </Form.Item>
      <Form.Item label={t('alertRouting.escalation.steps')} extra={t('alertRouting.help.steps')}>
        <EscalationStepsEditor />
      </Form.Item>
      <Form.Item name="repeat" label={t('alertRouting.escalation.repeat')} extra={t('alertRouting.help.repeat')}>
        <InputNumber min={0} max={10} precision={0} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="comment" label={t('alertRouting.field.comment')} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </FormDrawer>
  );
}
