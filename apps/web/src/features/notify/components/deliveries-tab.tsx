import { useState } from 'react';
import { Button, Space, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DELIVERY_STATUSES, type NotifyDelivery } from '@yunwei/contracts/notify';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useChannels, useDeliveries, useRetryDelivery } from '../api/use-notify';
import { DeliveryStatusTag } from './delivery-status-tag';

const PAGE_SIZE = 50;
const RETRYABLE = new Set(['failed', 'suppressed', 'retrying']);
/** A channel filter the server would refuse (an id mangled in a link) is not sent. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The delivery log: every message to every channel with its status, attempts, last error; retry. Filters in the URL. */
export function DeliveriesTab({ canSend }: { canSend: boolean }) {
  const { t } = useTranslation();
  // A deleted channel's deliveries stay: its id may still be in a link, so any id is kept.
  const filters = useUrlFilters({ channel: 'text', status: DELIVERY_STATUSES, source: 'text' });
  const { channel, status, source } = filters.values;
  const query = { channelId: ID.test(channel) ? channel : undefined, status: (status || undefined) as NotifyDelivery['status'] | undefined, sourceId: source.trim().slice(0, 100) || undefined };
  // Other filters, first page again.
  const queryKey = JSON.stringify(query);
  const [paging, setPaging] = useState({ queryKey, page: 1 });
  const page = paging.queryKey === queryKey ? paging.page : 1;
  const deliveries = useDeliveries({ ...query, offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const channels = useChannels();
  const retry = useRetryDelivery();

  const columns: TableColumnsType<NotifyDelivery> = [
    { title: t('notify.delivery.createdAt'), dataIndex: 'createdAt', width: 165, render: (v: number) => <DateTime value={v} /> },
    { title: t('notify.delivery.status'), dataIndex: 'status', width: 90, render: (status: NotifyDelivery['status']) => <DeliveryStatusTag status={status} /> },
    {
      title: t('notify.delivery.title'),
      dataIndex: 'title',
      width: 260,
      render: (title: string, d) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text ellipsis={{ tooltip: title }} style={{ maxWidth: 230 }}>
            {title}
          </Typography.Text>
          {d.lastError && (
            <Typography.Text type={d.status === 'sent' ? 'secondary' : 'danger'} ellipsis={{ tooltip: d.lastError }} style={{ fontSize: 12, maxWidth: 230 }} data-testid="notify-delivery-error">
              {d.lastError}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('notify.delivery.channel'),
      dataIndex: 'channelName',
      ellipsis: true,
      render: (name: string | null, d) => name ?? <Typography.Text type="secondary">{t('notify.delivery.channelDeleted', { id: d.channelId.slice(0, 8) })}</Typography.Text>,
    },
    {
      title: t('notify.delivery.source'),
      key: 'source',
      width: 120,
      ellipsis: true,
      render: (_, d) => (d.sourceKind ? `${t(`notify.source.${d.sourceKind}` as 'notify.source.test', { defaultValue: d.sourceKind })}` : t('common.empty')),
    },
    { title: t('notify.delivery.attempts'), dataIndex: 'attempts', width: 120, align: 'right' },
    {
      title: t('notify.delivery.when'),
      key: 'when',
      width: 180,
      render: (_, d) =>
        d.status === 'sent' ? (
          <Space orientation="vertical" size={0}>
            <DateTime value={d.sentAt} />
            {d.durationMs !== null && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{`${d.durationMs} ms`}</Typography.Text>}
          </Space>
        ) : d.nextAttemptAt ? (
          <Typography.Text type="secondary">
            {t('notify.delivery.nextAttempt')} <DateTime value={d.nextAttemptAt} />
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, d) =>
        canSend &&
        RETRYABLE.has(d.status) && (
          <Button
            type="link"
            size="small"
            loading={retry.isPending && retry.variables === d.id}
            onClick={() => void runWithFeedback({ run: () => retry.mutateAsync(d.id), success: t('notify.delivery.retried') })}
            data-testid={`notify-retry-${d.id}`}
          >
            {t('common.retry')}
          </Button>
        ),
    },
  ];

  return (
    <ListTable<NotifyDelivery, 'channel' | 'status' | 'source'>
      rowKey="id"
      columns={columns}
      dataSource={deliveries.data?.items}
      loading={deliveries.isLoading}
      scroll={{ x: 1170 }}
      filters={{
        state: filters,
        items: [
          { key: 'channel', type: 'select', placeholder: t('notify.delivery.channel'), options: (channels.data ?? []).map((c) => ({ value: c.id, label: c.name })), width: 220 },
          { key: 'status', type: 'select', placeholder: t('notify.delivery.status'), options: DELIVERY_STATUSES.map((v) => ({ value: v, label: t(`notify.deliveryStatus.${v}`) })), width: 150 },
          { key: 'source', type: 'search', placeholder: t('notify.delivery.sourceId'), width: 240 },
        ],
      }}
      // Sending a test is the way to see a first entry (and that messages arrive).
      empty={{
        description: t('notify.delivery.empty'),
        action: canSend && (
          <Link to="/alerts/channels" data-testid="notify-deliveries-empty-link">
            {t('notify.delivery.goSendTest')}
          </Link>
        ),
      }}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: deliveries.data?.total,
        showSizeChanger: false,
        showTotal: (total) => t('common.total', { total }),
        hideOnSinglePage: true,
        onChange: (next) => setPaging({ queryKey, page: next }),
      }}
      data-testid="notify-deliveries-table"
      cards={{ title: 'title', badges: ['status'], fields: ['channelName', 'source', 'createdAt', 'attempts', 'when'], actions: 'actions' }}
    />
  );
}
