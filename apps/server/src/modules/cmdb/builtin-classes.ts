import type { AttributeDefinition, BuiltinClassCode, Subtype } from '@yunwei/contracts/cmdb';
import type { LocalizedText } from '@yunwei/contracts/i18n';

export interface BuiltinClass {
  code: BuiltinClassCode;
  name: LocalizedText;
  description: string;
  subtypes: Subtype[];
  attributes: AttributeDefinition[];
}

const str = (key: string, zh: string, en: string): AttributeDefinition => ({ key, label: { zh, en }, type: 'string', options: [], required: false });
const num = (key: string, zh: string, en: string): AttributeDefinition => ({ key, label: { zh, en }, type: 'number', options: [], required: false });
const date = (key: string, zh: string, en: string): AttributeDefinition => ({ key, label: { zh, en }, type: 'date', options: [], required: false });
const choice = (key: string, zh: string, en: string, options: string[]): AttributeDefinition => ({ key, label: { zh, en }, type: 'enum', options, required: false });
const sub = (key: string, zh: string, en: string): Subtype => ({ key, name: { zh, en } });

const vendor = str('vendor', '厂商', 'Vendor');
const model = str('model', '型号', 'Model');
const serial = str('serial_number', '序列号', 'Serial number');
const location = str('location', '机房位置', 'Location');
const version = str('version', '版本', 'Version');
const port = num('port', '端口', 'Port');
const cpu = num('cpu_cores', 'CPU 核数', 'CPU cores');
const memory = num('memory_gb', '内存（GB）', 'Memory (GB)');
const os = str('os', '操作系统', 'Operating system');

/**
 * The classes every Yunwei has (seeded at start; refreshed to these definitions, like the built-in
 * roles). Attributes are optional so that a first inventory can be imported with names only.
 */
export const BUILTIN_CLASSES: readonly BuiltinClass[] = [
  {
    code: 'server',
    name: { zh: '服务器/主机', en: 'Server / host' },
    description: '物理服务器或主机',
    subtypes: [],
    attributes: [vendor, model, serial, cpu, memory, os, location, date('purchase_date', '购置日期', 'Purchase date')],
  },
  {
    code: 'vm',
    name: { zh: '虚拟机', en: 'Virtual machine' },
    description: '运行在虚拟化平台或云平台上的虚拟机',
    subtypes: [],
    attributes: [cpu, memory, os, choice('hypervisor', '虚拟化平台', 'Hypervisor', ['vmware', 'kvm', 'hyper-v', 'xen', 'openstack', 'other'])],
  },
  {
    code: 'network_device',
    name: { zh: '网络设备', en: 'Network device' },
    description: '交换机、路由器、防火墙等网络设备',
    subtypes: [sub('switch', '交换机', 'Switch'), sub('router', '路由器', 'Router'), sub('firewall', '防火墙', 'Firewall')],
    attributes: [vendor, model, serial, num('port_count', '端口数', 'Port count'), str('firmware_version', '固件版本', 'Firmware version'), location],
  },
  {
    code: 'storage',
    name: { zh: '存储', en: 'Storage' },
    description: '存储阵列与存储卷',
    subtypes: [sub('array', '存储阵列', 'Storage array'), sub('volume', '存储卷', 'Volume')],
    attributes: [vendor, model, num('capacity_tb', '容量（TB）', 'Capacity (TB)'), choice('protocol', '协议', 'Protocol', ['fc', 'iscsi', 'nfs', 'smb', 'other'])],
  },
  {
    code: 'database',
    name: { zh: '数据库实例', en: 'Database instance' },
    description: '数据库实例',
    subtypes: [],
    attributes: [choice('engine', '数据库类型', 'Engine', ['mysql', 'postgresql', 'oracle', 'sqlserver', 'dm', 'kingbase', 'opengauss', 'mongodb', 'other']), version, port],
  },
  {
    code: 'middleware',
    name: { zh: '中间件', en: 'Middleware' },
    description: 'Web 服务器、消息队列、缓存等中间件',
    subtypes: [sub('web_server', 'Web 服务器', 'Web server'), sub('message_queue', '消息队列', 'Message queue'), sub('cache', '缓存', 'Cache')],
    attributes: [str('product', '产品', 'Product'), version, port],
  },
  {
    code: 'application',
    name: { zh: '应用/服务', en: 'Application / service' },
    description: '应用系统或服务',
    subtypes: [],
    attributes: [version, str('url', '访问地址', 'URL'), port, str('deploy_path', '部署路径', 'Deployment path')],
  },
  {
    code: 'business_system',
    name: { zh: '业务系统', en: 'Business system' },
    description: '面向用户的业务系统；影响分析在此汇总并停止',
    subtypes: [],
    attributes: [choice('importance', '重要等级', 'Importance', ['core', 'important', 'general']), str('service_hours', '服务时间', 'Service hours'), num('rto_minutes', '恢复时间目标（分钟）', 'RTO (minutes)')],
  },
  {
    code: 'cloud_platform',
    name: { zh: '云平台', en: 'Cloud platform' },
    description: '公有云或私有云平台',
    subtypes: [],
    attributes: [choice('provider', '云服务商', 'Provider', ['aliyun', 'tencent', 'huawei', 'aws', 'azure', 'openstack', 'vmware', 'other']), str('region', '区域', 'Region'), str('account', '账号', 'Account')],
  },
  {
    code: 'bigdata_cluster',
    name: { zh: '大数据集群', en: 'Big-data cluster' },
    description: 'Hadoop、Spark 等大数据集群',
    subtypes: [],
    attributes: [str('distribution', '发行版', 'Distribution'), version, num('node_count', '节点数', 'Node count')],
  },
];
