import { Alert, Button, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EnrolmentTokenCreated } from '@yunwei/contracts/agents';

/** The exact command to run on the host, for this server (the address the browser uses). */
export function enrolCommand(secret: string, origin = window.location.origin): string {
  return `yunwei-agent enroll --server ${origin} --token ${secret}`;
}

/** Shows a new enrolment token with the command line to copy — the only time the secret is shown. */
export function EnrolmentTokenSecretModal({ created, onClose }: { created: EnrolmentTokenCreated | null; onClose: () => void }) {
  const { t } = useTranslation();
  const command = created ? enrolCommand(created.secret) : '';
  return (
    <Modal
      open={created !== null}
      width={720}
      title={t('agents.token.secretTitle', { name: created?.token.name ?? '' })}
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('agents.token.secretSaved')}
        </Button>
      }
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('agents.token.secretWarning')} />
      <Typography.Paragraph strong>{t('agents.token.commandLabel')}</Typography.Paragraph>
      <Typography.Paragraph
        copyable={{ text: command, tooltips: [t('common.copy'), t('common.copied')] }}
        code
        style={{ fontSize: 13, wordBreak: 'break-all' }}
        data-testid="enrol-command"
      >
        {command}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('agents.token.commandNext')}</Typography.Paragraph>
      <Typography.Paragraph code style={{ wordBreak: 'break-all' }}>
        yunwei-agent install &amp;&amp; systemctl daemon-reload &amp;&amp; systemctl enable --now yunwei-agent
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('agents.token.secretOnly')}</Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: created?.secret, tooltips: [t('common.copy'), t('common.copied')] }} code data-testid="enrol-token-secret">
        {created?.secret}
      </Typography.Paragraph>
    </Modal>
  );
}
