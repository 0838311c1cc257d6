export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  name: string;
  code: string;
  sort_order: number;
  created_at: number;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    org_unit: OrgUnitTable;
  }
}
