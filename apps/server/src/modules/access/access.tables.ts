import type { RoleKind } from '@yunwei/contracts/access';

export interface RoleTable {
  id: string;
  name: string;
  description: string;
  kind: RoleKind;
  /** 1 for the built-in role templates (read-only, rebuilt at start). */
  builtin: number;
  created_at: number;
  updated_at: number;
}

export interface RolePermissionTable {
  role_id: string;
  permission: string;
}

export interface UserRoleTable {
  user_id: string;
  role_id: string;
  /** JSON array of org unit ids, or null for every unit. */
  org_scope: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    role: RoleTable;
    role_permission: RolePermissionTable;
    user_role: UserRoleTable;
  }
}
