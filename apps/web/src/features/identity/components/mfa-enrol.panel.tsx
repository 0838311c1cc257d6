import { Alert, Col, Flex, QRCode, Row, Skeleton, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MfaEnrolment, SessionState } from '@yunwei/contracts/identity';
import { useAuth } from '../../../app/auth-context';
import { useConfirmMfa, useMfaEnrolment } from '../api/use-auth-api';
import { MfaCodeForm } from './mfa-code-form';
import { feedback } from '../../../shared/feedback';

/**
 * A TOTP enrolment: QR code + secret, then a code confirms it. Starts a first enrolment on mount, or
 * shows `started` (a re-enrolment the server opened after checking password and current code).
 */
export function MfaEnrolPanel({ onDone, compact, started }: { onDone?: (session: SessionState) => void; compact?: boolean; started?: MfaEnrolment }) {
  const { t } = useTranslation();
  const { session } = useAuth();
  const query = useMfaEnrolment(session?.user.id ?? '', !started);
  const enrolment = started ? { isLoading: false, error: null, data: started } : query;
  const confirm = useConfirmMfa();

  const submit = (code: string) =>
    confirm.mutate(code, {
      onSuccess: (next) => {
        void feedback.current?.message.success(t('mfa.enrolled'));
        onDone?.(next);
      },
    });

  if (enrolment.isLoading) {
    return <Skeleton active paragraph={{ rows: 6 }} />;
  }
  if (enrolment.error || !enrolment.data) {
    return <Alert type="error" showIcon title={enrolment.error?.message ?? t('error.unknown')} />;
  }
  const { secret, otpauthUrl } = enrolment.data;

  return (
    <Flex vertical gap={16} data-testid="mfa-enrol">
      <Steps
        size="small"
        orientation={compact ? 'vertical' : 'horizontal'}
        current={1}
        items={[{ title: t('mfa.step.install') }, { title: t('mfa.step.scan') }, { title: t('mfa.step.confirm') }]}
      />
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('mfa.instructions')}
      </Typography.Paragraph>
      <Row gutter={[24, 16]} align="middle">
        <Col xs={24} sm={compact ? 24 : 10}>
          <Flex justify="center">
            <QRCode value={otpauthUrl} size={180} errorLevel="M" data-testid="mfa-qrcode" />
          </Flex>
        </Col>
        <Col xs={24} sm={compact ? 24 : 14}>
          <Typography.Text type="secondary">{t('mfa.secretLabel')}</Typography.Text>
          <Typography.Paragraph
            code
            copyable={{ text: secret, tooltips: [t('common.copy'), t('common.copied')] }}
            style={{ fontSize: 15, letterSpacing: 1, wordBreak: 'normal', overflowWrap: 'normal' }}
            data-testid="mfa-secret"
          >
            {secret.replace(/(.{4})(?=.)/g, '$1 ')}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('mfa.secretHelp')}
          </Typography.Paragraph>
        </Col>
      </Row>
      <Typography.Text strong>{t('mfa.enterCode')}</Typography.Text>
      <MfaCodeForm onSubmit={submit} loading={confirm.isPending} error={confirm.error?.message} submitText={t('mfa.confirm')} />
    </Flex>
  );
}
