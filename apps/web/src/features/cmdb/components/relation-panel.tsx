import { useState } from 'react';
import { Button, Card, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CiDetail, Relation } from '@yunwei/contracts/cmdb';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useCiRelations, useDeleteRelation, useUpdateRelation } from '../api/use-cmdb';
import { RelationFormModal } from './relation-form.modal';

type Direction = 'outgoing' | 'incoming';

/** What this CI relies on (outgoing) and what relies on it (incoming), with add / remove / propagation. */
export function RelationPanel({ ci, canWrite }: { ci: CiDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const restricted = t('cmdb.graph.restricted');
  const { data, isFetching } = useCiRelations(ci.id);
  const update = useUpdateRelation();
  const remove = useDeleteRelation();
  const [adding, setAdding] = useState<Direction | null>(null);

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
    return name ? <Link to={`/cmdb/cis/${id}`}>{name}</Link> : <Typography.Text type="secondary">{restricted}</Typography.Text>;
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
              <ConfirmButton
                label={t('common.delete')}
                title={t('cmdb.relation.deleteTitle', { type: t(`cmdb.relationType.${r.type}`), name: (side === 'target' ? r.targetName : r.sourceName) ?? restricted })}
                okText={t('common.delete')}
                run={() => remove.mutateAsync(r.id)}
                success={t('common.deleted')}
              />
            ),
          },
        ]
      : []),
  ];

  const addButton = (direction: Direction, testId: string) =>
    canWrite && (
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(direction)} data-testid={testId}>
        {t('cmdb.relation.add')}
      </Button>
    );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="relation-panel">
      <Card variant="borderless" title={t('cmdb.relation.outgoing', { count: data?.outgoing.length ?? 0 })} extra={addButton('outgoing', 'relation-add')}>
        <Typography.Paragraph type="secondary">{t('cmdb.relation.outgoingHelp')}</Typography.Paragraph>
        <ListTable<Relation>
          rowKey="id"
          size="small"
          loading={isFetching}
          dataSource={data?.outgoing}
          columns={columns('target')}
          pagination={false}
          empty={{ description: t('cmdb.relation.emptyOutgoing'), action: addButton('outgoing', 'relation-add-empty') }}
          data-testid="relations-outgoing"
        />
      </Card>
      <Card variant="borderless" title={t('cmdb.relation.incoming', { count: data?.incoming.length ?? 0 })}>
        <Typography.Paragraph type="secondary">{t('cmdb.relation.incomingHelp')}</Typography.Paragraph>
        <ListTable<Relation>
          rowKey="id"
          size="small"
          loading={isFetching}
          dataSource={data?.incoming}
          columns={columns('source')}
          pagination={false}
          empty={{ description: t('cmdb.relation.emptyIncoming'), action: addButton('incoming', 'relation-add-incoming') }}
          data-testid="relations-incoming"
        />
      </Card>
      <RelationFormModal ci={ci} open={adding !== null} direction={adding ?? 'outgoing'} onClose={() => setAdding(null)} />
    </Space>
  );
}
