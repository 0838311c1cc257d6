import { useState } from 'react';
import { Button, Card, Popconfirm, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CiDetail, Relation } from '@yunwei/contracts/cmdb';
import { feedback } from '../../../shared/feedback';
import { useCiRelations, useDeleteRelation, useUpdateRelation } from '../api/use-cmdb';
import { RelationFormModal } from './relation-form.modal';

/** What this CI relies on (outgoing) and what relies on it (incoming), with add / remove / propagation. */
export function RelationPanel({ ci, canWrite }: { ci: CiDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const { data, isFetching } = useCiRelations(ci.id);
  const update = useUpdateRelation();
  const remove = useDeleteRelation();
  const [adding, setAdding] = useState(false);

  const other = (r: Relation, side: 'source' | 'target') => {
    if (side === 'target' && r.targetKind === 'group') {
      return (
        <Space size={4}>
          <Tag color="default">{t('cmdb.relation.kindGroup')}</Tag>
          {r.targetName}
        </Space>
      );
    }
    const id = side === 'source' ? r.sourceId : r.targetId;
    const name = side === 'source' ? r.sourceName : r.targetName;
    return name ? <Link to={`/cmdb/cis/${id}`}>{name}</Link> : <Typography.Text type="secondary">{t('cmdb.graph.restricted')}</Typography.Text>;
  };

  const columns = (side: 'source' | 'target') => [
    { key: 'type', title: t('cmdb.relation.type'), width: 110, render: (_: unknown, r: Relation) => <Tooltip title={t(`cmdb.relationReading.${r.type}`)}>{t(`cmdb.relationType.${r.type}`)}</Tooltip> },
    { key: 'other', title: side === 'target' ? t('cmdb.relation.target') : t('cmdb.relation.source'), render: (_: unknown, r: Relation) => other(r, side) },
    {
      key: 'propagates',
      title: <Tooltip title={t('cmdb.relation.propagatesHelp')}>{t('cmdb.relation.propagates')}</Tooltip>,
      width: 110,
      render: (_: unknown, r: Relation) => (
        <Switch
          size="small"
          checked={r.propagates}
          disabled={!canWrite}
          loading={update.isPending && update.variables.id === r.id}
          onChange={(propagates) => update.mutate({ id: r.id, body: { propagates } })}
        />
      ),
    },
    { key: 'description', title: t('cmdb.relation.description'), dataIndex: 'description', ellipsis: true },
    ...(canWrite
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right' as const,
            width: 80,
            render: (_: unknown, r: Relation) => (
              <Popconfirm
                title={t('cmdb.relation.deleteConfirm')}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => remove.mutateAsync(r.id).then(() => void feedback.current?.message.success(t('common.deleted')))}
              >
                <Button type="link" size="small" danger>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="relation-panel">
      <Card
        variant="borderless"
        title={t('cmdb.relation.outgoing', { count: data?.outgoing.length ?? 0 })}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="relation-add">
              {t('cmdb.relation.add')}
            </Button>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('cmdb.relation.outgoingHelp')}</Typography.Paragraph>
        <Table<Relation> rowKey="id" size="small" loading={isFetching} dataSource={data?.outgoing} columns={columns('target')} pagination={false} locale={{ emptyText: t('cmdb.relation.emptyOutgoing') }} />
      </Card>
      <Card variant="borderless" title={t('cmdb.relation.incoming', { count: data?.incoming.length ?? 0 })}>
        <Typography.Paragraph type="secondary">{t('cmdb.relation.incomingHelp')}</Typography.Paragraph>
        <Table<Relation> rowKey="id" size="small" loading={isFetching} dataSource={data?.incoming} columns={columns('source')} pagination={false} locale={{ emptyText: t('cmdb.relation.emptyIncoming') }} />
      </Card>
      <RelationFormModal ci={ci} open={adding} onClose={() => setAdding(false)} />
    </Space>
  );
}
