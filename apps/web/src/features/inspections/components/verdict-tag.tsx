import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Verdict } from '@yunwei/contracts/inspections';

const COLORS: Record<Verdict, string> = { normal: 'success', abnormal: 'error', unavailable: 'default', no_data: 'warning', pending: 'processing' };

/** A result's verdict; "not exposed" is grey: neither a pass nor a failure. */
export function VerdictTag({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[verdict]} data-testid={`verdict-${verdict}`}>
      {t(`inspections.verdict.${verdict}`)}
    </Tag>
  );
}
