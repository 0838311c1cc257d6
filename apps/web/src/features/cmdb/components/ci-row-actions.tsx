import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ci } from '@yunwei/contracts/cmdb';
import { feedback } from '../../../shared/feedback';
import { useDeleteCi } from '../api/use-cmdb';

/** Asks before deleting a CI (its relations and group memberships go with it). */
export function useConfirmDeleteCi() {
  const { t } = useTranslation();
  const remove = useDeleteCi();
  return (ci: Ci, onDeleted?: () => void) =>
    feedback.current?.modal.confirm({
      title: t('cmdb.ci.deleteTitle', { name: ci.name }),
      content: t('cmdb.ci.deleteConfirm'),
      okText: t('common.delete'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      // The global handler shows a failure; resolve so the dialog closes either way.
      onOk: () =>
        remove
          .mutateAsync(ci.id)
          .then(() => {
            void feedback.current?.message.success(t('common.deleted'));
            onDeleted?.();
          })
          .catch(() => undefined),
    });
}

export function CiRowActions({ ci, canWrite, onEdit }: { ci: Ci; canWrite: boolean; onEdit: (ci: Ci) => void }) {
  const { t } = useTranslation();
  const confirmDelete = useConfirmDeleteCi();
  if (!canWrite) {
    return <Link to={`/cmdb/cis/${ci.id}`}>{t('common.view')}</Link>;
  }
  return (
    <Space size={0}>
      <Button type="link" size="small" onClick={() => onEdit(ci)}>
        {t('common.edit')}
      </Button>
      <Button type="link" size="small" danger onClick={() => confirmDelete(ci)} data-testid={`ci-delete-${ci.name}`}>
        {t('common.delete')}
      </Button>
    </Space>
  );
}
