import { useEffect } from 'react';
import { Alert, Button, Card, Col, Form, InputNumber, Row, Select, Skeleton, Space, Switch } from 'antd';
import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SecurityPolicy } from '@yunwei/contracts/identity';
import { DEFAULT_SECURITY_POLICY } from '@yunwei/contracts/security-defaults';
import { useAuth } from '../../../app/auth-context';
import { useSecurityPolicy, useUpdateSecurityPolicy } from '../api/use-security-policy';
import { BUILTIN_ROLE_KINDS, useRoleKindLabel } from '../../access/role-kind';
import { PageContainer } from '../../../shared/components/page-container';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';

/** 等保 2.0 level 3 practice: the server's defaults. */
export const RECOMMENDED_POLICY: SecurityPolicy = DEFAULT_SECURITY_POLICY;

type NumberField = Exclude<keyof SecurityPolicy, 'mfaRequiredRoles' | 'separationOfDuties'>;
const LIMITS: Record<NumberField, [number, number]> = {
  passwordMinLength: [6, 128],
  passwordMinClasses: [1, 4],
  passwordHistory: [0, 24],
  passwordMaxAgeDays: [0, 3650],
  lockoutThreshold: [1, 100],
  lockoutMinutes: [1, 1440],
  sessionIdleMinutes: [1, 1440],
  sessionAbsoluteHours: [1, 720],
  auditRetentionDays: [180, 36500],
};

const SECTIONS: { key: 'password' | 'lockout' | 'session' | 'audit'; fields: NumberField[] }[] = [
  { key: 'password', fields: ['passwordMinLength', 'passwordMinClasses', 'passwordHistory', 'passwordMaxAgeDays'] },
  { key: 'lockout', fields: ['lockoutThreshold', 'lockoutMinutes'] },
  { key: 'session', fields: ['sessionIdleMinutes', 'sessionAbsoluteHours'] },
  { key: 'audit', fields: ['auditRetentionDays'] },
];

export default function SecurityPolicyPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('identity.policy.write');
  const kindLabel = useRoleKindLabel();
  const [form] = Form.useForm<SecurityPolicy>();
  const { data: policy, isLoading } = useSecurityPolicy();
  const update = useUpdateSecurityPolicy();

  useEffect(() => {
    if (policy) {
      form.setFieldsValue(policy);
    }
  }, [policy, form]);

  const submit = (values: SecurityPolicy) =>
    update.mutate(values, {
      onSuccess: () => void feedback.current?.message.success(t('policy.saved')),
      onError: (error) => applyServerErrors(form, error),
    });

  const numberItem = (field: NumberField) => {
    const [min, max] = LIMITS[field];
    return (
      <Col xs={24} md={12} key={field}>
        <Form.Item
          name={field}
          label={t(`policy.field.${field}`)}
          extra={t(`policy.help.${field}`, { value: RECOMMENDED_POLICY[field] })}
          rules={[
            { required: true, message: t('policy.validation.required') },
            { type: 'number', min, max, message: t('policy.validation.range', { min, max }) },
          ]}
        >
          <InputNumber min={min} max={max} precision={0} style={{ width: '100%' }} suffix={t(`policy.unit.${field}`)} />
        </Form.Item>
      </Col>
    );
  };

  return (
    <PageContainer
      title={t('nav.items.securityPolicy')}
      description={t('policy.description')}
      testId="security-policy-page"
      extra={
        canWrite && (
          <>
            <Button icon={<UndoOutlined />} onClick={() => form.setFieldsValue(RECOMMENDED_POLICY)} disabled={!policy}>
              {t('policy.fillRecommended')}
            </Button>
            <Button type="primary" icon={<SaveOutlined />} loading={update.isPending} onClick={() => form.submit()} disabled={!policy}>
              {t('common.save')}
            </Button>
          </>
        )
      }
    >
      {!canWrite && <Alert type="info" showIcon title={t('policy.readOnly')} />}
      {isLoading || !policy ? (
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      ) : (
        <Form form={form} layout="vertical" disabled={!canWrite} onFinish={submit} name="security-policy-form">
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {SECTIONS.slice(0, 3).map((section) => (
              <Card key={section.key} variant="borderless" title={t(`policy.section.${section.key}`)}>
                <Row gutter={24}>{section.fields.map(numberItem)}</Row>
              </Card>
            ))}
            <Card variant="borderless" title={t('policy.section.mfa')}>
              <Row gutter={24}>
                <Col xs={24} md={12}>
                  <Form.Item name="mfaRequiredRoles" label={t('policy.field.mfaRequiredRoles')} extra={t('policy.help.mfaRequiredRoles')}>
                    <Select
                      mode="multiple"
                      allowClear
                      placeholder={t('policy.placeholder.mfaRequiredRoles')}
                      options={BUILTIN_ROLE_KINDS.map((kind) => ({ value: kind, label: kindLabel(kind) }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="separationOfDuties"
                    label={t('policy.field.separationOfDuties')}
                    extra={t('policy.help.separationOfDuties')}
                    valuePropName="checked"
                  >
                    <Switch checkedChildren={t('common.on')} unCheckedChildren={t('common.off')} />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
            {SECTIONS.slice(3).map((section) => (
              <Card key={section.key} variant="borderless" title={t(`policy.section.${section.key}`)}>
                <Row gutter={24}>{section.fields.map(numberItem)}</Row>
              </Card>
            ))}
          </Space>
        </Form>
      )}
    </PageContainer>
  );
}
