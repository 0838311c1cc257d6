import { useState } from 'react';
import { Button, Space, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CHECK_STATUSES, CHECK_TYPES, type Check, type CheckListQuery } from '@yunwei/contracts/checks';
import { useAuth } from '../../../app/auth-context';
import { ListPage } from '../../../shared/components/list-page';
import { DateTime } from '../../../shared/components/date-time';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useFilteredPage } from '../../../shared/use-filtered-page';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useChecks, useDeleteCheck } from '../api/use-checks';
import { CheckFormDrawer } from '../components/check-form.drawer';
import { CheckResultsDrawer } from '../components/check-results.drawer';
import { useCheckMessage } from '../components/check-message';
import { CheckStatusTag } from '../components/check-status-tag';
import { HeartbeatBar } from '../components/heartbeat-bar';
import { TlsDaysTag } from '../components/tls-days-tag';
import { UptimeFigures } from '../components/uptime-figures';
import { useRunNow } from '../components/use-run-now';

const PAGE_SIZE = 50;

/** Agentless checks: status, latency and last result of every check; create, edit, run now, history. */
export default function ChecksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const filters = useUrlFilters({ q: 'text', type: CHECK_TYPES, status: CHECK_STATUSES });
  const { q, type, status } = filters.values;
  const [page, setPage] = useFilteredPage(filters.values);
  const checks = useChecks({ q: q.trim() || undefined, type: (type || undefined) as CheckListQuery['type'], status: (status || undefined) as CheckListQuery['status'], offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const remove = useDeleteCheck();
  const { runNow, running } = useRunNow();
  const [editing, setEditing] = useState<Check | null | undefined>(undefined);
  const [viewing, setViewing] = useState<Check | null>(null);
  const canWrite = can('checks.check.write');
  const canRun = can('checks.check.run');
  const say = useCheckMessage();

  const columns: TableColumnsType<Check> = [
    {
      title: t('checks.field.status'),
      dataIndex: 'status',
      width: 170,
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <CheckStatusTag status={c.status} enabled={c.enabled} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <DateTime value={c.lastCheckedAt} emptyText={t('checks.never')} />
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('checks.field.name'),
      dataIndex: 'name',
      width: 260,
      render: (name: string, c) => (
        <Space orientation="vertical" size={0} style={{ maxWidth: 240 }}>
          <Typography.Link strong onClick={() => setViewing(c)} data-testid={`check-name-${c.id}`}>
            {name}
          </Typography.Link>
          {say(c) && (
            <Typography.Text type={c.status === 'down' ? 'danger' : c.status === 'pending' ? 'warning' : 'secondary'} ellipsis={{ tooltip: say(c) }} style={{ fontSize: 12, maxWidth: 240 }} data-testid="check-message">
              {say(c)}
            </Typography.Text>
          )}
          <TlsDaysTag days={c.tlsDaysLeft} />
        </Space>
      ),
    },
    {
      title: t('checks.field.heartbeat'),
      key: 'heartbeat',
      // 40 bars of 4 px with 2 px between them, and the cell's padding.
      width: 280,
      render: (_, c) => (
        <Space orientation="vertical" size={2}>
          <HeartbeatBar beats={c.heartbeat} />
          <UptimeFigures uptime={c.uptime} />
        </Space>
      ),
    },
    { title: t('checks.field.type'), dataIndex: 'type', width: 120, render: (type: Check['type']) => t(`checks.type.${type}`) },
    { title: t('checks.field.target'), dataIndex: 'target', ellipsis: { showTitle: true }, render: (target: string) => <Typography.Text code>{target}</Typography.Text> },
    {
      title: t('checks.field.ci'),
      dataIndex: 'ciId',
      width: 130,
      ellipsis: true,
      render: (ciId: string | null, c) => (ciId ? <Link to={`/cmdb/cis/${ciId}`}>{c.ciName ?? ciId}</Link> : <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>),
    },
    {
      title: t('scopes.field.orgUnit'),
      dataIndex: 'orgUnitName',
      width: 120,
      ellipsis: true,
      render: (name: string | null) => name ?? <Typography.Text type="secondary">{t('scopes.wholeOrganisation')}</Typography.Text>,
    },
    {
      title: t('checks.field.latency'),
      dataIndex: 'latencyMs',
      width: 100,
      align: 'right',
      render: (v: number | null) => (v === null ? <Typography.Text type="secondary">{t('common.empty')}</Typography.Text> : <span data-testid="check-latency">{`${v.toFixed(1)} ms`}</span>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 180,
      fixed: 'right',
      render: (_, c) => (
        <Space size={0}>
          {canRun && (
            <Button type="link" size="small" loading={running(c.id)} onClick={() => void runNow(c)} data-testid={`check-run-${c.id}`}>
              {t('checks.runNow')}
            </Button>
          )}
          {canWrite && (
            <Button type="link" size="small" onClick={() => setEditing(c)}>
              {t('common.edit')}
            </Button>
          )}
          {canWrite && <ConfirmButton label={t('common.delete')} title={t('checks.deleteConfirm', { name: c.name })} okText={t('common.delete')} run={() => remove.mutateAsync(c.id)} success={t('common.deleted')} />}
        </Space>
      ),
    },
  ];

  return (
    <ListPage<Check, 'q' | 'type' | 'status'>
      title={t('nav.items.checks')}
      description={t('nav.descriptions.checks')}
      pageTestId="checks-page"
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void checks.refetch()}>
          {t('common.refresh')}
        </Button>
      }
      primaryAction={canWrite ? { label: t('checks.create'), emptyLabel: t('checks.createFirst'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'create-check' } : undefined}
      emptyDescription={t('checks.empty')}
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('checks.searchPlaceholder'), width: 280 },
          { key: 'type', type: 'select', placeholder: t('checks.field.type'), options: CHECK_TYPES.map((v) => ({ value: v, label: t(`checks.type.${v}`) })), width: 170 },
          { key: 'status', type: 'select', placeholder: t('checks.field.status'), options: CHECK_STATUSES.map((v) => ({ value: v, label: t(`checks.status.${v}`) })), width: 140 },
        ],
      }}
      rowKey="id"
      columns={columns}
      dataSource={checks.data?.items}
      loading={checks.isLoading}
      scroll={{ x: 1520 }}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: checks.data?.total,
        showSizeChanger: false,
        showTotal: (total) => t('common.total', { total }),
        hideOnSinglePage: true,
        onChange: setPage,
      }}
      data-testid="checks-table"
      cards={{ title: 'name', badges: ['status'], fields: ['type', 'target', 'ciId', 'latencyMs'], actions: 'actions', onOpen: setViewing }}
    >
      <CheckFormDrawer open={editing !== undefined} check={editing ?? null} onClose={() => setEditing(undefined)} />
      <CheckResultsDrawer check={viewing ? (checks.data?.items.find((c) => c.id === viewing.id) ?? viewing) : null} onClose={() => setViewing(null)} />
    </ListPage>
  );
}
