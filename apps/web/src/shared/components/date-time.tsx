import dayjs from 'dayjs';
import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm:ss';

export function formatDateTime(value: number | null | undefined): string {
  return value ? dayjs(value).format(DATE_TIME_FORMAT) : '';
}

/** An epoch-ms time, or a muted placeholder when there is none. */
export function DateTime({ value, emptyText }: { value: number | null | undefined; emptyText?: string }) {
  const { t } = useTranslation();
  if (!value) {
    return <Typography.Text type="secondary">{emptyText ?? t('common.empty')}</Typography.Text>;
  }
  return (
    <Tooltip title={dayjs(value).format('YYYY-MM-DD HH:mm:ss.SSS Z')}>
      <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(value)}</span>
    </Tooltip>
  );
}
