import { useState } from 'react';
import { Button, Card, Col, Row, type TableProps } from 'antd';
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
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { useUrlFilters, type UrlFilters } from '../../../shared/use-url-filters';

type Paging = Pick<UserQuery, 'offset' | 'limit' | 'sort' | 'order'>;
type FilterKey = 'q' | 'status' | 'orgUnitId';
const DEFAULT_PAGING: Paging = { offset: 0, limit: 20, sort: 'createdAt', order: 'desc' };
type SortField = NonNullable<UserQuery['sort']>;
const SORT_FIELDS: readonly SortField[] = ['username', 'displayName', 'createdAt', 'lastLoginAt'];
const USER_STATUSES = ['active', 'disabled'] as const;

export default function UserListPage() {
  const { t } = useTranslation();
  const { can, session } = useAuth();
  const canWrite = can('identity.user.write');
  const canAssign = can('access.assignment.write') && can('access.role.read');
  const canResetMfa = can('identity.mfa.reset');
  const canSeeUnits = can('org.unit.read');
  const urlFilters = useUrlFilters<FilterKey>({ q: 'text', status: USER_STATUSES, orgUnitId: 'text' });
  const [paging, setPaging] = useState<Paging>(DEFAULT_PAGING);
  // Another filter starts again from the first page.
  const filters: UrlFilters<FilterKey> = {
    ...urlFilters,
    set: (changes) => {
      setPaging((current) => ({ ...current, offset: 0 }));
      urlFilters.set(changes);
    },
    clear: () => {
      setPaging((current) => ({ ...current, offset: 0 }));
      urlFilters.clear();
    },
  };
  const { q, status, orgUnitId } = filters.values;
  const query: UserQuery = { ...paging, q: q.trim() || undefined, status: (status || undefined) as UserQuery['status'], orgUnitId: orgUnitId || undefined };
  const { data, isFetching, refetch } = useUsers(query);
  const { data: units = [] } = useOrgUnits();
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [rolesFor, setRolesFor] = useState<User | null>(null);
  const [resetFor, setResetFor] = useState<User | null>(null);

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

  const onTableChange: TableProps<User>['onChange'] = (pagination, _filters, sorter, extra) => {
    const limit = pagination.pageSize ?? 20;
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = SORT_FIELDS.find((f) => f === single?.columnKey);
    setPaging({
      limit,
      offset: extra.action === 'paginate' ? ((pagination.current ?? 1) - 1) * limit : 0,
      sort: single?.order && field ? field : undefined,
      order: single?.order === 'descend' ? 'desc' : single?.order === 'ascend' ? 'asc' : undefined,
    });
  };

  const create = () => setEditing({ user: null });
  const limit = paging.limit ?? 20;
  return (
    <PageContainer
      title={t('nav.items.users')}
      description={t('user.description')}
      testId="user-list-page"
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void refetch()}>
            {t('common.refresh')}
          </Button>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={create}>
              {t('user.create')}
            </Button>
          )}
        </>
      }
    >
      <DutyAccountsReminder />
      <Row gutter={16}>
        {canSeeUnits && (
          <Col xs={24} lg={6} xl={5} xxl={4}>
            <OrgUnitFilterTree units={units} value={orgUnitId || null} onChange={(id) => filters.set({ orgUnitId: id ?? '' })} />
          </Col>
        )}
        <Col xs={24} lg={canSeeUnits ? 18 : 24} xl={canSeeUnits ? 19 : 24} xxl={canSeeUnits ? 20 : 24}>
          <Card variant="borderless">
            <ListTable<User, FilterKey>
              filters={{
                state: filters,
                items: [
                  { key: 'q', type: 'search', placeholder: t('user.searchPlaceholder') },
                  { key: 'status', type: 'select', placeholder: t('user.field.status'), options: USER_STATUSES.map((s) => ({ value: s, label: t(`user.status.${s}`) })), width: 140 },
                ],
              }}
              empty={{
                description: t('user.empty'),
                action: canWrite && (
                  <Button type="primary" icon={<PlusOutlined />} onClick={create} data-testid="user-create-empty">
                    {t('user.createFirst')}
                  </Button>
                ),
              }}
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={data?.items}
              loading={isFetching}
              scroll={{ x: 1270 }}
              onChange={onTableChange}
              pagination={{
                current: Math.floor((paging.offset ?? 0) / limit) + 1,
                pageSize: limit,
                total: data?.total ?? 0,
                showSizeChanger: true,
                showTotal: (total) => t('common.total', { total }),
              }}
              data-testid="user-table"
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
