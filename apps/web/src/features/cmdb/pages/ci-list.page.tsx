import { useState } from 'react';
import { Button, Card, Dropdown, Space, type TableProps } from 'antd';
import { DownloadOutlined, ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Ci, CiListItem } from '@yunwei/contracts/cmdb';
import { downloadFile } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { reportError } from '../../../app/query-client';
import { useCiClasses, useCis } from '../api/use-cmdb';
import { useCiFilterItems } from '../components/ci-filters';
import { CiFormDrawer } from '../components/ci-form.drawer';
import { CiRowActions } from '../components/ci-row-actions';
import { ImportDrawer } from '../components/import.drawer';
import { CI_SORT_FIELDS, ciFilters, useCiQuery, type CiFilterKey } from '../components/use-ci-query';
import { useCiColumns } from '../components/use-ci-columns';

export default function CiListPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const canWrite = can('cmdb.ci.write');
  const canImport = can('cmdb.ci.import');
  const [query, patch] = useCiQuery();
  const { data, isFetching, refetch } = useCis({ ...query, q: query.q?.trim() || undefined, withBusinessSystems: true });
  const { data: classes = [] } = useCiClasses();
  const filterItems = useCiFilterItems(query.classId ?? '', classes);
  const [editing, setEditing] = useState<{ ci: Ci | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);

  const columns = useCiColumns(query, classes, (ci) => <CiRowActions ci={ci} canWrite={canWrite} onEdit={(c) => setEditing({ ci: c })} />);

  const onTableChange: TableProps<CiListItem>['onChange'] = (pagination, _filters, sorter, extra) => {
    const limit = pagination.pageSize ?? 20;
    const single = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = CI_SORT_FIELDS.find((f) => f === single?.columnKey);
    patch(
      {
        limit,
        offset: extra.action === 'paginate' ? ((pagination.current ?? 1) - 1) * limit : 0,
        sort: single?.order && field ? field : undefined,
        order: single?.order === 'descend' ? 'desc' : single?.order === 'ascend' ? 'asc' : undefined,
      },
      true,
    );
  };

  const exportAs = (format: 'xlsx' | 'csv') => {
    const { offset: _offset, limit: _limit, ...filters } = query;
    setExporting(true);
    downloadFile('/api/cmdb/export', { ...filters, format }, `cmdb-export.${format}`)
      .catch(reportError)
      .finally(() => setExporting(false));
  };

  // The three ways CIs come in: one by one, from a spreadsheet, or hosts registering through the agent.
  const canSeeAgents = can('agents.agent.read');
  const firstSteps = (canWrite || canImport || canSeeAgents) && (
    <Space wrap>
      {canWrite && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ ci: null })} data-testid="ci-create-empty">
          {t('cmdb.ci.create')}
        </Button>
      )}
      {canImport && (
        <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="ci-import-empty">
          {t('cmdb.ci.importFromExcel')}
        </Button>
      )}
      {canSeeAgents && (
        <Link to="/monitoring/agents" data-testid="ci-install-agent">
          {t('cmdb.ci.installAgent')}
        </Link>
      )}
    </Space>
  );

  const limit = query.limit ?? 20;
  return (
    <PageContainer
      title={t('nav.items.cmdbCis')}
      description={t('cmdb.ci.description')}
      testId="ci-list-page"
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void refetch()}>
            {t('common.refresh')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'xlsx', label: t('cmdb.export.xlsx') },
                { key: 'csv', label: t('cmdb.export.csv') },
              ],
              onClick: ({ key }) => exportAs(key === 'csv' ? 'csv' : 'xlsx'),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting} data-testid="ci-export" title={t('cmdb.export.hint')}>
              {t('cmdb.export.button')}
            </Button>
          </Dropdown>
          {canImport && (
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="ci-import">
              {t('cmdb.import.button')}
            </Button>
          )}
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ ci: null })} data-testid="ci-create">
              {t('cmdb.ci.create')}
            </Button>
          )}
        </>
      }
    >
      <Card variant="borderless">
        <ListTable<CiListItem, CiFilterKey>
          filters={{ state: ciFilters(query, patch), items: filterItems }}
          empty={{ description: t('cmdb.ci.empty'), action: firstSteps }}
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={data?.items}
          loading={isFetching}
          scroll={{ x: 1400 }}
          onChange={onTableChange}
          pagination={{
            current: Math.floor((query.offset ?? 0) / limit) + 1,
            pageSize: limit,
            total: data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
          }}
          cards={{ title: 'name', badges: ['status'], fields: ['class', 'ip', 'businessSystems', 'owner', 'updatedAt'], actions: 'actions', onOpen: (ci) => void navigate(`/cmdb/cis/${ci.id}`) }}
          data-testid="ci-table"
        />
      </Card>
      <CiFormDrawer
        open={editing !== null}
        ci={editing?.ci ?? null}
        defaultClassId={query.classId}
        onClose={() => setEditing(null)}
        onCreated={(ci) => void navigate(`/cmdb/cis/${ci.id}`)}
      />
      <ImportDrawer open={importing} defaultClassId={query.classId} onClose={() => setImporting(false)} onShowImported={(classId) => patch({ classId, q: undefined, status: undefined })} />
    </PageContainer>
  );
}
