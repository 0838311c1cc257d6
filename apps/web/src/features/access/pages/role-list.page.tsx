import { useState } from 'react';
import { Button, Space, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { DeleteOutlined, EditOutlined, EyeOutlined, LockOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Role } from '@yunwei/contracts/access';
import { useAuth } from '../../../app/auth-context';
import { useDeleteRole, useRoles } from '../api/use-roles';
import { RoleFormDrawer } from '../components/role-form.drawer';
import { BUILTIN_ROLE_KINDS, roleKindColor, useRoleDescription, useRoleKindLabel, useRoleName } from '../role-kind';
import { ListPage } from '../../../shared/components/list-page';
import { DateTime } from '../../../shared/components/date-time';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useUrlFilters, type UrlFilters } from '../../../shared/use-url-filters';

export default function RoleListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('access.role.write');
  const kindLabel = useRoleKindLabel();
  const roleName = useRoleName();
  const roleDescription = useRoleDescription();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const urlFilters = useUrlFilters({ q: 'text' });
  // A new search starts from the first page.
  const firstPage = () => setPage((p) => ({ ...p, current: 1 }));
  const filters: UrlFilters<'q'> = {
    ...urlFilters,
    set: (changes) => {
      firstPage();
      urlFilters.set(changes);
    },
    clear: () => {
      firstPage();
      urlFilters.clear();
    },
  };
  const q = filters.values.q.trim();
  const { data, isFetching, refetch } = useRoles({ offset: (page.current - 1) * page.pageSize, limit: page.pageSize, q: q || undefined });
  const remove = useDeleteRole();
  const [drawer, setDrawer] = useState<{ role: Role | null } | null>(null);

  const columns: TableProps<Role>['columns'] = [
    {
      title: t('role.field.name'),
      dataIndex: 'name',
      render: (name: string, role) => (
        <Space>
          <Typography.Link onClick={() => setDrawer({ role })}>{roleName(name, role.kind)}</Typography.Link>
          {role.builtin && (
            <Tag icon={<LockOutlined />} color="blue">
              {t('role.builtin')}
            </Tag>
          )}
        </Space>
      ),
    },
    {
      title: t('role.field.kind'),
      dataIndex: 'kind',
      width: 150,
      filters: [...BUILTIN_ROLE_KINDS, 'custom' as const].map((kind) => ({ text: kindLabel(kind), value: kind })),
      onFilter: (value, role) => role.kind === value,
      render: (kind: string) => <Tag color={roleKindColor(kind)}>{kindLabel(kind)}</Tag>,
    },
    { title: t('role.field.description'), dataIndex: 'description', ellipsis: true, render: (description: string, role) => roleDescription(description, role.kind) },
    {
      title: t('role.field.permissionCount'),
      dataIndex: 'permissions',
      width: 130,
      align: 'right',
      render: (permissions: string[]) => permissions.length,
    },
    {
      title: t('role.field.userCount'),
      dataIndex: 'userCount',
      width: 100,
      align: 'right',
      sorter: (a, b) => a.userCount - b.userCount,
    },
    {
      title: t('common.updatedAt'),
      dataIndex: 'updatedAt',
      width: 180,
      render: (value: number) => <DateTime value={value} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_, role) => {
        const editable = canWrite && !role.builtin;
        return (
          <Space size={0}>
            <Button type="link" size="small" icon={editable ? <EditOutlined /> : <EyeOutlined />} onClick={() => setDrawer({ role })}>
              {editable ? t('common.edit') : t('common.view')}
            </Button>
            {canWrite && (
              <Tooltip title={role.builtin ? t('role.builtinReadOnly') : undefined}>
                <span>
                  <ConfirmButton
                    label={t('common.delete')}
                    icon={<DeleteOutlined />}
                    disabled={role.builtin}
                    title={t('role.deleteTitle', { name: roleName(role.name, role.kind) })}
                    description={
                      role.userCount > 0 ? (
                        <Typography.Text type="warning" style={{ display: 'block', maxWidth: 280 }}>
                          {t('role.inUseHint')}
                        </Typography.Text>
                      ) : (
                        t('role.deleteConfirm')
                      )
                    }
                    okText={t('common.delete')}
                    run={() => remove.mutateAsync(role.id)}
                    success={t('common.deleted')}
                  />
                </span>
              </Tooltip>
            )}
          </Space>
        );
      },
    },
  ];

  const create = () => setDrawer({ role: null });
  return (
    <ListPage<Role, 'q'>
      title={t('nav.items.roles')}
      description={t('role.description')}
      pageTestId="role-list-page"
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void refetch()}>
          {t('common.refresh')}
        </Button>
      }
      primaryAction={canWrite ? { label: t('role.create'), icon: <PlusOutlined />, onClick: create, testId: 'role-create' } : undefined}
      emptyDescription={t('role.empty')}
      filters={{ state: filters, items: [{ key: 'q', type: 'search', placeholder: t('role.searchPlaceholder'), width: 280 }] }}
      rowKey="id"
      columns={columns}
      dataSource={data?.items}
      loading={isFetching}
      scroll={{ x: 960 }}
      pagination={{
        current: page.current,
        pageSize: page.pageSize,
        total: data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (total) => t('common.total', { total }),
      }}
      onChange={(pagination) => setPage({ current: pagination.current ?? 1, pageSize: pagination.pageSize ?? 20 })}
      data-testid="role-table"
    >
      <RoleFormDrawer open={drawer !== null} role={drawer?.role ?? null} canWrite={canWrite} onClose={() => setDrawer(null)} />
    </ListPage>
  );
}
