export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  name: string;
  code: string;
  sort_order: number;
  /** The unit's leader (a user), asked by approval steps of kind org_leader. */
  leader_id: string | null;
  created_at: number;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    org_unit: OrgUnitTable;
  }
}
