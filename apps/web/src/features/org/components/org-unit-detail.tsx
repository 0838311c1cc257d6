import { useState } from 'react';
import { Button, Card, Descriptions, Empty, Flex, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { User } from '@yunwei/contracts/identity';
import type { OrgUnit } from '@yunwei/contracts/org';
import { useAuth } from '../../../app/auth-context';
import { useUsers } from '../../identity/api/use-users';
import { useDeleteOrgUnit } from '../api/use-org-units';
import { unitPath } from '../org-tree';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';

const PAGE_SIZE = 10;

interface OrgUnitDetailProps {
  unit: OrgUnit | undefined;
  units: OrgUnit[];
  canWrite: boolean;
  onEdit: (unit: OrgUnit) => void;
  onAddChild: (unit: OrgUnit) => void;
  onDeleted: () => void;
}

export function OrgUnitDetail({ unit, units, canWrite, onEdit, onAddChild, onDeleted }: OrgUnitDetailProps) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const remove = useDeleteOrgUnit();

  if (!unit) {
    return (
      <Card variant="borderless" title={t('org.detailTitle')}>
        <Empty description={t('org.selectHint')} />
      </Card>
    );
  }
  const childCount = units.filter((item) => item.parentId === unit.id).length;
  const blocked = childCount > 0 || unit.userCount > 0;

  return (
    <Flex vertical gap={16}>
      <Card
        variant="borderless"
        title={unit.name}
        data-testid="org-unit-detail"
        extra={
          canWrite && (
            <Space>
              <Button icon={<PlusOutlined />} onClick={() => onAddChild(unit)}>
                {t('org.addChild')}
              </Button>
              <Button icon={<EditOutlined />} onClick={() => onEdit(unit)}>
                {t('common.edit')}
              </Button>
              <ConfirmButton
                variant="default"
                icon={<DeleteOutlined />}
                label={t('common.delete')}
                title={t('org.deleteConfirmTitle')}
                description={
                  <>
                    {t('org.deleteConfirm', { name: unit.name })}
                    {blocked && (
                      <Typography.Text type="warning" style={{ display: 'block', maxWidth: 280 }}>
                        {t('org.deleteBlocked')}
                      </Typography.Text>
                    )}
                  </>
                }
                okText={t('common.delete')}
                run={() => remove.mutateAsync(unit.id)}
                success={t('common.deleted')}
                onDone={onDeleted}
              />
            </Space>
          )
        }
      >
        <Descriptions
          column={1}
          bordered
          size="middle"
          items={[
            { key: 'name', label: t('org.field.name'), children: unit.name },
            { key: 'code', label: t('org.field.code'), children: unit.code || t('common.empty') },
            {
              key: 'path',
              label: t('org.field.path'),
              children: unitPath(units, unit.id),
            },
            { key: 'children', label: t('org.field.childCount'), children: childCount },
            { key: 'users', label: t('org.field.userCount'), children: unit.userCount },
            { key: 'sortOrder', label: t('org.field.sortOrder'), children: unit.sortOrder },
            { key: 'leader', label: t('org.field.leader'), children: unit.leaderName ?? t('org.field.noLeader') },
            { key: 'createdAt', label: t('common.createdAt'), children: <DateTime value={unit.createdAt} /> },
            { key: 'updatedAt', label: t('common.updatedAt'), children: <DateTime value={unit.updatedAt} /> },
          ]}
        />
      </Card>
      {can('identity.user.read') && <UnitMembers key={unit.id} unit={unit} />}
    </Flex>
  );
}

/** The unit's own users (not its sub-units'), a page at a time; an empty unit says how it gets members. */
function UnitMembers({ unit }: { unit: OrgUnit }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [page, setPage] = useState(1);
  const users = useUsers({ orgUnitId: unit.id, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, sort: 'username', order: 'asc' });
  const cis = can('cmdb.ci.read') && <Link to={`/cmdb/cis?orgUnitId=${unit.id}`}>{t('org.members.toCis')}</Link>;
  return (
    <Card variant="borderless" title={t('org.members.title')} extra={cis} data-testid="org-unit-members">
      <ListTable<User>
        rowKey="id"
        size="small"
        columns={[
          { title: t('user.field.displayName'), dataIndex: 'displayName' },
          { title: t('user.field.username'), dataIndex: 'username' },
          { title: t('user.field.status'), dataIndex: 'status', width: 100, render: (status: User['status']) => <Tag color={status === 'active' ? 'green' : 'default'}>{t(`user.status.${status}`)}</Tag> },
        ]}
        dataSource={users.data?.items}
        loading={users.isLoading}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: users.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
        empty={{
          description: t('org.members.empty'),
          action: (
            <Space size="large" wrap>
              <Link to="/platform/users">{t('org.members.toUsers')}</Link>
              {can('cmdb.ci.read') && <Link to="/cmdb/cis">{t('org.members.toCmdb')}</Link>}
            </Space>
          ),
        }}
      />
    </Card>
  );
}
