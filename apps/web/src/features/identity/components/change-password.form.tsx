import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SessionState } from '@yunwei/contracts/identity';
import { useChangePassword } from '../api/use-auth-api';
import { PasswordFields } from './password-fields';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';

interface Values {
  currentPassword: string;
  newPassword: string;
  newPasswordConfirm: string;
}

/** Current password + new password twice → POST /api/auth/password. */
export function ChangePasswordForm({ onDone, block }: { onDone?: (session: SessionState) => void; block?: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();

  const submit = (values: Values) =>
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: (session) => {
          form.resetFields();
          void feedback.current?.message.success(t('password.changed'));
          onDone?.(session);
        },
        onError: (error) => applyServerErrors(form, error),
      },
    );

  return (
    <Form form={form} layout="vertical" onFinish={submit} name="change-password-form" style={{ maxWidth: block ? undefined : 420 }}>
      <Form.Item
        name="currentPassword"
        label={t('password.field.current')}
        rules={[{ required: true, message: t('password.validation.currentRequired') }]}
      >
        <Input.Password autoComplete="current-password" placeholder={t('password.placeholder.current')} />
      </Form.Item>
      <PasswordFields name="newPassword" label={t('password.field.new')} />
      <Button type="primary" htmlType="submit" loading={change.isPending} block={block}>
        {t('password.submit')}
      </Button>
    </Form>
  );
}
