/** A measurement as the server's `/api/agent/metrics` takes it (`ci` and `agent` labels are added by the server). */
export interface Sample {
  metric: string;
  labels?: Record<string, string>;
  ts: number;
  value: number;
}
