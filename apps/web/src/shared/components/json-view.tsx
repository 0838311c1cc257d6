import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Pretty-printed JSON, or a placeholder for null/undefined. */
export function JsonView({ value, testId }: { value: unknown; testId?: string }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) {
    return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  }
  return (
    <pre className="yw-json" data-testid={testId}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
