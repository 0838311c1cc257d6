import { Alert, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PROBLEM_PERMISSIONS } from '@yunwei/contracts/incident-problems';
import { useAuth } from '../../../app/auth-context';
import { useKnownErrors } from './use-problems';

/** 已知错误 on an incident's detail page: the matching known errors, best first, with their workaround. */
export function KnownErrorsAlert({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const readable = can(PROBLEM_PERMISSIONS.read);
  const known = useKnownErrors(incidentId, readable);
  const items = known.data?.items ?? [];
  if (!readable || items.length === 0) {
    return null;
  }
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="incident-known-errors">
      {items.slice(0, 3).map((k) => (
        <Alert
          key={k.problemId}
          type="warning"
          showIcon
          title={
            <span>
              {t('problems.knownError.title')}
              <Link to={`/incidents/problems/${k.problemId}`}>{k.number}</Link> {k.title}
            </span>
          }
          description={
            <>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }} data-testid="known-error-workaround">
                <Typography.Text strong>{t('problems.knownError.workaround')}</Typography.Text>
                {k.workaround}
              </Typography.Paragraph>
              <Typography.Text type="secondary">{t('problems.knownError.reasons', { reasons: k.reasons.join(t('problems.separator')) })}</Typography.Text>
            </>
          }
        />
      ))}
    </Space>
  );
}
