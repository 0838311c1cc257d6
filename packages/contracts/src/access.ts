import Type, { type Static } from 'typebox';
import { Epoch, Id, Name, PageQuery, Page, LocalizedTextSchema } from './common.js';
import type { LocalizedText } from './i18n.js';

/** `module.resource.action`, e.g. `identity.user.write`. */
export type PermissionId = `${string}.${string}.${string}`;
export const PERMISSION_PATTERN = '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$';

/** The built-in role templates, modelled on job responsibilities (岗位职责). */
export const ROLE_KINDS = ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] as const;
export type BuiltinRoleKind = (typeof ROLE_KINDS)[number];
export type RoleKind = BuiltinRoleKind | 'custom';

export const ROLE_KIND_NAMES: Record<BuiltinRoleKind, LocalizedText> = {
  system_admin: { zh: '系统管理员', en: 'System administrator' },
  security_admin: { zh: '安全管理员', en: 'Security administrator' },
  audit_admin: { zh: '审计管理员', en: 'Audit administrator' },
  operator: { zh: '运维操作员', en: 'Operator' },
  viewer: { zh: '只读用户', en: 'Read-only viewer' },
};

/**
 * What each built-in role is responsible for (岗位职责), shown as the role's description. The role rows
 * store the Chinese; the UI shows the reader's language (built-in roles cannot be edited).
 */
export const ROLE_KIND_DUTIES: Record<BuiltinRoleKind, LocalizedText> = {
  system_admin: {
    zh: '负责系统的日常运行维护：用户与组织机构管理、系统配置与运维操作（不得兼任审计管理员）',
    en: 'Runs the system day to day: users and organisation units, system settings and operations (never also the audit administrator)',
  },
  security_admin: {
    zh: '负责安全策略与授权：角色与权限、密码与会话策略、多因素认证（不得兼任审计管理员）',
    en: 'Security policy and authorisation: roles and permissions, password and session policy, multi-factor authentication (never also the audit administrator)',
  },
  audit_admin: {
    zh: '负责审计：查阅、导出和校验审计日志，监督系统管理员与安全管理员的操作（不得兼任其他管理员）',
    en: 'Audit: reads, exports and verifies the audit trail, oversees the system and security administrators (never also another administrator)',
  },
  operator: { zh: '负责日常运维操作：按授权执行巡检、处置与维护任务', en: 'Day-to-day operations: inspections, incident handling and maintenance as authorised' },
  viewer: { zh: '只读：查看被授权范围内的信息，不能修改', en: 'Read-only: sees what it is granted, changes nothing' },
};

/**
 * A permission as a module registers it. `grants` names the built-in roles that hold it; the
 * built-in roles are rebuilt from these declarations at every start.
 */
export interface PermissionDefinition {
  id: PermissionId;
  name: LocalizedText;
  grants: readonly BuiltinRoleKind[];
  /** Only the security administrator role may hold it while separation of duties is on. */
  reserved?: boolean;
}

/**
 * 三员分立 duty of a permission, derived from its declaration (see `PermissionRegistry.dutyOf`), never
 * declared by hand: `audit` when only the built-in audit administrator is granted it, `security` when
 * it is reserved to the security administrator, `system` otherwise.
 */
export type Duty = 'system' | 'security' | 'audit';

export const ACCESS_PERMISSIONS = {
  roleRead: 'access.role.read',
  roleWrite: 'access.role.write',
  assignmentWrite: 'access.assignment.write',
} as const satisfies Record<string, PermissionId>;

export const PermissionSchema = Type.Object({
  id: Type.String(),
  module: Type.String(),
  name: LocalizedTextSchema,
  reserved: Type.Boolean(),
  duty: Type.Union([Type.Literal('system'), Type.Literal('security'), Type.Literal('audit')]),
  /** A system/security permission beyond read access: cannot be held with audit-duty ones while separation of duties is on. */
  administrative: Type.Boolean(),
});
export const PermissionGroup = Type.Object({
  module: Type.String(),
  name: LocalizedTextSchema,
  permissions: Type.Array(PermissionSchema),
});
export const PermissionCatalogue = Type.Array(PermissionGroup);
export type PermissionGroup = Static<typeof PermissionGroup>;

export const Role = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  kind: Type.String(),
  builtin: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  userCount: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type Role = Static<typeof Role>;
export const RoleList = Page(Role);

export const RoleQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

const PermissionList = Type.Array(Type.String({ pattern: PERMISSION_PATTERN, maxLength: 100 }), { maxItems: 500, uniqueItems: true });

export const RoleCreate = Type.Object(
  { name: Name(64), description: Type.Optional(Type.String({ maxLength: 500 })), permissions: PermissionList },
  { additionalProperties: false },
);
export type RoleCreate = Static<typeof RoleCreate>;
export const RoleUpdate = Type.Object(
  { name: Type.Optional(Name(64)), description: Type.Optional(Type.String({ maxLength: 500 })), permissions: Type.Optional(PermissionList) },
  { additionalProperties: false, minProperties: 1 },
);
export type RoleUpdate = Static<typeof RoleUpdate>;

/** One role held by a user, optionally limited to organisation units (data scope). */
export const RoleAssignment = Type.Object(
  {
    roleId: Id,
    /** null: every unit. Otherwise these units and their descendants. */
    orgUnitIds: Type.Union([Type.Null(), Type.Array(Id, { maxItems: 200, uniqueItems: true })]),
  },
  { additionalProperties: false },
);
export type RoleAssignment = Static<typeof RoleAssignment>;

export const AssignmentSet = Type.Object(
  { assignments: Type.Array(RoleAssignment, { maxItems: 50 }) },
  { additionalProperties: false },
);
export type AssignmentSet = Static<typeof AssignmentSet>;

export const AssignmentView = Type.Object({
  roleId: Id,
  roleName: Type.String(),
  roleKind: Type.String(),
  orgUnitIds: Type.Union([Type.Null(), Type.Array(Id)]),
});
export type AssignmentView = Static<typeof AssignmentView>;
