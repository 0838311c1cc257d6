import type { ReactNode } from 'react';
import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import type { SessionState } from '@yunwei/contracts/identity';
import { useAuth } from '../auth-context';
import { FullPageSpin } from '../../shared/components/full-page-spin';

/**
 * Lets a fully signed-in user through. Otherwise sends them to sign in, or to the step they must
 * finish first (password change, MFA enrolment).
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, status, refresh } = useAuth();
  const location = useLocation();
  const { t } = useTranslation();

  if (status === 'loading') {
    return <FullPageSpin />;
  }
  if (status === 'error') {
    return (
      <Result
        status="warning"
        title={t('error.sessionLoadFailed')}
        extra={
          <Button type="primary" onClick={() => void refresh()}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!session || session.pending === 'mfa') {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (session.pending === 'password') {
    return <Navigate to="/change-password" replace />;
  }
  if (session.pending === 'mfa-enrol') {
    return <Navigate to="/mfa-enrol" replace />;
  }
  return children;
}

/**
 * For the forced pages: only while the session is waiting for that step. Once it is done, on to the
 * next pending step or to `next` (the forced page's own navigation and this one must agree).
 */
export function RequirePending({ step, next, children }: { step: 'password' | 'mfa-enrol'; next?: (session: SessionState) => string; children: ReactNode }) {
  const { session, status } = useAuth();
  if (status === 'loading') {
    return <FullPageSpin />;
  }
  if (!session || session.pending === 'mfa') {
    return <Navigate to="/login" replace />;
  }
  if (session.pending !== step) {
    const to = session.pending === 'password' ? '/change-password' : session.pending === 'mfa-enrol' ? '/mfa-enrol' : (next?.(session) ?? '/');
    return <Navigate to={to} replace />;
  }
  return children;
}
