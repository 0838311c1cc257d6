import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CreatedToken } from '../api/use-tokens';

/** Shows a new token's secret — the only time it is ever shown. */
export function TokenSecretModal({ created, onClose }: { created: CreatedToken | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open={created !== null}
      title={t('token.secretTitle', { name: created?.token.name ?? '' })}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('token.secretSaved')}
        </Button>
      }
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('token.secretWarning')} />
      <Typography.Paragraph
        copyable={{ text: created?.secret, tooltips: [t('common.copy'), t('common.copied')] }}
        code
        style={{ fontSize: 14, wordBreak: 'break-all' }}
        data-testid="token-secret"
      >
        {created?.secret}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('token.secretUsage')}</Typography.Paragraph>
    </Modal>
  );
}
