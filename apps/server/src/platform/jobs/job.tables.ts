import type { Generated } from 'kysely';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobTable {
  id: Generated<number>;
  name: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: number;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

declare module '../../db/schema.js' {
  interface Database {
    job: JobTable;
  }
}
