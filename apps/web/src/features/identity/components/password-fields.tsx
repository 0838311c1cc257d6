import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

interface PasswordFieldsProps {
  name: string;
  label: string;
  autoComplete?: string;
}

/** A new password and its confirmation. The server applies the full password policy. */
export function PasswordFields({ name, label, autoComplete = 'new-password' }: PasswordFieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name={name}
        label={label}
        extra={t('password.policyHint')}
        rules={[
          { required: true, message: t('password.validation.required') },
          { max: 256, message: t('common.validation.maxLength', { max: 256 }) },
        ]}
        hasFeedback
      >
        <Input.Password autoComplete={autoComplete} placeholder={t('password.placeholder.new')} />
      </Form.Item>
      <Form.Item
        name={`${name}Confirm`}
        label={t('password.field.confirm')}
        dependencies={[name]}
        hasFeedback
        rules={[
          { required: true, message: t('password.validation.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) =>
              !value || getFieldValue(name) === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.validation.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete={autoComplete} placeholder={t('password.placeholder.confirm')} />
      </Form.Item>
    </>
  );
}
