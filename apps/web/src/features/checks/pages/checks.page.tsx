import { useState } from 'react';
import { Button, Card, Input, Popconfirm, Select, Space, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CHECK_STATUSES, CHECK_TYPES, type Check, type CheckListQuery } from '@yunwei/contracts/checks';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { ResponsiveTable } from '../../../shared/components/responsive-table';
import { DateTime } from '../../../shared/components/date-time';
import { feedback } from '../../../shared/feedback';
import { useChecks, useDeleteCheck, useRunCheck } from '../api/use-checks';
import { CheckFormDrawer } from '../components/check-form.drawer';
import { CheckResultsDrawer } from '../components/check-results.drawer';
import { useCheckMessage } from '../components/check-message';
import { CheckStatusTag } from '../components/check-status-tag';
import { HeartbeatBar } from '../components/heartbeat-bar';
import { TlsDaysTag } from '../components/tls-days-tag';
import { UptimeFigures } from '../components/uptime-figures';

const PAGE_SIZE = 50;

/** Agentless checks: status, latency and last result of every check; create, edit, run now, history. */
export default function ChecksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [query, setQuery] = useState<CheckListQuery>({ offset: 0, limit: PAGE_SIZE });
  const [search, setSearch] = useState('');
  const checks = useChecks(query);
  const run = useRunCheck();
  const remove = useDeleteCheck();
  const [editing, setEditing] = useState<Check | null | undefined>(undefined);
  const [viewing, setViewing] = useState<Check | null>(null);
  const canWrite = can('checks.check.write');
  const canRun = can('checks.check.run');
  const say = useCheckMessage();
  const filter = (patch: Partial<CheckListQuery>) => setQuery((q) => ({ ...q, ...patch, offset: 0 }));

  const runNow = (check: Check) =>
    run
      .mutateAsync(check.id)
      .then((result) => {
        const text = t('checks.ranResult', { status: t(`checks.status.${result.status}`), message: say(result) ?? '' });
        void (result.status === 'up' ? feedback.current?.message.success(text) : feedback.current?.message.warning(text));
      })
      .catch(() => undefined);

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
            <Button type="link" size="small" loading={run.isPending && run.variables === c.id} onClick={() => void runNow(c)} data-testid={`check-run-${c.id}`}>
              {t('checks.runNow')}
            </Button>
          )}
          {canWrite && (
            <Button type="link" size="small" onClick={() => setEditing(c)}>
              {t('common.edit')}
            </Button>
          )}
          {canWrite && (
            <Popconfirm
              title={t('checks.deleteConfirm', { name: c.name })}
              okText={t('common.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() =>
                remove
                  .mutateAsync(c.id)
                  .then(() => void feedback.current?.message.success(t('common.deleted')))
                  .catch(() => undefined)
              }
            >
              <Button type="link" size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('nav.items.checks')}
      description={t('nav.descriptions.checks')}
      testId="checks-page"
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void checks.refetch()}>
            {t('common.refresh')}
          </Button>
          {canWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-check">
              {t('checks.create')}
            </Button>
          )}
        </>
      }
    >
      <Card variant="borderless">
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('checks.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(q) => filter({ q: q.trim() || undefined })}
            style={{ width: 280 }}
          />
          <Select
            allowClear
            placeholder={t('checks.field.type')}
            options={CHECK_TYPES.map((v) => ({ value: v, label: t(`checks.type.${v}`) }))}
            onChange={(type) => filter({ type })}
            style={{ width: 170 }}
            data-testid="checks-filter-type"
          />
          <Select
            allowClear
            placeholder={t('checks.field.status')}
            options={CHECK_STATUSES.map((v) => ({ value: v, label: t(`checks.status.${v}`) }))}
            onChange={(status) => filter({ status })}
            style={{ width: 140 }}
            data-testid="checks-filter-status"
          />
        </Space>
        <ResponsiveTable<Check>
          rowKey="id"
          columns={columns}
          dataSource={checks.data?.items}
          loading={checks.isLoading}
          scroll={{ x: 1520 }}
          locale={{ emptyText: t('checks.empty') }}
          pagination={{
            current: (query.offset ?? 0) / PAGE_SIZE + 1,
            pageSize: PAGE_SIZE,
            total: checks.data?.total,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            hideOnSinglePage: true,
            onChange: (page) => setQuery((q) => ({ ...q, offset: (page - 1) * PAGE_SIZE })),
          }}
          data-testid="checks-table"
          cards={{ title: 'name', badges: ['status'], fields: ['type', 'target', 'ciId', 'latencyMs'], actions: 'actions', onOpen: setViewing }}
        />
      </Card>
      <CheckFormDrawer open={editing !== undefined} check={editing ?? null} onClose={() => setEditing(undefined)} />
      <CheckResultsDrawer check={viewing ? (checks.data?.items.find((c) => c.id === viewing.id) ?? viewing) : null} onClose={() => setViewing(null)} />
    </PageContainer>
  );
}
