import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { pathAfterFirstSignIn } from '../first-sign-in';
import { MfaEnrolPanel } from '../components/mfa-enrol.panel';
import { AuthCard } from '../../../shared/components/auth-card';

/** The user's roles require TOTP: enrolment comes before anything else. */
export default function ForcedMfaEnrolPage() {
  const { t } = useTranslation();
  const { logout } = useAuth();
  const navigate = useNavigate();
  return (
    <AuthCard title={t('mfa.forcedTitle')} width={560}>
      <Alert type="warning" showIcon title={t('mfa.forcedNotice')} style={{ marginBottom: 20 }} />
      <MfaEnrolPanel onDone={(session) => navigate(pathAfterFirstSignIn(session.permissions), { replace: true })} />
      <Button type="link" block style={{ marginTop: 8 }} onClick={() => void logout().then(() => navigate('/login', { replace: true }))}>
        {t('header.logout')}
      </Button>
    </AuthCard>
  );
}
