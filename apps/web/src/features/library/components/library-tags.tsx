import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LibraryDocumentStatus, LibraryVersionStatus } from '@yunwei/contracts/library';
import { formatDateTime } from '../../../shared/components/date-time';

const COLOURS: Record<LibraryDocumentStatus | LibraryVersionStatus, string> = {
  draft: 'default',
  in_review: 'processing',
  approved: 'cyan',
  published: 'success',
  superseded: 'default',
  retired: 'error',
};

/** A document's or a version's life-cycle state. */
export function LibraryStatusTag({ status, testId }: { status: LibraryDocumentStatus | LibraryVersionStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOURS[status]} data-testid={testId}>
      {t(`library.status.${status}`)}
    </Tag>
  );
}

/** The next review date: red once it has passed. */
export function ReviewDue({ at, overdue }: { at: number | null; overdue: boolean }) {
  const { t } = useTranslation();
  if (!at) {
    return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  }
  const day = formatDateTime(at).slice(0, 10);
  return overdue ? (
    <Typography.Text type="danger" strong data-testid="review-overdue">
      {day} · {t('library.field.overdue')}
    </Typography.Text>
  ) : (
    <span>{day}</span>
  );
}
