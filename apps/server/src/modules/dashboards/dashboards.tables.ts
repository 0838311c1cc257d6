/** A custom dashboard; its panels are a JSON array validated against the `Panel` contract. */
export interface DashboardTable {
  id: string;
  name: string;
  description: string;
  /** 1: everyone with dashboards.dashboard.read sees it; 0: only its owner. */
  shared: number;
  /** The user who created it (no foreign key: users belong to another module). */
  owner_id: string | null;
  panels: string;
  created_at: number;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    dashboard: DashboardTable;
  }
}
