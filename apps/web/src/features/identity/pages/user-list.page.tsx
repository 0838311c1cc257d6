import { useState } from 'react';
import { Button, Card, Col, Input, Row, Select, Space, Table, type TableProps } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User, UserQuery } from '@yunwei/contracts/identity';
import { useAuth } from '../../../app/auth-context';
import { useUsers } from '../api/use-users';
import { useOrgUnits } from '../../org/api/use-org-units';
import { OrgUnitFilterTree } from '../../org/components/org-unit-filter-tree';
import { useUserColumns } from '../components/use-user-columns';
import { UserRowActions } from '../components/user-row-actions';
import { UserFormDrawer } from '../components/user-form.drawer';
import { UserRolesModal } from '../components/user-roles.modal';
import { ResetPasswordModal } from '../components/reset-password.modal';
import { DutyAccountsReminder } from '../components/duty-accounts-reminder';
import { PageContainer } from '../../../shared/components/page-container';

const DEFAULT_QUERY: UserQuery = { offset: 0, limit: 20, sort: 'createdAt', order: 'desc' };
type SortField = NonNullable<UserQuery['sort']>;
const SORT_FIELDS: readonly SortField[] = ['username', 'displayName', 'createdAt', 'lastLoginAt'];

export default function UserListPage() {
  const { t } = useTranslation();
  const { can, session } = useAuth();
  const canWrite = can('identity.user.write');
  const canAssign = can('access.assignment.write') && can('access.role.read');
  const canResetMfa = can('identity.mfa.reset');
  const [query, setQuery] = useState<UserQuery>(DEFAULT_QUERY);
  const { data, isFetching, refetch } = useUsers(query);
  const { data: units = [] } = useOrgUnits();
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [rolesFor, setRolesFor] = useState<User | null>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);

  const patch = (next: Partial<UserQuery>) => setQuery((current) => ({ ...current, offset: 0, ...next }));

  const columns = useUserColumns(query, units, (user) => (
    <UserRowActions
      user={user}
      isSelf={user.id === session?.user.id}
      canWrite={canWrite}
      canAssign={canAssign}
      canResetMfa={canResetMfa}
      onEdit={(u) => setEditing({ user: u })}
      onRoles={setRolesFor}
      onResetPassword={setResetFor}
    />
  ));

  const onTableChange: TableProps<User>['onChange'] = (pagination, filters, sorter, extra) => {
    const limit = pagination.pageSize ?? 20;
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = SORT_FIELDS.find((f) => f === single?.columnKey);
    const status = filters.status?.[0];
    setQuery((current) => ({
      ...current,
      limit,
      offset: extra.action === 'paginate' ? ((pagination.current ?? 1) - 1) * limit : 0,
      sort: single?.order && field ? field : undefined,
      order: single?.order === 'descend' ? 'desc' : single?.order === 'ascend' ? 'asc' : undefined,
      status: status === 'active' || status === 'disabled' ? status : undefined,
    }));
  };

  const limit = query.limit ?? 20;
  return (
    <PageContainer
      title={t('nav.items.users')}
      description={t('user.description')}
      testId="user-list-page"
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ user: null })}>
            {t('user.create')}
          </Button>
        )
      }
    >
      <DutyAccountsReminder />
      <Row gutter={16}>
        {can('org.unit.read') && (
          <Col xs={24} lg={6} xl={5} xxl={4}>
            <OrgUnitFilterTree units={units} value={query.orgUnitId ?? null} onChange={(id) => patch({ orgUnitId: id ?? undefined })} />
          </Col>
        )}
        <Col xs={24} lg={can('org.unit.read') ? 18 : 24} xl={can('org.unit.read') ? 19 : 24} xxl={can('org.unit.read') ? 20 : 24}>
          <Card variant="borderless">
            <Space style={{ marginBottom: 16 }} wrap>
              <Input.Search
                allowClear
                placeholder={t('user.searchPlaceholder')}
                style={{ width: 260 }}
                onSearch={(value) => patch({ q: value.trim() || undefined })}
                data-testid="user-search"
              />
              <Select
                allowClear
                style={{ width: 140 }}
                placeholder={t('user.field.status')}
                value={query.status}
                onChange={(status) => patch({ status })}
                options={[
                  { value: 'active', label: t('user.status.active') },
                  { value: 'disabled', label: t('user.status.disabled') },
                ]}
              />
              <Button icon={<ReloadOutlined />} onClick={() => void refetch()}>
                {t('common.refresh')}
              </Button>
            </Space>
            <Table<User>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={data?.items}
              loading={isFetching}
              scroll={{ x: 1270 }}
              onChange={onTableChange}
              pagination={{
                current: Math.floor((query.offset ?? 0) / limit) + 1,
                pageSize: limit,
                total: data?.total ?? 0,
                showSizeChanger: true,
                showTotal: (total) => t('common.total', { total }),
              }}
            />
          </Card>
        </Col>
      </Row>
      <UserFormDrawer open={editing !== null} user={editing?.user ?? null} onClose={() => setEditing(null)} />
      <UserRolesModal user={rolesFor} onClose={() => setRolesFor(null)} />
      <ResetPasswordModal user={resetFor} onClose={() => setResetFor(null)} />
    </PageContainer>
  );
}
