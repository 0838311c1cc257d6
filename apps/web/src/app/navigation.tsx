import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import {
  AlertOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  ClusterOutlined,
  ControlOutlined,
  KeyOutlined,
  RadarChartOutlined,
  ReadOutlined,
  SafetyOutlined,
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
}

export const NAV_GROUPS: readonly NavGroup[] = [
  { id: 'business', icon: AppstoreOutlined },
  { id: 'operations', icon: ToolOutlined },
  { id: 'system', icon: ClusterOutlined },
  { id: 'emergency', icon: AlertOutlined },
  { id: 'training', icon: ReadOutlined },
  { id: 'platform', icon: ControlOutlined },
];

/** One entry per page: a new module adds its pages here and gets a route and a menu item. */
export const NAV_ITEMS: readonly NavItem[] = [
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
