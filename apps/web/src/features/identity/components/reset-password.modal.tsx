import { Alert, Checkbox, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '@yunwei/contracts/identity';
import { useResetPassword } from '../api/use-users';
import { PasswordFields } from './password-fields';
import { FormModal } from '../../../shared/components/form-modal';

interface FormValues {
  password: string;
  passwordConfirm: string;
  revokeTokens: boolean;
}

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useResetPassword();

  return (
    <FormModal<FormValues, { ok: true }>
      open={user !== null}
      name="reset-password-form"
      title={t('user.resetPasswordTitle', { name: user?.username ?? '' })}
      submitText={t('common.confirm')}
      initialValues={{ revokeTokens: true }}
      onSubmit={({ password, revokeTokens }) => reset.mutateAsync({ id: user?.id ?? '', password, revokeTokens: revokeTokens !== false })}
      success={t('user.resetPasswordDone', { name: user?.username ?? '' })}
      onClose={onClose}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('user.resetPasswordNotice')} />
      <PasswordFields name="password" label={t('password.field.new')} />
      {/* Default on: whoever knew the old password may have made a token that outlives the reset. */}
      <Form.Item name="revokeTokens" valuePropName="checked" extra={t('user.revokeTokensHelp')} style={{ marginBottom: 0 }}>
        <Checkbox data-testid="reset-revoke-tokens">{t('user.revokeTokens')}</Checkbox>
      </Form.Item>
    </FormModal>
  );
}
