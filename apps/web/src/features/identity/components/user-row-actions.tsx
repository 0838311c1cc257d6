import { Button, Dropdown, Space, type MenuProps } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '@yunwei/contracts/identity';
import { useResetMfa, useUnlockUser, useUpdateUser } from '../api/use-users';
import { feedback } from '../../../shared/feedback';

interface UserRowActionsProps {
  user: User;
  isSelf: boolean;
  canWrite: boolean;
  canAssign: boolean;
  /** Holds identity.mfa.reset (the security administrator under 三员分立). */
  canResetMfa: boolean;
  onEdit: (user: User) => void;
  onRoles: (user: User) => void;
  onResetPassword: (user: User) => void;
}

/** 编辑 · 分配角色 · 更多 (重置密码 / 重置多因素认证 / 解锁 / 停用·启用 — each confirmed first). */
export function UserRowActions({ user, isSelf, canWrite, canAssign, canResetMfa, onEdit, onRoles, onResetPassword }: UserRowActionsProps) {
  const { t } = useTranslation();
  const update = useUpdateUser();
  const unlock = useUnlockUser();
  const resetMfa = useResetMfa();
  const disabling = user.status === 'active';

  const confirm = (title: string, content: string | undefined, danger: boolean, run: () => Promise<unknown>, done: string) => {
    feedback.current?.modal.confirm({
      title,
      content,
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger },
      // The global handler shows a failure; resolve so the dialog closes either way.
      onOk: () =>
        run()
          .then(() => void feedback.current?.message.success(done))
          .catch(() => undefined),
    });
  };

  const more: MenuProps['items'] = [
    ...(canWrite ? [{ key: 'reset', label: t('user.resetPassword') }] : []),
    ...(canResetMfa && user.mfaEnabled && !isSelf ? [{ key: 'reset-mfa', label: t('user.resetMfa') }] : []),
    ...(canWrite && user.locked ? [{ key: 'unlock', label: t('user.unlock') }] : []),
    ...(canWrite
      ? [
          { type: 'divider' as const },
          {
            key: 'status',
            label: disabling ? t('user.disable') : t('user.enable'),
            danger: disabling,
            disabled: isSelf,
            title: isSelf ? t('user.cannotChangeSelf') : undefined,
          },
        ]
      : []),
  ];

  const onMore: MenuProps['onClick'] = ({ key }) => {
    if (key === 'reset') {
      onResetPassword(user);
    }
    if (key === 'reset-mfa') {
      confirm(t('user.resetMfaConfirmTitle', { name: user.username }), t('user.resetMfaConfirm'), true, () => resetMfa.mutateAsync(user.id), t('user.resetMfaDone', { name: user.username }));
    }
    if (key === 'unlock') {
      confirm(t('user.unlockConfirm', { name: user.username }), undefined, false, () => unlock.mutateAsync(user.id), t('user.unlocked', { name: user.username }));
    }
    if (key === 'status') {
      confirm(
        disabling ? t('user.disableConfirmTitle') : t('user.enableConfirmTitle'),
        disabling ? t('user.disableConfirm', { name: user.username }) : undefined,
        disabling,
        () => update.mutateAsync({ id: user.id, body: { status: disabling ? 'disabled' : 'active' } }),
        disabling ? t('user.disabled') : t('user.enabled'),
      );
    }
  };

  return (
    <Space size={0}>
      {canWrite && (
        <Button type="link" size="small" onClick={() => onEdit(user)}>
          {t('common.edit')}
        </Button>
      )}
      {canAssign && (
        <Button type="link" size="small" onClick={() => onRoles(user)}>
          {t('user.assignRoles')}
        </Button>
      )}
      {(canWrite || canResetMfa) && (
        <Dropdown menu={{ items: more, onClick: onMore }} trigger={['click']}>
          <Button type="link" size="small" data-testid={`user-more-${user.username}`}>
            {t('common.more')} <DownOutlined />
          </Button>
        </Dropdown>
      )}
    </Space>
  );
}
