import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  ApiOutlined,
  BranchesOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BellOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CloudServerOutlined,
  ClusterOutlined,
  ControlOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  DeploymentUnitOutlined,
  FileProtectOutlined,
  FileTextOutlined,
  FileDoneOutlined,
  BookOutlined,
  FileSearchOutlined,
  FundOutlined,
  GlobalOutlined,
  KeyOutlined,
  MonitorOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PartitionOutlined,
  PieChartOutlined,
  ProfileOutlined,
  RadarChartOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  FieldTimeOutlined,
  SendOutlined,
  TableOutlined,
  TeamOutlined,
  ToolOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type zhCN from '../locales/zh-CN.json';

/** Menu groups follow the functions of the occupational standard, then the platform itself. */
export type NavGroupId = keyof typeof zhCN.nav.groups;
export type NavItemKey = keyof typeof zhCN.nav.items;

export interface NavGroup {
  id: NavGroupId;
  icon: ComponentType;
}

export interface NavItem {
  /** Label: `nav.items.<key>`; also a stable id. */
  key: NavItemKey;
  path: string;
  icon: ComponentType;
  /** The permission needed to see the menu entry and open the page. */
  permission: string;
  group: NavGroupId;
  page: LazyExoticComponent<ComponentType>;
  /** More pages under this entry (e.g. a detail page `/x/:id`): same permission, no menu item of their own. */
  subPages?: readonly { path: string; page: LazyExoticComponent<ComponentType> }[];
}

export const NAV_GROUPS: readonly NavGroup[] = [
  { id: 'business', icon: AppstoreOutlined },
  { id: 'operations', icon: ToolOutlined },
  { id: 'alerts', icon: NotificationOutlined },
  { id: 'system', icon: ClusterOutlined },
  { id: 'emergency', icon: AlertOutlined },
  { id: 'training', icon: ReadOutlined },
  { id: 'platform', icon: ControlOutlined },
];

/** One entry per page: a new module adds its pages here and gets a route and a menu item. */
export const NAV_ITEMS: readonly NavItem[] = [
  {
    key: 'cmdbCis',
    path: '/cmdb/cis',
    icon: DatabaseOutlined,
    permission: 'cmdb.ci.read',
    group: 'operations',
    page: lazy(() => import('../features/cmdb/pages/ci-list.page')),
    subPages: [{ path: '/cmdb/cis/:id', page: lazy(() => import('../features/cmdb/pages/ci-detail.page')) }],
  },
  {
    key: 'cmdbClasses',
    path: '/cmdb/classes',
    icon: PartitionOutlined,
    permission: 'cmdb.ci.read',
    group: 'operations',
    page: lazy(() => import('../features/cmdb/pages/class-list.page')),
  },
  {
    key: 'monitoringOverview',
    path: '/monitoring',
    icon: MonitorOutlined,
    permission: 'monitoring.metric.read',
    group: 'operations',
    page: lazy(() => import('../features/monitoring/pages/overview.page')),
    subPages: [{ path: '/monitoring/hosts/:ciId', page: lazy(() => import('../features/monitoring/pages/host.page')) }],
  },
  {
    key: 'monitoringLatest',
    path: '/monitoring/latest',
    icon: TableOutlined,
    permission: 'monitoring.metric.read',
    group: 'operations',
    page: lazy(() => import('../features/monitoring/pages/latest.page')),
  },
  {
    key: 'monitoringUtilisation',
    path: '/monitoring/utilisation',
    icon: FundOutlined,
    permission: 'monitoring.metric.read',
    group: 'operations',
    page: lazy(() => import('../features/monitoring/pages/utilisation.page')),
  },
  {
    key: 'reports',
    path: '/reports',
    icon: FileTextOutlined,
    permission: 'reports.report.read',
    group: 'operations',
    page: lazy(() => import('../features/reports/pages/reports.page')),
  },
  {
    key: 'reportSchedules',
    path: '/reports/schedules',
    icon: FieldTimeOutlined,
    permission: 'reports.report.read',
    group: 'operations',
    page: lazy(() => import('../features/reports/schedules/report-schedules.page')),
  },
  {
    key: 'monitoringDashboards',
    path: '/monitoring/dashboards',
    icon: DashboardOutlined,
    permission: 'dashboards.dashboard.read',
    group: 'operations',
    page: lazy(() => import('../features/monitoring/pages/dashboard-list.page')),
    subPages: [
      { path: '/monitoring/dashboards/:id', page: lazy(() => import('../features/monitoring/pages/dashboard.page')) },
      { path: '/monitoring/dashboards/:id/edit', page: lazy(() => import('../features/monitoring/pages/dashboard.page')) },
    ],
  },
  {
    key: 'checks',
    path: '/monitoring/checks',
    icon: ApiOutlined,
    permission: 'checks.check.read',
    group: 'operations',
    page: lazy(() => import('../features/checks/pages/checks.page')),
  },
  {
    key: 'statusPages',
    path: '/monitoring/status-pages',
    icon: GlobalOutlined,
    permission: 'statuspage.page.read',
    group: 'operations',
    page: lazy(() => import('../features/status-pages/pages/status-pages.page')),
  },
  {
    key: 'agents',
    path: '/monitoring/agents',
    icon: CloudServerOutlined,
    permission: 'agents.agent.read',
    group: 'operations',
    page: lazy(() => import('../features/agents/pages/agents.page')),
  },
  {
    key: 'inspectionRecords',
    path: '/inspections/records',
    icon: FileProtectOutlined,
    permission: 'inspections.record.read',
    group: 'operations',
    page: lazy(() => import('../features/inspections/pages/records.page')),
    subPages: [{ path: '/inspections/records/:id', page: lazy(() => import('../features/inspections/pages/record.page')) }],
  },
  {
    key: 'inspectionTemplates',
    path: '/inspections/templates',
    icon: FileSearchOutlined,
    permission: 'inspections.template.read',
    group: 'operations',
    page: lazy(() => import('../features/inspections/pages/templates.page')),
  },
  {
    key: 'inspectionSchedules',
    path: '/inspections/schedules',
    icon: ScheduleOutlined,
    permission: 'inspections.template.read',
    group: 'operations',
    page: lazy(() => import('../features/inspections/pages/schedules.page')),
  },
  {
    key: 'monitoringPolicy',
    path: '/inspections/policies',
    icon: SafetyCertificateOutlined,
    permission: 'inspections.policy.read',
    group: 'operations',
    page: lazy(() => import('../features/inspections/pages/policies.page')),
  },
  {
    key: 'monitoringCoverage',
    path: '/inspections/coverage',
    icon: PieChartOutlined,
    permission: 'inspections.policy.read',
    group: 'operations',
    page: lazy(() => import('../features/inspections/pages/coverage.page')),
  },
  {
    key: 'alerts',
    path: '/alerts',
    icon: AlertOutlined,
    permission: 'alerting.alert.read',
    group: 'alerts',
    page: lazy(() => import('../features/alerting/pages/alerts.page')),
    // One alert, where a notification's link lands (`/alerts/rules` and the other entries rank first).
    subPages: [{ path: '/alerts/:id', page: lazy(() => import('../features/alerting/pages/alert.page')) }],
  },
  {
    key: 'alertRules',
    path: '/alerts/rules',
    icon: ProfileOutlined,
    permission: 'alerting.rule.read',
    group: 'alerts',
    page: lazy(() => import('../features/alerting/pages/rules.page')),
  },
  {
    key: 'alertSilences',
    path: '/alerts/silences',
    icon: BellOutlined,
    permission: 'alerting.alert.read',
    group: 'alerts',
    page: lazy(() => import('../features/alert-routing/pages/silences.page')),
  },
  {
    key: 'alertPolicies',
    path: '/alerts/policies',
    icon: BranchesOutlined,
    permission: 'alerting.policy.read',
    group: 'alerts',
    page: lazy(() => import('../features/alert-routing/pages/policies.page')),
  },
  {
    key: 'notifyChannels',
    path: '/alerts/channels',
    icon: SendOutlined,
    permission: 'notify.channel.read',
    group: 'alerts',
    page: lazy(() => import('../features/notify/pages/notify-channels.page')),
  },
  {
    key: 'oncall',
    path: '/alerts/oncall',
    icon: CalendarOutlined,
    permission: 'oncall.schedule.read',
    group: 'alerts',
    page: lazy(() => import('../features/oncall/pages/oncall.page')),
  },
  {
    key: 'approvals',
    path: '/approvals',
    icon: CheckSquareOutlined,
    permission: 'approvals.task.use',
    group: 'business',
    page: lazy(() => import('../features/approvals/pages/inbox.page')),
    // Where the notices' and reminders' links land.
    subPages: [{ path: '/approvals/requests/:id', page: lazy(() => import('../features/approvals/pages/request.page')) }],
  },
  {
    key: 'approvalFlows',
    path: '/approvals/flows',
    icon: NodeIndexOutlined,
    permission: 'approvals.flow.manage',
    group: 'business',
    page: lazy(() => import('../features/approvals/pages/flows.page')),
  },
  {
    key: 'library',
    path: '/library/documents',
    icon: BookOutlined,
    permission: 'library.document.read',
    group: 'system',
    page: lazy(() => import('../features/library/pages/documents.page')),
    subPages: [
      { path: '/library/documents/new', page: lazy(() => import('../features/library/pages/new-document.page')) },
      { path: '/library/documents/:id', page: lazy(() => import('../features/library/pages/document.page')) },
      { path: '/library/documents/:id/edit', page: lazy(() => import('../features/library/pages/edit-document.page')) },
      { path: '/library/documents/:id/diff', page: lazy(() => import('../features/library/pages/diff.page')) },
      { path: '/library/templates', page: lazy(() => import('../features/library/templates/templates.page')) },
      { path: '/library/templates/new', page: lazy(() => import('../features/library/templates/template-edit.page')) },
      { path: '/library/templates/:id', page: lazy(() => import('../features/library/templates/template-edit.page')) },
    ],
  },
  {
    key: 'libraryTypes',
    path: '/library/types',
    icon: FileDoneOutlined,
    permission: 'library.type.manage',
    group: 'system',
    page: lazy(() => import('../features/library/pages/types.page')),
  },
  {
    key: 'users',
    path: '/platform/users',
    icon: UserOutlined,
    permission: 'identity.user.read',
    group: 'platform',
    page: lazy(() => import('../features/identity/pages/user-list.page')),
  },
  {
    key: 'roles',
    path: '/platform/roles',
    icon: TeamOutlined,
    permission: 'access.role.read',
    group: 'platform',
    page: lazy(() => import('../features/access/pages/role-list.page')),
  },
  {
    key: 'orgUnits',
    path: '/platform/org-units',
    icon: ApartmentOutlined,
    permission: 'org.unit.read',
    group: 'platform',
    page: lazy(() => import('../features/org/pages/org-unit.page')),
  },
  {
    key: 'securityPolicy',
    path: '/platform/security-policy',
    icon: SafetyOutlined,
    permission: 'identity.policy.read',
    group: 'platform',
    page: lazy(() => import('../features/identity/pages/security-policy.page')),
  },
  {
    key: 'tokens',
    path: '/platform/tokens',
    icon: KeyOutlined,
    permission: 'identity.token.use',
    group: 'platform',
    page: lazy(() => import('../features/identity/pages/token-list.page')),
  },
  {
    key: 'audit',
    path: '/platform/audit',
    icon: AuditOutlined,
    permission: 'audit.log.read',
    group: 'platform',
    page: lazy(() => import('../features/audit/pages/audit-log.page')),
  },
  {
    key: 'cluster',
    path: '/platform/cluster',
    icon: DeploymentUnitOutlined,
    permission: 'platform.cluster.read',
    group: 'platform',
    page: lazy(() => import('../features/cluster/pages/cluster.page')),
  },
  {
    key: 'capability',
    path: '/platform/capability',
    icon: RadarChartOutlined,
    permission: 'standard.matrix.read',
    group: 'platform',
    page: lazy(() => import('../features/standard/pages/capability-matrix.page')),
  },
];

/** The entry whose path is the longest prefix of the location. */
export function findNavItem(pathname: string): NavItem | undefined {
  return NAV_ITEMS.filter((item) => pathname === item.path || pathname.startsWith(`${item.path}/`)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}

/** The groups with at least one item the user may open, in menu order. */
export function visibleNav(can: (permission: string) => boolean): { group: NavGroup; items: NavItem[] }[] {
  return NAV_GROUPS.map((group) => ({
    group,
    items: NAV_ITEMS.filter((item) => item.group === group.id && can(item.permission)),
  })).filter((entry) => entry.items.length > 0);
}
