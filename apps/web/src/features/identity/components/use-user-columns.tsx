import type { ReactNode } from 'react';
import { Space, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '@yunwei/contracts/org';
import type { User, UserQuery } from '@yunwei/contracts/identity';
import { roleKindColor, useRoleName } from '../../access/role-kind';
import { unitPath } from '../../org/org-tree';
import { DateTime } from '../../../shared/components/date-time';
import { useSeededText } from '../../../shared/use-seeded-text';
import { UserStatusTags } from './user-status-tags';

type SortField = NonNullable<UserQuery['sort']>;

function sortOrderOf(query: UserQuery, field: SortField) {
  if (query.sort !== field) {
    return null;
  }
  return query.order === 'desc' ? ('descend' as const) : ('ascend' as const);
}

/** Columns of the user table; sorting is done by the server (the status filter is above the table). */
export function useUserColumns(query: UserQuery, units: OrgUnit[], actions: (user: User) => ReactNode) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  const seeded = useSeededText();
  const scopeText = (ids: string[] | null) =>
    ids === null ? t('user.scope.all') : ids.map((id) => unitPath(units, id) || id).join('；');

  const columns: TableColumnsType<User> = [
    {
      title: t('user.field.username'),
      dataIndex: 'username',
      key: 'username',
      sorter: true,
      sortOrder: sortOrderOf(query, 'username'),
      fixed: 'left',
      width: 140,
      render: (username: string, user) => (
        <Space size={4}>
          <Typography.Text strong>{username}</Typography.Text>
          {user.locked && <LockOutlined style={{ color: '#ff4d4f' }} aria-label={t('user.status.locked')} />}
        </Space>
      ),
    },
    {
      title: t('user.field.displayName'),
      dataIndex: 'displayName',
      key: 'displayName',
      sorter: true,
      sortOrder: sortOrderOf(query, 'displayName'),
      width: 120,
      render: (name: string) => seeded(name),
    },
    {
      title: t('user.field.status'),
      key: 'status',
      width: 150,
      render: (_, user) => <UserStatusTags user={user} />,
    },
    {
      title: t('user.field.orgUnit'),
      dataIndex: 'orgUnitId',
      key: 'orgUnit',
      width: 180,
      ellipsis: true,
      render: (id: string | null) => unitPath(units, id) || <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>,
    },
    {
      title: t('user.field.roles'),
      dataIndex: 'roles',
      key: 'roles',
      width: 240,
      render: (roles: User['roles']) =>
        roles.length === 0 ? (
          <Typography.Text type="secondary">{t('user.noRoles')}</Typography.Text>
        ) : (
          <Space size={[0, 4]} wrap>
            {roles.map((role) => (
              <Tooltip key={role.roleId} title={t('user.scopeTooltip', { scope: scopeText(role.orgUnitIds) })}>
                <Tag color={roleKindColor(role.roleKind)}>
                  {roleName(role.roleName, role.roleKind)}
                  {role.orgUnitIds !== null && ` · ${t('user.scope.partial')}`}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        ),
    },
    {
      title: t('user.field.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      sorter: true,
      sortOrder: sortOrderOf(query, 'lastLoginAt'),
      width: 165,
      render: (value: number | null) => <DateTime value={value} emptyText={t('user.neverLoggedIn')} />,
    },
    {
      title: t('common.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      sorter: true,
      sortOrder: sortOrderOf(query, 'createdAt'),
      width: 165,
      render: (value: number) => <DateTime value={value} />,
    },
    { title: t('common.actions'), key: 'actions', fixed: 'right', width: 200, render: (_, user) => actions(user) },
  ];
  return columns;
}
