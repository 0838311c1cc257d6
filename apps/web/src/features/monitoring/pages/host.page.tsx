import { useMemo, useState } from 'react';
import { Button, Card, Descriptions, Flex, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { DatabaseOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { PageContainer } from '../../../shared/components/page-container';
import { useHostCi } from '../api/use-monitoring';
import type { LiveStatus } from '../api/use-live';
import { HardwareStatus } from '../components/hardware-status';
import { ChecksTab, RelationsTab } from '../components/host-tabs';
import { InventoryView } from '../components/inventory-view';
import { LiveCharts, LiveStatusTag, type LiveChartDef } from '../components/live-charts';
import { CreateRuleFromChart } from '../../alerting/components/create-rule-from-chart';
import { TimeRangePicker } from '../components/time-range-picker';
import { presetWindow, type TimeWindow } from '../time-range';

/** The host's charts: one selector each (agent metrics carry ci="<id>"). */
function hostCharts(ciId: string, t: TFunction): LiveChartDef[] {
  const ci = JSON.stringify(ciId);
  return [
    { id: 'cpu', title: t('monitoring.host.cpu'), selector: `host_cpu_usage_percent{ci=${ci}}`, unit: 'percent', max: 100, kind: 'area' },
    { id: 'memory', title: t('monitoring.host.memory'), selector: `host_memory_usage_percent{ci=${ci}}`, unit: 'percent', max: 100, kind: 'area' },
    { id: 'load', title: t('monitoring.host.load'), selector: `{__name__=~"host_load(1|5|15)",ci=${ci}}`, unit: 'none' },
    { id: 'fs', title: t('monitoring.host.fs'), selector: `host_fs_usage_percent{ci=${ci}}`, unit: 'percent', max: 100 },
    { id: 'net', title: t('monitoring.host.net'), selector: `{__name__=~"host_net_(rx|tx)_bytes_per_second",ci=${ci}}`, unit: 'bytesPerSecond' },
    { id: 'disk', title: t('monitoring.host.disk'), selector: `{__name__=~"host_disk_(read|write)_bytes_per_second",ci=${ci}}`, unit: 'bytesPerSecond' },
  ];
}

export default function HostPage() {
  const { ciId = '' } = useParams();
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { data: ci, isLoading, error } = useHostCi(ciId);
  const [window, setWindow] = useState<TimeWindow>(() => presetWindow('1h'));
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const defs = useMemo(() => hostCharts(ciId, t), [ciId, t]);

  if (isLoading) {
    return <Skeleton active />;
  }
  if (!ci) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'error'} title={missing ? t('monitoring.host.notFound') : (error?.message ?? '')} extra={<Link to="/monitoring">{t('nav.items.monitoringOverview')}</Link>} />;
  }
  const empty = <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  return (
    <PageContainer
      title={
        <Space>
          {ci.name}
          <Tag>{localized(ci.className, language)}</Tag>
        </Space>
      }
      testId="host-page"
      extra={
        <Link to={`/cmdb/cis/${ci.id}`}>
          <Button icon={<DatabaseOutlined />}>{t('monitoring.host.cmdb')}</Button>
        </Link>
      }
    >
      <Card variant="borderless" size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} data-testid="host-facts">
          <Descriptions.Item label="IP">{ci.ip || empty}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.host.hostname')}>{ci.hostname || empty}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.host.owner')}>{ci.ownerName ?? empty}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.host.orgUnit')}>{ci.orgUnitName ?? empty}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.host.businessSystems')} span={{ xs: 1, md: 2, xl: 4 }}>
            {ci.businessSystems.length
              ? ci.businessSystems.map((b) => (
                  <Tag key={b.id} color="gold">
                    {b.name}
                  </Tag>
                ))
              : empty}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card variant="borderless" styles={{ body: { paddingTop: 4 } }}>
        <Tabs
          destroyOnHidden
          items={[
            {
              key: 'metrics',
              label: t('monitoring.host.tabs.metrics'),
              children: (
                <Flex vertical gap={16}>
                  <Flex justify="space-between" align="center" wrap gap={8}>
                    <TimeRangePicker value={window} onChange={setWindow} />
                    <LiveStatusTag status={status} live={window.live} />
                  </Flex>
                  <LiveCharts defs={defs} window={window} onStatus={setStatus} chartExtra={(def) => <CreateRuleFromChart chartId={def.id} selector={def.selector} title={def.title} />} />
                </Flex>
              ),
            },
            { key: 'hardware', label: t('monitoring.host.tabs.hardware'), children: <HardwareStatus ciId={ciId} /> },
            { key: 'inventory', label: t('monitoring.host.tabs.inventory'), children: <InventoryView ciId={ciId} /> },
            { key: 'checks', label: t('monitoring.host.tabs.checks'), children: <ChecksTab ciId={ciId} /> },
            { key: 'relations', label: t('monitoring.host.tabs.relations'), children: <RelationsTab ciId={ciId} /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
