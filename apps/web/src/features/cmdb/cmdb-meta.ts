import type { AttributeType, CiStatus, RelationType } from '@yunwei/contracts/cmdb';

// Values mirrored from @yunwei/contracts/cmdb: importing its runtime constants would bundle typebox.
export const CI_STATUSES: readonly CiStatus[] = ['active', 'maintenance', 'retired'];
export const STATUS_COLORS: Record<CiStatus, string> = { active: 'success', maintenance: 'warning', retired: 'default' };

export const RELATION_TYPES: readonly RelationType[] = ['depends_on', 'runs_on', 'hosted_on', 'contains', 'connects_to'];
/** Whether a relation of the type propagates impact unless told otherwise (as the server decides). */
export const RELATION_PROPAGATES: Record<RelationType, boolean> = {
  depends_on: true,
  runs_on: true,
  hosted_on: true,
  contains: true,
  connects_to: false,
};

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['string', 'number', 'boolean', 'date', 'enum'];
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const CLASS_CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/** Classes whose CIs have a host page in monitoring (agent metrics, checks). */
export const MONITORED_HOST_CLASSES: ReadonlySet<string> = new Set(['server', 'vm']);

/** One colour per built-in class (graph nodes, tags); custom classes get one from the spare list. */
const CLASS_COLORS: Record<string, string> = {
  server: '#1677ff',
  vm: '#13c2c2',
  network_device: '#722ed1',
  storage: '#8c6e4a',
  database: '#2f54eb',
  middleware: '#eb2f96',
  application: '#52c41a',
  business_system: '#faad14',
  cloud_platform: '#597ef7',
  bigdata_cluster: '#a0d911',
};
const SPARE_COLORS = ['#08979c', '#c41d7f', '#d46b08', '#389e0d', '#531dab', '#0958d9'];

export function classColor(code: string | null | undefined): string {
  if (!code) {
    return '#8c8c8c';
  }
  const known = CLASS_COLORS[code];
  if (known) {
    return known;
  }
  let hash = 0;
  for (const c of code) {
    hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  }
  return SPARE_COLORS[hash % SPARE_COLORS.length] as string;
}
