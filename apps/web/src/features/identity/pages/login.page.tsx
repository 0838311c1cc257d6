import { Alert, Button, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { useLogin, useVerifyMfa } from '../api/use-auth-api';
import { MfaCodeForm } from '../components/mfa-code-form';
import { AuthCard } from '../../../shared/components/auth-card';
import { FullPageSpin } from '../../../shared/components/full-page-spin';
import { applyServerErrors } from '../../../shared/form-errors';

interface LoginValues {
  username: string;
  password: string;
}

function targetAfterLogin(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('/login') ? from : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { session, status, logout } = useAuth();
  const location = useLocation();
  const [form] = Form.useForm<LoginValues>();
  const login = useLogin();
  const verify = useVerifyMfa();

  if (status === 'loading') {
    return <FullPageSpin />;
  }
  if (session?.pending === 'password') {
    return <Navigate to="/change-password" replace />;
  }
  if (session?.pending === 'mfa-enrol') {
    return <Navigate to="/mfa-enrol" replace />;
  }
  if (session && !session.pending) {
    return <Navigate to={targetAfterLogin(location.state)} replace />;
  }

  if (session?.pending === 'mfa') {
    return (
      <AuthCard title={t('auth.mfa.title')} subtitle={t('auth.mfa.subtitle', { name: session.user.displayName || session.user.username })}>
        <MfaCodeForm
          onSubmit={(code) => verify.mutate(code)}
          loading={verify.isPending}
          error={verify.error?.message}
          submitText={t('auth.mfa.submit')}
        />
        <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout()}>
          {t('auth.mfa.back')}
        </Button>
      </AuthCard>
    );
  }

  const submit = (values: LoginValues) =>
    login.mutate(
      { username: values.username.trim(), password: values.password },
      { onError: (error) => applyServerErrors(form, error) },
    );

  return (
    <AuthCard title={t('auth.login.title')} subtitle={t('auth.login.subtitle')}>
      {login.error && (
        <Alert type="error" showIcon title={login.error.message} style={{ marginBottom: 16 }} data-testid="login-error" />
      )}
      <Form form={form} layout="vertical" size="large" onFinish={submit} requiredMark={false} name="login-form">
        <Form.Item
          name="username"
          label={t('auth.login.username')}
          rules={[{ required: true, whitespace: true, message: t('auth.login.usernameRequired') }]}
        >
          <Input prefix={<UserOutlined />} placeholder={t('auth.login.usernamePlaceholder')} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('auth.login.password')} rules={[{ required: true, message: t('auth.login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} placeholder={t('auth.login.passwordPlaceholder')} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
          {t('auth.login.submit')}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
        {t('auth.login.notice')}
      </Typography.Paragraph>
    </AuthCard>
  );
}
