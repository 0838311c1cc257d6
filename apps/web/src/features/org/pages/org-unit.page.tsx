import { useMemo, useState } from 'react';
import { Badge, Button, Card, Col, Empty, Input, Row, Skeleton, Space, Tree, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '@yunwei/contracts/org';
import { useAuth } from '../../../app/auth-context';
import { useOrgUnits } from '../api/use-org-units';
import { OrgUnitDetail } from '../components/org-unit-detail';
import { OrgUnitFormModal } from '../components/org-unit-form.modal';
import { buildOrgTree, type OrgTreeNode } from '../org-tree';
import { PageContainer } from '../../../shared/components/page-container';
import { useUrlFilters } from '../../../shared/use-url-filters';

type Editing = { unit: OrgUnit | null; parentId: string | null } | null;

function filterTree(nodes: OrgTreeNode[], keyword: string): OrgTreeNode[] {
  if (!keyword) {
    return nodes;
  }
  const lower = keyword.toLowerCase();
  return nodes.flatMap((node) => {
    const children = filterTree(node.children ?? [], keyword);
    const hit = node.unit.name.toLowerCase().includes(lower) || node.unit.code.toLowerCase().includes(lower);
    return hit || children.length > 0 ? [{ ...node, children: children.length > 0 ? children : node.children }] : [];
  });
}

export default function OrgUnitPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('org.unit.write');
  const { data: units = [], isLoading, refetch, isFetching } = useOrgUnits();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // In the URL, so a filtered tree can be linked and survives a reload.
  const search = useUrlFilters({ q: 'text' });
  const keyword = search.values.q.trim();
  const [editing, setEditing] = useState<Editing>(null);
  // Everything is expanded unless the user folded it (new units appear expanded too).
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const treeData = useMemo(() => filterTree(buildOrgTree(units), keyword), [units, keyword]);
  const selected = units.find((unit) => unit.id === selectedId);

  return (
    <PageContainer
      title={t('nav.items.orgUnits')}
      description={t('org.description')}
      testId="org-unit-page"
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void refetch()} loading={isFetching}>
            {t('common.refresh')}
          </Button>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ unit: null, parentId: null })}>
              {t('org.create')}
            </Button>
          )}
        </>
      }
    >
      <Row gutter={16}>
        <Col xs={24} md={10} xl={8}>
          <Card variant="borderless" title={t('org.treeTitle')} style={{ height: '100%' }}>
            <Space orientation="vertical" style={{ width: '100%' }} size="middle">
              <Input.Search
                allowClear
                placeholder={t('org.searchPlaceholder')}
                value={search.values.q}
                onChange={(event) => search.set({ q: event.target.value })}
              />
              {isLoading ? (
                <Skeleton active />
              ) : treeData.length === 0 && keyword ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noFilterMatch')}>
                  <Button onClick={search.clear}>{t('common.clearFilters')}</Button>
                </Empty>
              ) : treeData.length === 0 ? (
                <Empty description={t('org.emptyHint')} data-testid="org-empty">
                  {canWrite && (
                    <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ unit: null, parentId: null })}>
                      {t('org.createFirst')}
                    </Button>
                  )}
                </Empty>
              ) : (
                <Tree<OrgTreeNode>
                  blockNode
                  treeData={treeData}
                  expandedKeys={units.filter((unit) => keyword || !collapsed.has(unit.id)).map((unit) => unit.id)}
                  onExpand={(_, { node, expanded }) =>
                    setCollapsed((current) => {
                      const next = new Set(current);
                      if (expanded) {
                        next.delete(String(node.key));
                      } else {
                        next.add(String(node.key));
                      }
                      return next;
                    })
                  }
                  selectedKeys={selectedId ? [selectedId] : []}
                  onSelect={(keys) => setSelectedId(keys[0] ? String(keys[0]) : null)}
                  titleRender={(node) => (
                    <Space size={6}>
                      <span>{node.unit.name}</span>
                      {node.unit.code && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {node.unit.code}
                        </Typography.Text>
                      )}
                      <Badge count={node.unit.userCount} showZero={false} color="#8c8c8c" size="small" />
                    </Space>
                  )}
                  data-testid="org-tree"
                />
              )}
            </Space>
          </Card>
        </Col>
        <Col xs={24} md={14} xl={16}>
          <OrgUnitDetail
            unit={selected}
            units={units}
            canWrite={canWrite}
            onEdit={(unit) => setEditing({ unit, parentId: unit.parentId })}
            onAddChild={(unit) => setEditing({ unit: null, parentId: unit.id })}
            onDeleted={() => setSelectedId(null)}
          />
        </Col>
      </Row>
      <OrgUnitFormModal
        open={editing !== null}
        unit={editing?.unit}
        parentId={editing?.parentId}
        onClose={() => setEditing(null)}
        onSaved={(unit) => setSelectedId(unit.id)}
      />
    </PageContainer>
  );
}
