import { useEffect } from 'react';
import { Alert, Checkbox, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '@yunwei/contracts/identity';
import { useResetPassword } from '../api/use-users';
import { PasswordFields } from './password-fields';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string; passwordConfirm: string; revokeTokens: boolean }>();
  const reset = useResetPassword();

  useEffect(() => {
    if (user) {
      form.resetFields();
    }
  }, [user, form]);

  const submit = async () => {
    if (!user) {
      return;
    }
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    const { password, revokeTokens } = values;
    reset.mutate(
      { id: user.id, password, revokeTokens: revokeTokens !== false },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('user.resetPasswordDone', { name: user.username }));
          onClose();
        },
        onError: (error) => applyServerErrors(form, error),
      },
    );
  };

  return (
    <Modal
      open={user !== null}
      title={t('user.resetPasswordTitle', { name: user?.username ?? '' })}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={reset.isPending}
      forceRender
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('user.resetPasswordNotice')} />
      <Form form={form} layout="vertical" name="reset-password-form" initialValues={{ revokeTokens: true }}>
        <PasswordFields name="password" label={t('password.field.new')} />
        {/* Default on: whoever knew the old password may have made a token that outlives the reset. */}
        <Form.Item name="revokeTokens" valuePropName="checked" extra={t('user.revokeTokensHelp')} style={{ marginBottom: 0 }}>
          <Checkbox data-testid="reset-revoke-tokens">{t('user.revokeTokens')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
