/** An alert linked to an incident (the alert group's incident): one row per alert, kept when the alert resolves. */
export interface IncidentAlertTable {
  incident_id: string;
  alert_id: string;
  linked_at: number;
  /** When its resolution was noted in the incident's activity (null: still open, or not yet noted). */
  resolved_noted_at: number | null;
}

/**
 * Which incident an alert-group key belongs to now: one row per key, claimed by a conditional insert (or a
 * compare-and-set once the previous incident is closed), so two nodes never open two incidents for one group.
 */
export interface IncidentAlertKeyTable {
  group_key: string;
  incident_id: string;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    incident_alert: IncidentAlertTable;
    incident_alert_key: IncidentAlertKeyTable;
  }
}

declare module './incidents.tables.js' {
  interface IncidentTable {
    /**
     * The fault type the rules suggested when it was recorded (L3-2.3.1), and why (JSON `{ kind, pattern, value }`).
     * Optional in the type: the core records incidents without them (null in the column).
     */
    suggested_type_id?: string | null;
    suggested_reason?: string | null;
  }
}
