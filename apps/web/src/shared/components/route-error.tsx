import { Button, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRouteError } from 'react-router';

/** Rendering failed (e.g. a page's code could not be loaded after an upgrade): offer a reload. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : undefined;
  return (
    <Result
      status="error"
      title={t('error.pageCrashed')}
      subTitle={t('error.pageCrashedHelp')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('error.reload')}
        </Button>
      }
    >
      {detail && (
        <Typography.Paragraph type="secondary" code style={{ textAlign: 'center' }}>
          {detail}
        </Typography.Paragraph>
      )}
    </Result>
  );
}
