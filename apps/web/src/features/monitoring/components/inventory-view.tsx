import { Card, Descriptions, Empty, Skeleton, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { useInventory } from '../api/use-monitoring';
import { formatBytes } from '../format';

/** The agent's latest inventory of a host; an empty state when no agent has reported one. */
export function InventoryView({ ciId }: { ciId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { data, isLoading, isError } = useInventory(ciId);
  if (isLoading) {
    return <Skeleton active />;
  }
  if (!data) {
    return (
      <Empty description={isError ? t('monitoring.inventory.unavailable') : t('monitoring.inventory.none')} data-testid="inventory-empty">
        {!isError && can('agents.agent.read') && <Link to="/monitoring/agents">{t('home.state.gettingStarted.goAgents')}</Link>}
      </Empty>
    );
  }
  const inv = data.inventory;
  const small = { size: 'small' as const, pagination: { pageSize: 10, hideOnSinglePage: true } };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="inventory">
      <Card size="small" title={t('monitoring.inventory.system')}>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }}>
          <Descriptions.Item label={t('monitoring.inventory.os')}>{`${inv.os.distro} ${inv.os.release}`}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.inventory.kernel')}>{inv.os.kernel}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.inventory.hostname')}>{inv.os.hostname}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.inventory.model')}>{`${inv.hardware.manufacturer} ${inv.hardware.model}`}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.inventory.serial')}>{inv.hardware.serial}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.inventory.cpu')}>{`${inv.cpu.brand} × ${inv.cpu.cores}`}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.inventory.memory')}>{formatBytes(inv.memory.totalBytes)}</Descriptions.Item>
          <Descriptions.Item label={t('monitoring.inventory.collectedAt')}>
            <DateTime value={data.collectedAt} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title={t('monitoring.inventory.disks')}>
        <Table {...small} rowKey="device" dataSource={inv.disks} columns={[{ title: t('monitoring.inventory.device'), dataIndex: 'device' }, { title: t('monitoring.inventory.model'), dataIndex: 'name' }, { title: t('monitoring.inventory.size'), dataIndex: 'sizeBytes', render: (v: number) => formatBytes(v) }, { title: 'SMART', dataIndex: 'smartStatus' }]} />
      </Card>
      <Card size="small" title={t('monitoring.inventory.nics')}>
        <Table {...small} rowKey="iface" dataSource={inv.nics} columns={[{ title: t('monitoring.inventory.iface'), dataIndex: 'iface' }, { title: 'MAC', dataIndex: 'mac' }, { title: 'IP', render: (_, n) => [...n.ip4, ...n.ip6].join(', ') }, { title: t('monitoring.inventory.speed'), dataIndex: 'speedMbps', render: (v: number | null) => (v ? `${v} Mb/s` : '') }]} />
      </Card>
      <Card size="small" title={t('monitoring.inventory.ports')}>
        <Table {...small} rowKey={(p) => `${p.protocol}:${p.address}:${p.port}`} dataSource={inv.ports} columns={[{ title: t('monitoring.inventory.protocol'), dataIndex: 'protocol' }, { title: t('monitoring.inventory.address'), dataIndex: 'address' }, { title: t('monitoring.inventory.port'), dataIndex: 'port' }]} />
      </Card>
      <Card size="small" title={t('monitoring.inventory.packages', { count: inv.packages.length })}>
        <Table {...small} rowKey={(p) => `${p.name}:${p.arch}`} dataSource={inv.packages} columns={[{ title: t('monitoring.inventory.name'), dataIndex: 'name' }, { title: t('monitoring.inventory.version'), dataIndex: 'version' }, { title: 'arch', dataIndex: 'arch' }]} />
      </Card>
      <Card size="small" title={t('monitoring.inventory.accounts')}>
        <Table {...small} rowKey="name" dataSource={inv.accounts} columns={[{ title: t('monitoring.inventory.name'), dataIndex: 'name' }, { title: 'uid', dataIndex: 'uid' }, { title: 'shell', dataIndex: 'shell' }, { title: t('monitoring.inventory.login'), dataIndex: 'login', render: (v: boolean) => (v ? <Tag color="orange">{t('monitoring.inventory.canLogin')}</Tag> : null) }]} />
      </Card>
      <Card size="small" title={t('monitoring.inventory.services')}>
        <Table {...small} rowKey="name" dataSource={inv.services} columns={[{ title: t('monitoring.inventory.name'), dataIndex: 'name' }, { title: t('monitoring.inventory.state'), dataIndex: 'state' }, { title: t('monitoring.inventory.enabled'), dataIndex: 'enabled' }]} />
      </Card>
    </Space>
  );
}
