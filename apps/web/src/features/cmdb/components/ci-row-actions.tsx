import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ci } from '@yunwei/contracts/cmdb';
import { ConfirmButton, type ConfirmButtonProps } from '../../../shared/confirm-mutation';
import { useDeleteCi } from '../api/use-cmdb';

type DeleteCiProps = { ci: Ci; onDeleted?: () => void } & Pick<ConfirmButtonProps<unknown>, 'variant' | 'icon' | 'testId'>;

/** Deletes a CI after asking (its relations and group memberships go with it). */
export function DeleteCiButton({ ci, onDeleted, ...button }: DeleteCiProps) {
  const { t } = useTranslation();
  const remove = useDeleteCi();
  return (
    <ConfirmButton
      {...button}
      label={t('common.delete')}
      title={t('cmdb.ci.deleteTitle', { name: ci.name })}
      description={t('cmdb.ci.deleteConfirm')}
      okText={t('common.delete')}
      run={() => remove.mutateAsync(ci.id)}
      success={t('common.deleted')}
      onDone={onDeleted}
    />
  );
}

export function CiRowActions({ ci, canWrite, onEdit }: { ci: Ci; canWrite: boolean; onEdit: (ci: Ci) => void }) {
  const { t } = useTranslation();
  if (!canWrite) {
    return <Link to={`/cmdb/cis/${ci.id}`}>{t('common.view')}</Link>;
  }
  return (
    <Space size={0}>
      <Button type="link" size="small" onClick={() => onEdit(ci)}>
        {t('common.edit')}
      </Button>
      <DeleteCiButton ci={ci} testId={`ci-delete-${ci.name}`} />
    </Space>
  );
}
