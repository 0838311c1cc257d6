import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MfaEnrolment } from '@yunwei/contracts/identity';
import { useStartMfaReEnrolment } from '../api/use-auth-api';
import { applyServerErrors } from '../../../shared/form-errors';

interface Values {
  currentPassword: string;
  code: string;
}

/**
 * Replacing an enrolled authenticator: the server asks for the password and a code from the current
 * authenticator (so a stolen password or an unattended session cannot swap it); then the new one is shown.
 */
export function MfaReEnrolForm({ onStarted, onCancel }: { onStarted: (enrolment: MfaEnrolment) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const start = useStartMfaReEnrolment();

  const submit = (values: Values) =>
    start.mutate(values, {
      onSuccess: onStarted,
      onError: (error) => applyServerErrors(form, error),
    });

  return (
    <Form form={form} layout="vertical" onFinish={submit} name="mfa-re-enrol-form" style={{ maxWidth: 420 }} data-testid="mfa-re-enrol">
      <Typography.Title level={5}>{t('mfa.reEnrolTitle')}</Typography.Title>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('mfa.reEnrolHelp')} />
      <Form.Item name="currentPassword" label={t('password.field.current')} rules={[{ required: true, message: t('password.validation.currentRequired') }]}>
        <Input.Password autoComplete="current-password" placeholder={t('password.placeholder.current')} />
      </Form.Item>
      <Form.Item name="code" label={t('mfa.currentCode')} rules={[{ required: true, pattern: /^[0-9]{6}$/, message: t('auth.mfa.codeInvalid') }]}>
        <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ width: 160, letterSpacing: 4 }} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={start.isPending}>
          {t('mfa.continue')}
        </Button>
        <Button onClick={onCancel}>{t('mfa.cancel')}</Button>
      </Space>
    </Form>
  );
}
