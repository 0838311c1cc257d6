import { Alert, Form, Input, Modal, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyServerErrors } from '../../../shared/form-errors';
import { useSignRecord } from '../api/use-inspections';

/** Sign-off: the inspector re-enters the password; the record is immutable afterwards. */
export function SignModal({ recordId, open, onClose }: { recordId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string; conclusion?: string }>();
  const sign = useSignRecord(recordId);
  const submit = async () => {
    const values = await form.validateFields();
    try {
      await sign.mutateAsync(values);
      form.resetFields();
      onClose();
    } catch (error) {
      applyServerErrors(form, error);
    }
  };
  return (
    <Modal open={open} title={t('inspections.record.signTitle')} onCancel={onClose} onOk={() => void submit()} confirmLoading={sign.isPending} okText={t('inspections.record.sign')} okButtonProps={{ 'data-testid': 'sign-confirm' } as ButtonProps} destroyOnHidden>
      <Alert type="warning" showIcon title={t('inspections.record.signWarning')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical">
        <Form.Item name="conclusion" label={t('inspections.field.conclusion')}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="sign-conclusion" />
        </Form.Item>
        <Form.Item name="password" label={t('inspections.record.password')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="sign-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
