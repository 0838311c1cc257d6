import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';
import { AGGREGATIONS } from './monitoring.js';

/**
 * Dashboards: the monitoring overview, the live metrics WebSocket and custom dashboards
 * (panels over series selectors, private to their owner or shared).
 */
export const DASHBOARD_PERMISSIONS = {
  read: 'dashboards.dashboard.read',
  /** Create, change and delete one's own dashboards. */
  write: 'dashboards.dashboard.write',
  /** Mark a dashboard shared (visible to everyone who may read dashboards). */
  share: 'dashboards.dashboard.share',
  /** Change or delete shared dashboards of other people. */
  manage: 'dashboards.dashboard.manage',
} as const satisfies Record<string, PermissionId>;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Selector = Type.String({ minLength: 1, maxLength: 2000, description: 'a series selector: metric{label="v"}' });

// ---------------------------------------------------------------- overview

export const MONITOR_STATES = ['up', 'down', 'unknown'] as const;
export type MonitorState = (typeof MONITOR_STATES)[number];
/** Why a CI is down. */
export const DOWN_REASONS = ['check_down', 'agent_silent'] as const;
export type DownReason = (typeof DOWN_REASONS)[number];

export const OverviewCi = Type.Object({
  id: Id,
  name: Type.String(),
  classCode: Type.String(),
  state: Type.Enum(MONITOR_STATES),
  reasons: Type.Array(Type.Enum(DOWN_REASONS)),
  /** Newest agent sample (host_cpu_usage_percent), epoch ms. */
  agentLastSeen: Nullable(Epoch),
  checksUp: Type.Integer(),
  checksDown: Type.Integer(),
  /** Latest CPU usage in % when an agent reports it. */
  cpu: Nullable(Type.Number()),
});
export type OverviewCi = Static<typeof OverviewCi>;

export const PROBLEM_KINDS = ['ci_down', 'check_down', 'fs_full'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];
export const OverviewProblem = Type.Object({
  kind: Type.Enum(PROBLEM_KINDS),
  ciId: Nullable(Type.String()),
  ciName: Nullable(Type.String()),
  /** check_down: the check's type and name; fs_full: the mount; ci_down: the reasons joined. */
  subject: Type.String(),
  /** check_down: the check (for a link), when it still exists. */
  checkId: Type.Optional(Nullable(Type.String())),
  /** fs_full: usage %; ci_down (agent_silent): ms since the last sample. */
  value: Nullable(Type.Number()),
  at: Nullable(Epoch),
});
export type OverviewProblem = Static<typeof OverviewProblem>;

export const BUSINESS_HEALTH = ['up', 'degraded', 'down', 'unknown'] as const;
export type BusinessHealth = (typeof BUSINESS_HEALTH)[number];
export const OverviewBusinessSystem = Type.Object({
  id: Id,
  name: Type.String(),
  /** down: impacted (redundancy considered); degraded: something it relies on is down but absorbed. */
  health: Type.Enum(BUSINESS_HEALTH),
  dependencies: Type.Integer(),
  monitored: Type.Integer(),
  down: Type.Array(Type.Object({ id: Id, name: Type.String() })),
});
export type OverviewBusinessSystem = Static<typeof OverviewBusinessSystem>;

export const MonitoringOverview = Type.Object({
  at: Epoch,
  /** Silence after which an agent counts as lost. */
  agentSilentAfterMs: Type.Integer(),
  counts: Type.Object({ up: Type.Integer(), down: Type.Integer(), unknown: Type.Integer(), total: Type.Integer() }),
  /** CIs with monitoring data (up or down), down first; unmonitored ones are only counted. */
  cis: Type.Array(OverviewCi),
  problems: Type.Array(OverviewProblem),
  businessSystems: Type.Array(OverviewBusinessSystem),
});
export type MonitoringOverview = Static<typeof MonitoringOverview>;

// ---------------------------------------------------------------- live metrics WebSocket

/** Limits of GET /api/monitoring/live. */
export const LIVE_LIMITS = { subscriptions: 50, messageBytes: 64 * 1024, queuedPoints: 5000 } as const;

/**
 * Client → server. `subscribe` adds (or replaces, by id) subscriptions; `unsubscribe` removes them.
 */
export const LiveClientMessage = Type.Object(
  {
    subscribe: Type.Optional(
      Type.Array(Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), selector: Selector }, { additionalProperties: false }), { maxItems: LIVE_LIMITS.subscriptions }),
    ),
    unsubscribe: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: LIVE_LIMITS.subscriptions })),
  },
  { additionalProperties: false },
);
export type LiveClientMessage = Static<typeof LiveClientMessage>;

/** Server → client: new samples of one subscription; points are [epoch ms, value]. */
export interface LiveSeriesMessage {
  id: string;
  series: { labels: Record<string, string>; points: [number, number][] }[];
}
/** Server → client: which subscriptions are active after a message. */
export interface LiveAckMessage {
  subscribed: string[];
}
/** Server → client: a subscription or message refused; the socket stays open. */
export interface LiveErrorMessage {
  error: { id: string | null; selector: string | null; message: string };
}
/** Server → client: the client read too slowly and this many queued points were dropped (oldest first). */
export interface LiveDroppedMessage {
  dropped: number;
}
export type LiveServerMessage = LiveSeriesMessage | LiveAckMessage | LiveErrorMessage | LiveDroppedMessage;

// ---------------------------------------------------------------- custom dashboards

export const PANEL_TYPES = ['line', 'area', 'bar', 'gauge', 'stat', 'table'] as const;
export type PanelType = (typeof PANEL_TYPES)[number];
export const PANEL_UNITS = ['none', 'percent', 'bytes', 'bytesPerSecond', 'seconds'] as const;
export type PanelUnit = (typeof PANEL_UNITS)[number];
/** The dashboard grid is 12 columns wide; rows are 80 px. */
export const GRID_COLUMNS = 12;

export const PanelQuery = Type.Object(
  {
    selector: Selector,
    agg: Type.Optional(Type.Enum(AGGREGATIONS)),
    /** A duration (30s, 5m); default: chosen from the time range. */
    step: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  },
  { additionalProperties: false },
);
export type PanelQuery = Static<typeof PanelQuery>;

export const PanelGrid = Type.Object(
  {
    x: Type.Integer({ minimum: 0, maximum: GRID_COLUMNS - 1 }),
    y: Type.Integer({ minimum: 0, maximum: 1000 }),
    w: Type.Integer({ minimum: 1, maximum: GRID_COLUMNS }),
    h: Type.Integer({ minimum: 1, maximum: 12 }),
  },
  { additionalProperties: false },
);
export type PanelGrid = Static<typeof PanelGrid>;

export const Panel = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-zA-Z0-9_-]+$' }),
    title: Name(100),
    type: Type.Enum(PANEL_TYPES),
    query: PanelQuery,
    grid: PanelGrid,
    unit: Type.Optional(Type.Enum(PANEL_UNITS)),
    /** Gauge scale maximum (default 100). */
    max: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type Panel = Static<typeof Panel>;
export const MAX_PANELS = 40;

export const Dashboard = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  shared: Type.Boolean(),
  ownerId: Nullable(Id),
  ownerName: Nullable(Type.String()),
  panels: Type.Array(Panel),
  /** The caller may change or delete it. */
  editable: Type.Boolean(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type Dashboard = Static<typeof Dashboard>;
export const DashboardList = Type.Object({ items: Type.Array(Type.Omit(Dashboard, ['panels'])), total: Type.Integer() });
export type DashboardList = Static<typeof DashboardList>;
export type DashboardSummary = DashboardList['items'][number];

export const DashboardCreate = Type.Object(
  {
    name: Name(100),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    shared: Type.Optional(Type.Boolean()),
    panels: Type.Optional(Type.Array(Panel, { maxItems: MAX_PANELS })),
  },
  { additionalProperties: false },
);
export type DashboardCreate = Static<typeof DashboardCreate>;
export const DashboardUpdate = Type.Partial(DashboardCreate, { additionalProperties: false, minProperties: 1 });
export type DashboardUpdate = Static<typeof DashboardUpdate>;
