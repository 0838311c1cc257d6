import { useQueries } from '@tanstack/react-query';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Check } from '@yunwei/contracts/checks';
import { api } from '../../../app/api-client';

/**
 * The checks a rule is bound to (`spec.checkIds`), by name: a read-only Form control that keeps the
 * ids in the form, so saving the rule keeps it bound to them.
 */
export function CheckNames({ value, id }: { value?: readonly string[]; id?: string }) {
  const { t } = useTranslation();
  const ids = value ?? [];
  const checks = useQueries({
    queries: ids.map((checkId) => ({
      queryKey: ['checks', 'one', checkId],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Check>(`/api/checks/${checkId}`, {}, signal),
      retry: false,
    })),
  });
  if (!ids.length) {
    return (
      <Typography.Text type="secondary" id={id}>
        {t('checks.boundToNone')}
      </Typography.Text>
    );
  }
  return (
    <Typography.Text id={id} data-testid="rule-check-names">
      {checks.map((q) => (q.data ? q.data.name : q.isError ? t('checks.boundGone') : '…')).join(' · ') || ids.length}
    </Typography.Text>
  );
}
