import { useState } from 'react';
import { Button, Input, Select, Space, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { DELIVERY_STATUSES, type NotifyDelivery, type NotifyDeliveryListQuery } from '@yunwei/contracts/notify';
import { DateTime } from '../../../shared/components/date-time';
import { ResponsiveTable } from '../../../shared/components/responsive-table';
import { feedback } from '../../../shared/feedback';
import { useChannels, useDeliveries, useRetryDelivery } from '../api/use-notify';
import { DeliveryStatusTag } from './delivery-status-tag';

const PAGE_SIZE = 50;
const RETRYABLE = new Set(['failed', 'suppressed', 'retrying']);

/** The delivery log: every message to every channel with its status, attempts, last error; retry. */
export function DeliveriesTab({ canRetry }: { canRetry: boolean }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState<NotifyDeliveryListQuery>({ offset: 0, limit: PAGE_SIZE });
  const deliveries = useDeliveries(query);
  const channels = useChannels();
  const retry = useRetryDelivery();
  const filter = (patch: Partial<NotifyDeliveryListQuery>) => setQuery((q) => ({ ...q, ...patch, offset: 0 }));

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
        canRetry &&
        RETRYABLE.has(d.status) && (
          <Button
            type="link"
            size="small"
            loading={retry.isPending && retry.variables === d.id}
            onClick={() =>
              retry
                .mutateAsync(d.id)
                .then(() => void feedback.current?.message.success(t('notify.delivery.retried')))
                .catch(() => undefined)
            }
            data-testid={`notify-retry-${d.id}`}
          >
            {t('common.retry')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('notify.delivery.channel')}
          options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={(channelId?: string) => filter({ channelId })}
          style={{ width: 220 }}
          data-testid="notify-filter-channel"
        />
        <Select
          allowClear
          placeholder={t('notify.delivery.status')}
          options={DELIVERY_STATUSES.map((v) => ({ value: v, label: t(`notify.deliveryStatus.${v}`) }))}
          onChange={(status?: NotifyDelivery['status']) => filter({ status })}
          style={{ width: 150 }}
          data-testid="notify-filter-status"
        />
        <Input.Search allowClear placeholder={t('notify.delivery.sourceId')} onSearch={(v) => filter({ sourceId: v.trim() || undefined })} style={{ width: 240 }} />
        <Button icon={<ReloadOutlined />} onClick={() => void deliveries.refetch()}>
          {t('common.refresh')}
        </Button>
      </Space>
      <ResponsiveTable<NotifyDelivery>
        rowKey="id"
        columns={columns}
        dataSource={deliveries.data?.items}
        loading={deliveries.isLoading}
        scroll={{ x: 1170 }}
        locale={{ emptyText: t('notify.delivery.empty') }}
        pagination={{
          current: (query.offset ?? 0) / PAGE_SIZE + 1,
          pageSize: PAGE_SIZE,
          total: deliveries.data?.total,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { total }),
          hideOnSinglePage: true,
          onChange: (page) => setQuery((q) => ({ ...q, offset: (page - 1) * PAGE_SIZE })),
        }}
        data-testid="notify-deliveries-table"
        cards={{ title: 'title', badges: ['status'], fields: ['channelName', 'source', 'createdAt', 'attempts', 'when'], actions: 'actions' }}
      />
    </>
  );
}
