import { Alert, Button, Divider, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EnrolmentTokenCreated } from '@yunwei/contracts/agents';

/** Where the manual steps put the one-file agent: where the install script puts it. */
const AGENT_LIB = '/opt/yunwei-agent/lib';
const BUNDLE = `${AGENT_LIB}/yunwei-agent.mjs`;

/** The server's public address when configured (YUNWEI_PUBLIC_URL), else the address this browser uses. */
export function serverAddress(created: Pick<EnrolmentTokenCreated, 'serverUrl'>, origin = window.location.origin): string {
  return created.serverUrl ?? origin;
}

/** The one line that downloads, verifies, enrols, installs and starts the agent on a host. */
export function installCommand(server: string, secret: string): string {
  return `curl -fsSL ${server}/agent/install.sh | sh -s -- --token ${secret}`;
}

/** The manual steps the install script performs, for hosts where piping a script into sh is not allowed. */
export function manualCommands(server: string, secret: string): { download: string; enrol: string; install: string } {
  return {
    download: `mkdir -p ${AGENT_LIB} && cd ${AGENT_LIB} && curl -fsSLO ${server}/agent/yunwei-agent.mjs && curl -fsSL ${server}/agent/SHA256SUMS | sha256sum -c --ignore-missing`,
    enrol: `node ${BUNDLE} enroll --server ${server} --token ${secret}`,
    install: `node ${BUNDLE} install && systemctl daemon-reload && systemctl enable --now yunwei-agent`,
  };
}

function Command({ text, testId }: { text: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Typography.Paragraph copyable={{ text, tooltips: [t('common.copy'), t('common.copied')] }} code style={{ fontSize: 13, wordBreak: 'break-all' }} data-testid={testId}>
      {text}
    </Typography.Paragraph>
  );
}

/** Shows a new enrolment token with the command line to copy — the only time the secret is shown. */
export function EnrolmentTokenSecretModal({ created, onClose }: { created: EnrolmentTokenCreated | null; onClose: () => void }) {
  const { t } = useTranslation();
  const server = created ? serverAddress(created) : '';
  const secret = created?.secret ?? '';
  const manual = manualCommands(server, secret);
  return (
    <Modal
      open={created !== null}
      width={760}
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
      <Typography.Paragraph strong>{t('agents.token.installLabel')}</Typography.Paragraph>
      <Command text={installCommand(server, secret)} testId="install-command" />
      <Typography.Paragraph type="secondary">{t('agents.token.installHelp')}</Typography.Paragraph>
      <Divider titlePlacement="start" plain>
        {t('agents.token.manualTitle')}
      </Divider>
      <Typography.Paragraph type="secondary">{t('agents.token.manualDownload')}</Typography.Paragraph>
      <Command text={manual.download} testId="download-command" />
      <Typography.Paragraph type="secondary">{t('agents.token.manualEnrol')}</Typography.Paragraph>
      <Command text={manual.enrol} testId="enrol-command" />
      <Typography.Paragraph type="secondary">{t('agents.token.manualInstall')}</Typography.Paragraph>
      <Command text={manual.install} testId="service-command" />
      <Divider />
      <Typography.Paragraph type="secondary">{t('agents.token.secretOnly')}</Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: secret, tooltips: [t('common.copy'), t('common.copied')] }} code data-testid="enrol-token-secret">
        {secret}
      </Typography.Paragraph>
    </Modal>
  );
}
