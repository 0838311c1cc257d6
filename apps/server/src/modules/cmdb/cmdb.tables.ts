export interface CmdbClassTable {
  id: string;
  /** Stable machine name: the built-in codes, or a custom one (`[a-z][a-z0-9_]*`). */
  code: string;
  name_zh: string;
  name_en: string;
  builtin: number;
  /** JSON: `{ key, name: { zh, en } }[]`. */
  subtypes: string;
  /** JSON: attribute definitions `{ key, label, type, options, required }[]`. */
  attributes: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface CmdbCiTable {
  id: string;
  class_id: string;
  subtype: string | null;
  name: string;
  status: 'active' | 'maintenance' | 'retired';
  ip: string;
  hostname: string;
  /** A user id (no foreign key: users and units belong to other modules). */
  owner_id: string | null;
  org_unit_id: string | null;
  /** JSON object of attribute values, validated against the class's definitions. */
  attributes: string;
  description: string;
  created_at: number;
  updated_at: number;
}

/** `source` relies on the target (a CI or a redundancy group: exactly one of the two is set). */
export interface CmdbRelationTable {
  id: string;
  source_id: string;
  target_ci_id: string | null;
  target_group_id: string | null;
  type: 'depends_on' | 'runs_on' | 'hosted_on' | 'contains' | 'connects_to';
  propagates: number;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface CmdbGroupTable {
  id: string;
  name: string;
  min_up: number;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface CmdbGroupMemberTable {
  group_id: string;
  ci_id: string;
}

declare module '../../db/schema.js' {
  interface Database {
    cmdb_class: CmdbClassTable;
    cmdb_ci: CmdbCiTable;
    cmdb_relation: CmdbRelationTable;
    cmdb_group: CmdbGroupTable;
    cmdb_group_member: CmdbGroupMemberTable;
  }
}
