import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNotifySettings } from '../api/use-notify';

/**
 * Whether links in messages will open: without YUNWEI_PUBLIC_URL they are relative paths, which a
 * chat app or a mail client cannot follow, so this warns; with it, it says where links point and
 * how times are written.
 */
export function PublicUrlNotice() {
  const { t } = useTranslation();
  const { data } = useNotifySettings();
  if (!data) {
    return null;
  }
  if (!data.publicUrl) {
    return <PublicUrlMissing />;
  }
  return (
    <Typography.Paragraph type="secondary" data-testid="message-settings">
      {t('notify.messageSettings', { url: data.publicUrl, timeZone: data.timeZone, example: data.timeExample, interpolation: { escapeValue: false } })}
    </Typography.Paragraph>
  );
}

function PublicUrlMissing() {
  const { t } = useTranslation();
  return <Alert type="warning" showIcon title={t('notify.publicUrlMissing')} description={t('notify.publicUrlMissingHelp')} style={{ marginBottom: 16 }} data-testid="public-url-missing" />;
}

/** Only the warning, for pages other than the channels' (the home page of whoever can fix it). */
export function PublicUrlWarning({ enabled }: { enabled: boolean }) {
  const { data } = useNotifySettings(enabled);
  return enabled && data && !data.publicUrl ? <PublicUrlMissing /> : null;
}
