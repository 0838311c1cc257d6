import { useEffect } from 'react';
import { Button, Flex, Result, Skeleton, Typography } from 'antd';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api-client';
import { localized } from '../../../app/i18n';
import { LanguageSwitch } from '../../../app/layout/language-switch';
import { useLanguage } from '../../../app/use-language';
import { usePublicStatus } from '../api/use-status-pages';
import { StatusView } from '../components/status-view';

/**
 * `/status/:slug`: a business system's public status page, for anyone (no sign-in, no menu). It shows
 * only what the server answers for a published page; an unknown or unpublished one is "not found".
 */
export default function PublicStatusPage() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { slug = '' } = useParams();
  const status = usePublicStatus(slug);
  const page = status.data;
  const notFound = status.error instanceof ApiError && status.error.status === 404;
  const title = page && !notFound ? localized(page.title, language) : '';

  useEffect(() => {
    document.title = title ? `${title} · ${t('statusPage.public.suffix')}` : t('statusPage.public.suffix');
  }, [title, t]);

  return (
    <div style={{ minHeight: '100vh', background: '#f5f6f8' }} data-testid="public-status-page">
      <div style={{ maxWidth: 880, margin: '0 auto', padding: '24px 16px 48px' }}>
        <Flex justify="space-between" align="flex-start" gap={12} style={{ marginBottom: 16 }}>
          <div style={{ minWidth: 0 }}>
            <Typography.Title level={2} style={{ margin: 0, fontSize: 26 }} data-testid="status-title">
              {title || t('statusPage.public.suffix')}
            </Typography.Title>
            {page && !notFound && localized(page.description, language) && (
              <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0', whiteSpace: 'pre-wrap' }}>
                {localized(page.description, language)}
              </Typography.Paragraph>
            )}
          </div>
          <LanguageSwitch />
        </Flex>
        {notFound ? (
          // Also when a page shown a moment ago was unpublished since.
          <Result status="404" title={t('statusPage.public.notFound')} subTitle={t('statusPage.public.notFoundHint')} data-testid="status-not-found" />
        ) : page ? (
          <StatusView page={page} />
        ) : status.isError ? (
          <Result
            status="warning"
            title={t('statusPage.public.unavailable')}
            extra={
              <Button onClick={() => void status.refetch()} loading={status.isFetching}>
                {t('common.retry')}
              </Button>
            }
          />
        ) : (
          <Skeleton active paragraph={{ rows: 8 }} />
        )}
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 32, fontSize: 12 }}>
          {t('statusPage.public.footer')}
        </Typography.Paragraph>
      </div>
    </div>
  );
}
