import { useState } from 'react';
import { Button, Card, Descriptions, Flex, Result, Space, Tabs, Tag, Typography } from 'antd';
import { KeyOutlined, LockOutlined, SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { MfaEnrolment } from '@yunwei/contracts/identity';
import { Link } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { ChangePasswordForm } from '../components/change-password.form';
import { MfaEnrolPanel } from '../components/mfa-enrol.panel';
import { MfaReEnrolForm } from '../components/mfa-re-enrol.form';
import { roleKindColor, useRoleKindLabel } from '../../access/role-kind';
import { useOrgUnits } from '../../org/api/use-org-units';
import { unitPath } from '../../org/org-tree';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { useSeededText } from '../../../shared/use-seeded-text';

function MfaTab() {
  const { t } = useTranslation();
  const { session } = useAuth();
  // idle → (first enrolment | proof of the current authenticator → new enrolment)
  const [step, setStep] = useState<'idle' | 'enrol' | 'proof'>('idle');
  const [started, setStarted] = useState<MfaEnrolment | undefined>();
  const reset = () => {
    setStep('idle');
    setStarted(undefined);
  };
  if (step === 'enrol') {
    return <MfaEnrolPanel onDone={reset} started={started} />;
  }
  if (step === 'proof') {
    return (
      <MfaReEnrolForm
        onCancel={reset}
        onStarted={(enrolment) => {
          setStarted(enrolment);
          setStep('enrol');
        }}
      />
    );
  }
  return (
    <Result
      status={session?.mfaEnabled ? 'success' : 'info'}
      icon={<SafetyOutlined />}
      title={session?.mfaEnabled ? t('mfa.statusEnabled') : t('mfa.statusDisabled')}
      subTitle={t('mfa.accountHelp')}
      extra={
        <Button type="primary" onClick={() => setStep(session?.mfaEnabled ? 'proof' : 'enrol')}>
          {session?.mfaEnabled ? t('mfa.reEnrol') : t('mfa.enrol')}
        </Button>
      }
    />
  );
}

export default function AccountPage() {
  const { t } = useTranslation();
  const { session, can } = useAuth();
  const kindLabel = useRoleKindLabel();
  const seeded = useSeededText();
  const { data: units = [] } = useOrgUnits();
  if (!session) {
    return null;
  }
  const { user } = session;

  const tabs = [
    { key: 'password', icon: <LockOutlined />, label: t('account.tab.password'), children: <ChangePasswordForm /> },
    { key: 'mfa', icon: <SafetyOutlined />, label: t('account.tab.mfa'), children: <MfaTab /> },
    ...(can('identity.token.use')
      ? [
          {
            key: 'tokens',
            icon: <KeyOutlined />,
            label: t('account.tab.tokens'),
            children: (
              <Flex vertical gap={12} align="start">
                <Typography.Paragraph type="secondary">{t('account.tokensHelp')}</Typography.Paragraph>
                <Link to="/platform/tokens">
                  <Button type="primary" icon={<KeyOutlined />}>
                    {t('account.manageTokens')}
                  </Button>
                </Link>
              </Flex>
            ),
          },
        ]
      : []),
  ];

  return (
    <PageContainer title={t('account.title')} description={t('account.description')} testId="account-page">
      <Card variant="borderless" title={t('account.profile')}>
        <Descriptions
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: 'username', label: t('user.field.username'), children: user.username },
            { key: 'displayName', label: t('user.field.displayName'), children: seeded(user.displayName) },
            {
              key: 'org',
              label: t('user.field.orgUnit'),
              children: unitPath(units, user.orgUnitId) || user.orgUnitId || t('common.empty'),
            },
            {
              key: 'roles',
              label: t('account.roleKinds'),
              children:
                session.roles.length > 0 ? (
                  <Space size={[0, 4]} wrap>
                    {session.roles.map((role) => (
                      <Tag key={role.id} color={roleKindColor(role.kind)}>
                        {role.kind === 'custom' ? role.name : kindLabel(role.kind)}
                      </Tag>
                    ))}
                  </Space>
                ) : (
                  t('user.noRoles')
                ),
            },
            {
              key: 'mfa',
              label: t('user.field.mfa'),
              children: session.mfaEnabled ? (
                <Tag color="processing">{t('user.mfa.enabled')}</Tag>
              ) : (
                <Tag>{t('user.mfa.disabled')}</Tag>
              ),
            },
            { key: 'permissions', label: t('account.permissionCount'), children: session.permissions.length },
            { key: 'idle', label: t('account.idleTimeout'), children: t('account.minutes', { count: session.idleTimeoutMinutes }) },
            { key: 'expires', label: t('account.expiresAt'), children: <DateTime value={session.expiresAt} /> },
          ]}
        />
      </Card>
      <Card variant="borderless">
        <Tabs items={tabs} destroyOnHidden />
      </Card>
    </PageContainer>
  );
}
