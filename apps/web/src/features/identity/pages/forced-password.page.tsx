import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { pathAfterFirstSignIn } from '../first-sign-in';
import { ChangePasswordForm } from '../components/change-password.form';
import { AuthCard } from '../../../shared/components/auth-card';

/** First sign-in or expired password: nothing else is possible until the password is changed. */
export default function ForcedPasswordPage() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const navigate = useNavigate();
  return (
    <AuthCard title={t('password.forcedTitle')} width={460}>
      <Alert type="warning" showIcon title={t('password.forcedNotice')} style={{ marginBottom: 20 }} />
      <ChangePasswordForm block onDone={(session) => navigate(session.pending === 'mfa-enrol' ? '/mfa-enrol' : pathAfterFirstSignIn(session.permissions), { replace: true })} />
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout().then(() => navigate('/login', { replace: true }))}>
        {t('header.logout')}
      </Button>
    </AuthCard>
  );
}
