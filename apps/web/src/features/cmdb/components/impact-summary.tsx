import { Card, Empty, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CiDetail, DependencyResult, GraphItem, ImpactResult } from '@yunwei/contracts/cmdb';
import type { GraphMode } from './graph-option';
import { PlainList } from './plain-list';

interface ImpactSummaryProps {
  mode: GraphMode;
  ci: CiDetail;
  impact: ImpactResult | undefined;
  dependencies: DependencyResult | undefined;
  className: (code: string | null) => string;
}

function ItemLink({ item, fallback }: { item: { id: string; name: string; restricted?: boolean; kind?: string }; fallback: string }) {
  if (item.restricted) {
    return <Typography.Text type="secondary">{fallback}</Typography.Text>;
  }
  return item.kind === 'group' ? <span>{item.name}</span> : <Link to={`/cmdb/cis/${item.id}`}>{item.name}</Link>;
}

function ItemLine({ item, restricted, className }: { item: GraphItem; restricted: string; className: (code: string | null) => string }) {
  return (
    <Space size={4} orientation="vertical">
      <ItemLink item={item} fallback={restricted} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {className(item.classCode)}
      </Typography.Text>
    </Space>
  );
}

/** Beside the graph: the impacted business systems (with the path that reaches them), groups and counts. */
export function ImpactSummary({ mode, ci, impact, dependencies, className }: ImpactSummaryProps) {
  const { t } = useTranslation();
  const restricted = t('cmdb.graph.restricted');
  if (mode === 'dependencies') {
    const items = dependencies?.dependencies ?? [];
    return (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card size="small" title={t('cmdb.graph.belongsTo')} data-testid="impact-business-systems">
          {ci.businessSystems.length ? (
            <Space wrap>
              {ci.businessSystems.map((b) => (
                <Tag key={b.id} color="gold">
                  <Link to={`/cmdb/cis/${b.id}`}>{b.name}</Link>
                </Tag>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">{ci.classCode === 'business_system' ? t('cmdb.graph.isBusinessSystem') : t('cmdb.graph.noBusinessSystem')}</Typography.Text>
          )}
        </Card>
        <Card size="small" title={t('cmdb.graph.dependencyCount', { count: items.length })}>
          <PlainList<GraphItem>
            items={items}
            rowKey={(item) => item.id}
            empty={t('cmdb.graph.emptyDependencies')}
            extra={(item) => <Typography.Text type="secondary">{t('cmdb.graph.hops', { count: item.depth })}</Typography.Text>}
            render={(item) => <ItemLine item={item} restricted={restricted} className={className} />}
          />
        </Card>
      </Space>
    );
  }

  const names = new Map((impact?.nodes ?? []).map((n) => [n.id, n.restricted ? restricted : n.name]));
  const systems = impact?.businessSystems ?? [];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title={t('cmdb.graph.affectedBusinessSystems')} data-testid="impact-business-systems" styles={{ header: { background: systems.length ? '#fff7e6' : undefined } }}>
        {systems.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cmdb.graph.noAffectedBusinessSystem')} />
        ) : (
          <PlainList<GraphItem>
            items={systems}
            rowKey={(b) => b.id}
            empty={null}
            render={(b) => (
                <Space orientation="vertical" size={2}>
                  <Space>
                    <Tag color="gold">{t('cmdb.class.businessSystem')}</Tag>
                    <Typography.Text strong>
                      <ItemLink item={b} fallback={restricted} />
                    </Typography.Text>
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('cmdb.graph.path')}：{b.path.map((id) => names.get(id) ?? restricted).join(' → ')}
                  </Typography.Text>
                </Space>
            )}
          />
        )}
      </Card>
      {(impact?.groups.length ?? 0) > 0 && (
        <Card size="small" title={t('cmdb.graph.groups')}>
          <PlainList
            items={impact?.groups ?? []}
            rowKey={(g) => g.id}
            empty={null}
            extra={(g) => <Tag color={g.state === 'down' ? 'red' : 'orange'}>{t(`cmdb.graph.groupState.${g.state}`)}</Tag>}
            render={(g) => (
                <Space orientation="vertical" size={2}>
                  <span>{g.name}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('cmdb.graph.groupSummary', { minUp: g.minUp, members: g.memberCount, down: g.downCount })}
                  </Typography.Text>
                </Space>
            )}
          />
        </Card>
      )}
      <Card size="small" title={t('cmdb.graph.affectedCount', { count: impact?.affected.length ?? 0 })}>
        <PlainList<GraphItem>
          items={(impact?.affected ?? []).filter((a) => !systems.some((b) => b.id === a.id))}
          rowKey={(item) => item.id}
          empty={t('cmdb.graph.emptyImpact')}
          extra={(item) => <Typography.Text type="secondary">{t('cmdb.graph.hops', { count: item.depth })}</Typography.Text>}
          render={(item) => <ItemLine item={item} restricted={restricted} className={className} />}
        />
      </Card>
    </Space>
  );
}
