import { useMemo, useState } from 'react';
import { Button, Card, Empty, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CiDetail, RedundancyGroup } from '@yunwei/contracts/cmdb';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useDeleteGroup, useGroup } from '../api/use-cmdb';
import { StatusTag } from './ci-tags';
import { GroupFormModal } from './group-form.modal';

type Member = RedundancyGroup['members'][number];

function GroupCard({ id, ciId, canWrite, onEdit }: { id: string; ciId: string; canWrite: boolean; onEdit: (g: RedundancyGroup) => void }) {
  const { t } = useTranslation();
  const { data: group, isLoading } = useGroup(id);
  const remove = useDeleteGroup();
  return (
    <Card
      size="small"
      loading={isLoading}
      title={
        group && (
          <Space>
            <span>{group.name}</span>
            <Tag color="blue">{t('cmdb.group.rule', { minUp: group.minUp, members: group.members.length })}</Tag>
          </Space>
        )
      }
      extra={
        canWrite &&
        group && (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => onEdit(group)}>
              {t('common.edit')}
            </Button>
            <ConfirmButton
              label={t('common.delete')}
              title={t('cmdb.group.deleteTitle', { name: group.name })}
              description={t('cmdb.group.deleteConfirm')}
              okText={t('common.delete')}
              run={() => remove.mutateAsync(group.id)}
              success={t('common.deleted')}
            />
          </Space>
        )
      }
    >
      {group?.description && <Typography.Paragraph type="secondary">{group.description}</Typography.Paragraph>}
      <ListTable<Member>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={group?.members}
        empty={{
          description: t('cmdb.group.noMembers'),
          action: canWrite && group && <Button onClick={() => onEdit(group)}>{t('cmdb.group.editMembers')}</Button>,
        }}
        columns={[
          {
            key: 'name',
            title: t('cmdb.ci.field.name'),
            render: (_, m) =>
              m.restricted ? (
                <Typography.Text type="secondary">{t('cmdb.graph.restricted')}</Typography.Text>
              ) : m.id === ciId ? (
                <Typography.Text strong>{m.name}</Typography.Text>
              ) : (
                <Link to={`/cmdb/cis/${m.id}`}>{m.name}</Link>
              ),
          },
          { key: 'class', title: t('cmdb.ci.field.class'), dataIndex: 'classCode', width: 160 },
          { key: 'status', title: t('cmdb.ci.field.status'), width: 110, render: (_, m) => (m.restricted ? null : <StatusTag status={m.status} />) },
        ]}
      />
    </Card>
  );
}

/** The redundancy groups this CI is a member of; create, edit and delete groups. */
export function GroupPanel({ ci, canWrite }: { ci: CiDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ group: RedundancyGroup | null } | null>(null);
  const self = useMemo(() => ({ id: ci.id, name: ci.name, classCode: ci.classCode }), [ci.id, ci.name, ci.classCode]);
  return (
    <Card
      variant="borderless"
      title={t('cmdb.group.ofCi', { count: ci.groups.length })}
      extra={
        canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setEditing({ group: null })} data-testid="group-create">
            {t('cmdb.group.create')}
          </Button>
        )
      }
      data-testid="group-panel"
    >
      <Typography.Paragraph type="secondary">{t('cmdb.group.help')}</Typography.Paragraph>
      {ci.groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cmdb.group.emptyOfCi')} data-testid="group-empty">
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ group: null })} data-testid="group-create-empty">
              {t('cmdb.group.create')}
            </Button>
          )}
        </Empty>
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {ci.groups.map((g) => (
            <GroupCard key={g.id} id={g.id} ciId={ci.id} canWrite={canWrite} onEdit={(group) => setEditing({ group })} />
          ))}
        </Space>
      )}
      <GroupFormModal
        open={editing !== null}
        group={editing?.group ?? null}
        initialMember={self}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}
