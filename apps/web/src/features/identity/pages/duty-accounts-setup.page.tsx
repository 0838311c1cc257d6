import { useState } from 'react';
import { Alert, Button, Descriptions, Divider, Flex, Form, Input, Result, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import type { DutyAccountsCreate, DutyAccountsCreated, DutyState } from '@yunwei/contracts/duty-accounts';
import { useAuth } from '../../../app/auth-context';
import { AuthCard } from '../../../shared/components/auth-card';
import { applyServerErrors } from '../../../shared/form-errors';
import { useRoleKindLabel } from '../../access/role-kind';
import { useCreateDutyAccounts, useDutyAccounts } from '../api/use-duty-accounts';
import { USERNAME_PATTERN } from '../components/user-form.drawer';

type Field = 'securityAdmin' | 'auditAdmin';
const FIELDS: readonly Field[] = ['securityAdmin', 'auditAdmin'];
type Values = Partial<Record<Field, { username: string; displayName: string }>>;

function holderNames(state: DutyState): string {
  return state.holders.map((h) => (h.displayName && h.displayName !== h.username ? `${h.username}（${h.displayName}）` : h.username)).join('、');
}

/** One duty: its two fields while the caller may create it, otherwise who holds it. */
function DutySection({ field, state }: { field: Field; state: DutyState }) {
  const { t } = useTranslation();
  return (
    <div data-testid={`duty-section-${field}`}>
      <Divider titlePlacement="start" style={{ marginTop: 8 }}>
        {t(`dutySetup.${field}.title`)}
      </Divider>
      <Typography.Paragraph type="secondary">{t(`dutySetup.${field}.duty`)}</Typography.Paragraph>
      {state.open ? (
        <Flex gap={16} wrap>
          <Form.Item
            name={[field, 'username']}
            label={t('user.field.username')}
            style={{ flex: '1 1 200px' }}
            rules={[
              { required: true, whitespace: true, message: t('user.validation.usernameRequired') },
              { min: 2, max: 64, message: t('user.validation.usernameLength') },
              { pattern: USERNAME_PATTERN, message: t('user.validation.usernamePattern') },
            ]}
          >
            <Input autoComplete="off" placeholder={t('user.placeholder.username')} />
          </Form.Item>
          <Form.Item
            name={[field, 'displayName']}
            label={t('user.field.displayName')}
            style={{ flex: '1 1 200px' }}
            rules={[
              { required: true, whitespace: true, message: t('user.validation.displayNameRequired') },
              { max: 64, message: t('dutySetup.displayNameLength') },
            ]}
          >
            <Input autoComplete="off" placeholder={t('user.placeholder.displayName')} />
          </Form.Item>
        </Flex>
      ) : (
        <Alert type="success" showIcon title={t('dutySetup.held', { names: holderNames(state) })} />
      )}
    </div>
  );
}

/** The accounts just created, each one-time password with a copy button: shown this once. */
function CreatedAccounts({ created, onDone }: { created: DutyAccountsCreated; onDone: () => void }) {
  const { t } = useTranslation();
  const kindLabel = useRoleKindLabel();
  const copyable = (text: string) => ({ text, tooltips: [t('common.copy'), t('common.copied')] });
  return (
    <Flex vertical gap={16} data-testid="duty-accounts-created">
      <Result status="success" title={t('dutySetup.created.title')} style={{ padding: '8px 0' }} />
      <Alert type="warning" showIcon title={t('dutySetup.created.warning')} />
      {created.accounts.map((account) => (
        <Descriptions key={account.id} bordered size="small" column={1} title={kindLabel(account.roleKind)} data-testid={`duty-created-${account.roleKind}`}>
          <Descriptions.Item label={t('user.field.username')}>
            <Typography.Text copyable={copyable(account.username)} data-testid="duty-created-username">
              {account.username}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('user.field.displayName')}>{account.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('user.field.initialPassword')}>
            <Typography.Text code copyable={copyable(account.initialPassword)} style={{ fontSize: 15 }} data-testid="duty-created-password">
              {account.initialPassword}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      ))}
      {created.handedOver.length > 0 && <Alert type="info" showIcon title={t('dutySetup.created.handedOver', { names: created.handedOver.map((p) => p.username).join('、') })} />}
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('dutySetup.created.nextSteps')}
      </Typography.Paragraph>
      <Button type="primary" block onClick={onDone}>
        {t('dutySetup.created.done')}
      </Button>
    </Flex>
  );
}

/**
 * First-day wizard (三员分立): after the system administrator's first sign-in, create the security
 * and the audit administrator. "Later" leaves a reminder on the home page and the user list.
 */
export default function DutyAccountsSetupPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session } = useAuth();
  const [form] = Form.useForm<Values>();
  const status = useDutyAccounts();
  const create = useCreateDutyAccounts();
  const [created, setCreated] = useState<DutyAccountsCreated | null>(null);
  const home = () => navigate('/', { replace: true });

  if (created) {
    return (
      <AuthCard title={t('dutySetup.title')} width={640}>
        <CreatedAccounts created={created} onDone={home} />
      </AuthCard>
    );
  }
  if (status.isLoading || !status.data) {
    return (
      <AuthCard title={t('dutySetup.title')} width={640}>
        {status.error ? <Alert type="error" showIcon title={status.error.message} /> : <Skeleton active paragraph={{ rows: 8 }} />}
      </AuthCard>
    );
  }
  const states = status.data;
  const open = FIELDS.filter((field) => states[field].open);
  if (open.length === 0 && create.isIdle) {
    return <Navigate to="/" replace />;
  }
  const handsOver = states.securityAdmin.open && states.securityAdmin.holders.some((h) => h.id === session?.user.id);

  const submit = (values: Values) => {
    const body: DutyAccountsCreate = {};
    for (const field of open) {
      const person = values[field];
      if (person) {
        body[field] = { username: person.username.trim(), displayName: person.displayName.trim() };
      }
    }
    create.mutate(body, { onSuccess: setCreated, onError: (error) => applyServerErrors(form, error) });
  };

  return (
    <AuthCard title={t('dutySetup.title')} subtitle={t('dutySetup.subtitle')} width={640}>
      <Form form={form} layout="vertical" onFinish={submit} name="duty-accounts-form" data-testid="duty-accounts-setup">
        <Alert type="info" showIcon title={t('dutySetup.intro')} style={{ marginBottom: 8 }} />
        {FIELDS.map((field) => (
          <DutySection key={field} field={field} state={states[field]} />
        ))}
        {handsOver && <Alert type="warning" showIcon title={t('dutySetup.handOver')} style={{ marginBottom: 16 }} />}
        <Flex gap={12} justify="flex-end">
          <Button onClick={home} data-testid="duty-accounts-later">
            {t('dutySetup.later')}
          </Button>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="duty-accounts-submit">
            {t('dutySetup.submit')}
          </Button>
        </Flex>
      </Form>
    </AuthCard>
  );
}
