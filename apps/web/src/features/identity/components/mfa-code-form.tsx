import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Flex, Input, type GetRef } from 'antd';
import { useTranslation } from 'react-i18next';

interface MfaCodeFormProps {
  onSubmit: (code: string) => void;
  loading: boolean;
  error?: string | null;
  submitText: string;
}

/** Six-digit TOTP input; submits by itself when the sixth digit is typed. */
export function MfaCodeForm({ onSubmit, loading, error, submitText }: MfaCodeFormProps) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [touched, setTouched] = useState(false);
  const otp = useRef<GetRef<typeof Input.OTP>>(null);
  useEffect(() => otp.current?.focus(), []);
  // A rejected code is cleared so the next one can be typed straight away.
  useEffect(() => {
    if (!error) {
      return;
    }
    setCode('');
    setTouched(false);
    otp.current?.focus();
  }, [error]);
  const valid = /^[0-9]{6}$/.test(code);

  const submit = (value = code) => {
    setTouched(true);
    if (/^[0-9]{6}$/.test(value)) {
      onSubmit(value);
    }
  };

  return (
    <Flex vertical gap={16}>
      {error && <Alert type="error" showIcon title={error} data-testid="mfa-error" />}
      <div>
        <Input.OTP
          length={6}
          size="large"
          value={code}
          formatter={(value) => value.replace(/\D/g, '')}
          onChange={(value) => {
            setCode(value);
            submit(value);
          }}
          onInput={(values) => setCode(values.join(''))}
          aria-label={t('auth.mfa.codeLabel')}
          ref={otp}
          autoComplete="one-time-code"
          data-testid="mfa-code"
        />
        {touched && !valid && (
          <div style={{ color: '#ff4d4f', marginTop: 4 }} role="alert">
            {t('auth.mfa.codeInvalid')}
          </div>
        )}
      </div>
      <Button type="primary" size="large" block loading={loading} onClick={() => submit()}>
        {submitText}
      </Button>
    </Flex>
  );
}
