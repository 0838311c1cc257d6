import { Button, Dropdown, Space, type MenuProps } from 'antd';
import { DownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '@yunwei/contracts/identity';
import { useResetMfa, useUnlockUser, useUpdateUser } from '../api/use-users';
import { confirmAndRun } from '../../../shared/confirm-mutation';

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
      confirmAndRun({
        title: t('user.resetMfaConfirmTitle', { name: user.username }),
        description: t('user.resetMfaConfirm'),
        okText: t('user.resetMfa'),
        run: () => resetMfa.mutateAsync(user.id),
        success: t('user.resetMfaDone', { name: user.username }),
      });
    }
    if (key === 'unlock') {
      confirmAndRun({ title: t('user.unlockConfirm', { name: user.username }), okText: t('user.unlock'), danger: false, run: () => unlock.mutateAsync(user.id), success: t('user.unlocked', { name: user.username }) });
    }
    if (key === 'status') {
      confirmAndRun({
        title: disabling ? t('user.disableConfirmTitle') : t('user.enableConfirmTitle'),
        description: disabling ? t('user.disableConfirm', { name: user.username }) : undefined,
        okText: disabling ? t('user.disable') : t('user.enable'),
        danger: disabling,
        run: () => update.mutateAsync({ id: user.id, body: { status: disabling ? 'disabled' : 'active' } }),
        success: disabling ? t('user.disabled') : t('user.enabled'),
      });
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
