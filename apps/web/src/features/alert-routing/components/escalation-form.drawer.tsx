import { useEffect } from 'react';
import { Button, Drawer, Form, Input, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EscalationPolicy, EscalationPolicyCreate, EscalationStep } from '@yunwei/contracts/alert-routing';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';
import { useCreateEscalation, useUpdateEscalation } from '../api/use-alert-routing';
import { EscalationStepsEditor } from './escalation-steps-editor';

interface FormValues {
  name: string;
  comment?: string;
  steps: EscalationStep[];
  repeat: number;
}

/** Create or change an escalation policy with its steps. */
export function EscalationFormDrawer({ open, policy, onClose }: { open: boolean; policy: EscalationPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateEscalation();
  const update = useUpdateEscalation();

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (policy) {
        form.setFieldsValue({ name: policy.name, comment: policy.comment, steps: policy.steps, repeat: policy.repeat });
      }
    }
  }, [open, policy, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) {
      return;
    }
    const body: EscalationPolicyCreate = { name: v.name.trim(), comment: v.comment?.trim() ?? '', steps: v.steps, repeat: v.repeat ?? 0 };
    const done = () => {
      void feedback.current?.message.success(t('common.saved'));
      onClose();
    };
    const onError = (error: unknown) => applyServerErrors(form, error);
    if (policy) {
      update.mutate({ id: policy.id, body }, { onSuccess: done, onError });
    } else {
      create.mutate(body, { onSuccess: done, onError });
    }
  };

  return (
    <Drawer
      open={open}
      title={policy ? t('alertRouting.escalation.editTitle', { name: policy.name }) : t('alertRouting.escalation.createTitle')}
      size={720}
      onClose={onClose}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending || update.isPending} onClick={() => void submit()} data-testid="escalation-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
      data-testid="escalation-form"
    >
      <Form form={form} layout="vertical" name="escalation-form" initialValues={{ steps: [{ afterMinutes: 0, targets: [{ type: 'channel' }] }], repeat: 0 }}>
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
      </Form>
    </Drawer>
  );
}
