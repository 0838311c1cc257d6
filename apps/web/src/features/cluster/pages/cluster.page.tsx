import { Alert, Flex, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { DatabaseOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ClusterNode } from '@yunwei/contracts/cluster';
import { DateTime, formatDateTime } from '../../../shared/components/date-time';
import { ListPage } from '../../../shared/components/list-page';
import { ageParts } from '../../monitoring/metric-unit';
import { useCluster } from '../api/use-cluster';
import { useNow } from '../../../shared/use-now';

type NodeStatus = 'online' | 'stopped' | 'silent';

const STATUS_COLORS: Record<NodeStatus, string> = { online: 'success', stopped: 'default', silent: 'error' };
/** Online first, then the silent (something is wrong), then those that stopped cleanly. */
const STATUS_ORDER: Record<NodeStatus, number> = { online: 0, silent: 1, stopped: 2 };

/** The singleton work the server names (cluster.singleton), by its label under `cluster.lease`; other names show as they are. */
const LEASE_LABELS: Partial<Record<string, 'alertEvaluator' | 'alertDispatcher' | 'jobSchedules'>> = {
  'alerting.evaluator': 'alertEvaluator',
  'alerting.dispatcher': 'alertDispatcher',
  'platform.job-schedules': 'jobSchedules',
};

const statusOf = (node: ClusterNode): NodeStatus => (node.alive ? 'online' : node.stoppedAt !== null ? 'stopped' : 'silent');


/** How long ago, with the exact time on hover. */
function Age({ ts, now }: { ts: number; now: number }) {
  const { t } = useTranslation();
  const [unit, count] = ageParts(now - ts);
  return (
    <Tooltip title={formatDateTime(ts)}>
      <span style={{ whiteSpace: 'nowrap' }}>{t(`monitoring.latest.age.${unit}`, { count })}</span>
    </Tooltip>
  );
}

/** A node's version or schema version, marked when it is not the answering node's (an upgrade half done). */
function Release({ value, own }: { value: string; own: string | undefined }) {
  const { t } = useTranslation();
  const differs = own !== undefined && value !== own;
  return (
    <Typography.Text type={differs ? 'warning' : undefined} ellipsis={{ tooltip: differs ? t('cluster.differs', { value: own }) : value }}>
      {value}
    </Typography.Text>
  );
}

/** 平台管理 › 集群节点: the Yunwei processes on this database, their heartbeat and the singleton work each holds. */
export default function ClusterPage() {
  const { t } = useTranslation();
  const { data, isLoading, dataUpdatedAt } = useCluster();
  // Ages are measured on the server's clock (heartbeats are its times), whatever the browser's says.
  const now = useNow() + (data ? data.serverTime - dataUpdatedAt : 0);
  const filesNotShared = data?.nodes.some((node) => node.sharesFiles === false) ?? false;
  const leaseMs = data?.leaseMs ?? 0;
  const self = data?.nodes.find((node) => node.self);
  const rows = [...(data?.nodes ?? [])].sort((a, b) => Number(b.self) - Number(a.self) || STATUS_ORDER[statusOf(a)] - STATUS_ORDER[statusOf(b)] || b.startedAt - a.startedAt);
  // A silent node's work moves once its lease runs out and another node's next beat (every leaseMs / 3) takes it.
  const handOverSeconds = Math.ceil((leaseMs * 4) / 3 / 1000);

  const columns: TableColumnsType<ClusterNode> = [
    {
      title: t('cluster.field.node'),
      key: 'node',
      width: 160,
      render: (_, node) => (
        <Flex vertical>
          <Flex gap={8} align="center" wrap>
            <Typography.Text strong>{node.hostname}</Typography.Text>
            {node.self && (
              <Tag color="blue" data-testid="cluster-self">
                {t('cluster.self')}
              </Tag>
            )}
          </Flex>
          <Typography.Text type="secondary">PID {node.pid}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('cluster.field.status'),
      key: 'status',
      width: 110,
      render: (_, node) => {
        const status = statusOf(node);
        const hint =
          status === 'silent' ? t('cluster.silentHint', { seconds: Math.round(leaseMs / 1000) }) : status === 'stopped' ? t('cluster.stoppedHint', { time: formatDateTime(node.stoppedAt) }) : undefined;
        return (
          <Flex gap={4} wrap>
            <Tooltip title={hint}>
              <Tag color={STATUS_COLORS[status]} data-testid={`cluster-status-${status}`}>
                {t(`cluster.status.${status}`)}
              </Tag>
            </Tooltip>
            {node.sharesFiles === false && (
              <Tag color="warning" data-testid="cluster-files-not-shared">
                {t('cluster.filesNotSharedTag')}
              </Tag>
            )}
          </Flex>
        );
      },
    },
    { title: t('cluster.field.version'), dataIndex: 'version', width: 90, render: (value: string) => <Release value={value} own={self?.version} /> },
    { title: t('cluster.field.schemaVersion'), dataIndex: 'schemaVersion', width: 170, ellipsis: true, render: (value: string) => <Release value={value} own={self?.schemaVersion} /> },
    {
      title: t('cluster.field.startedAt'),
      dataIndex: 'startedAt',
      width: 160,
      render: (value: number) => (
        <Flex vertical>
          <DateTime value={value} />
          <Typography.Text type="secondary">
            <Age ts={value} now={now} />
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('cluster.field.heartbeatAt'), dataIndex: 'heartbeatAt', width: 110, render: (value: number) => <Age ts={value} now={now} /> },
    {
      title: (
        <Tooltip title={t('cluster.leasesHint')}>
          <span style={{ whiteSpace: 'nowrap' }}>
            {t('cluster.field.leases')} <QuestionCircleOutlined />
          </span>
        </Tooltip>
      ),
      key: 'leases',
      width: 220,
      render: (_, node) =>
        node.leases.length ? (
          <Flex gap={4} wrap data-testid="cluster-leases">
            {node.leases.map((name) => {
              const label = LEASE_LABELS[name];
              return (
                <Tooltip key={name} title={name}>
                  <Tag color="geekblue" style={{ marginInlineEnd: 0 }}>
                    {label ? t(`cluster.lease.${label}`) : name}
                  </Tag>
                </Tooltip>
              );
            })}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
        ),
    },
  ];

  return (
    <ListPage<ClusterNode>
      title={t('nav.items.cluster')}
      pageTestId="cluster-page"
      description={
        <>
          {t('cluster.description')}
          {data && (
            <span style={{ display: 'block', marginTop: 8 }} data-testid="cluster-database">
              <Typography.Text>
                <DatabaseOutlined style={{ marginInlineEnd: 6 }} />
                {data.database === 'postgres' ? t('cluster.database.postgres', { seconds: handOverSeconds }) : t('cluster.database.sqlite')}
              </Typography.Text>
            </span>
          )}
          {filesNotShared && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('cluster.filesNotShared')} data-testid="cluster-files-warning" />}
        </>
      }
      emptyDescription={t('cluster.empty')}
      rowKey="id"
      columns={columns}
      dataSource={rows}
      loading={isLoading}
      // The columns' widths, so they keep them (a long schema version is cut, its whole name on hover); fits 1440 px in English.
      scroll={{ x: 1020 }}
      pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
      cards={{ title: 'node', badges: ['status'] }}
      data-testid="cluster-table"
    />
  );
}
