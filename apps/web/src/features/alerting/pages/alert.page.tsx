import { Button, Card, Result, Skeleton } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { alertObjectName } from '@yunwei/contracts/alerting';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { localName } from '../../../shared/local-name';
import { useIsPhone } from '../../../shared/use-is-phone';
import { useAlert, useLiveAlerts } from '../api/use-alerting';
import { AlertActions, alertActionsOf } from '../components/alert-actions';
import { AlertDetailView } from '../components/alert-detail-view';

/** Room kept under the page so the phone's action bar never covers the end of the timeline. */
const BAR_SPACE = 80;

/**
 * One alert as a page of its own: where a notification's link (DingTalk, WeCom, mail) lands, on a
 * desktop or a phone. On a phone its actions sit in a bar at the bottom of the screen, under the thumb.
 */
export default function AlertPage() {
  const { t, i18n } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { can } = useAuth();
  const phone = useIsPhone();
  const { data: alert, error, isLoading } = useAlert(id ?? null);
  // The alert changes under the reader (acknowledged by a colleague, resolved): keep it current.
  useLiveAlerts();
  // To the list, as the button says (history may hold only this page: opened from a message, or an older link redirected here).
  const back = () => void navigate('/alerts');

  if (isLoading) {
    return (
      <Card variant="borderless">
        <Skeleton active />
      </Card>
    );
  }
  if (!alert) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('alerts.notFound') : t('alerts.loadFailed')}
        subTitle={error instanceof Error ? error.message : undefined}
        extra={<Button onClick={() => void navigate('/alerts')}>{t('alerts.backToList')}</Button>}
        data-testid="alert-page-missing"
      />
    );
  }

  const allowed = alertActionsOf(alert, can);
  const bar = phone && (allowed.ack || allowed.silence);
  return (
    <>
      <PageContainer
        title={localName(i18n.language, alert.ruleName, alert.ruleNameEn)}
        description={alertObjectName(alert.labels) || undefined}
        testId="alert-page"
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={back} data-testid="alert-page-back">
              {t('alerts.backToList')}
            </Button>
            {!phone && <AlertActions alert={alert} />}
          </>
        }
      >
        <Card variant="borderless" styles={phone ? { body: { padding: 12 } } : undefined} data-testid="alert-detail">
          <AlertDetailView alert={alert} />
        </Card>
      </PageContainer>
      {bar && (
        <>
          <div style={{ height: BAR_SPACE }} />
          <div className="yw-thumb-bar" data-testid="alert-action-bar">
            <AlertActions alert={alert} bar />
          </div>
        </>
      )}
    </>
  );
}
