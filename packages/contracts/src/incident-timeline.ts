import Type, { type Static } from 'typebox';
import { Epoch, Id, LocalizedTextSchema } from './common.js';

/*
 * Cause tracing (追溯异常原因, L2-2.1.3, issue 14): the correlated timeline around an incident's start for
 * the affected CIs and what they rely on, ranked by closeness in time and in the dependency graph.
 *
 * - GET /api/incidents/timeline?ciId=<id>&ciId=<id>&at=<epoch ms>&before=&after=&depth=&limit=
 *                                                            → CauseTimeline   incidents.incident.read
 */

/** The permission the timeline is read with (registered by the incidents module). */
export const INCIDENT_TIMELINE_PERMISSION = 'incidents.incident.read' as const;

export const CAUSE_TIMELINE_LIMITS = {
  /** CIs named in one query. */
  ciIds: 20,
  beforeMs: { default: 2 * 3_600_000, max: 24 * 3_600_000 },
  afterMs: { default: 30 * 60_000, max: 6 * 3_600_000 },
  depth: { default: 3, max: 5 },
  limit: { default: 200, max: 1000 },
} as const;

/**
 * Where an event comes from. More sources (changes and deployments, logs) add a kind here and a
 * `TimelineSource` on the server (`cause-timeline.sources.ts`).
 */
export const CAUSE_EVENT_KINDS = ['alert', 'check', 'metric', 'agent', 'change'] as const;
export type CauseEventKind = (typeof CAUSE_EVENT_KINDS)[number];

export const CauseTimelineQuery = Type.Object(
  {
    ciId: Type.Array(Id, { minItems: 1, maxItems: CAUSE_TIMELINE_LIMITS.ciIds }),
    /** The incident's start (epoch ms). */
    at: Epoch,
    /** How far back to look, ms (default 2 h, at most 24 h). */
    before: Type.Optional(Type.Integer({ minimum: 0, maximum: CAUSE_TIMELINE_LIMITS.beforeMs.max })),
    /** How far after the start, ms (default 30 min, at most 6 h). */
    after: Type.Optional(Type.Integer({ minimum: 0, maximum: CAUSE_TIMELINE_LIMITS.afterMs.max })),
    /** Dependency hops walked from the CIs (default 3, at most 5). */
    depth: Type.Optional(Type.Integer({ minimum: 0, maximum: CAUSE_TIMELINE_LIMITS.depth.max })),
    /** Events answered, best first (default 200, at most 1000). */
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CAUSE_TIMELINE_LIMITS.limit.max })),
  },
  { additionalProperties: false },
);
export type CauseTimelineQuery = Static<typeof CauseTimelineQuery>;

export const CauseTimelineCi = Type.Object({
  id: Type.String(),
  name: Type.String(),
  classCode: Type.String(),
  className: LocalizedTextSchema,
  /** 0: a CI of the query; n: n dependency hops from the nearest of them. */
  hops: Type.Integer(),
});
export type CauseTimelineCi = Static<typeof CauseTimelineCi>;

export const CauseEvent = Type.Object({
  /** Stable per event (`<kind>:<source id>`), so a hypothesis can name it. */
  id: Type.String(),
  kind: Type.Enum(CAUSE_EVENT_KINDS),
  at: Type.Integer(),
  ciId: Type.String(),
  ciName: Type.String(),
  hops: Type.Integer(),
  /** What happened, in the reader's language, naming the CI / check / rule. */
  title: Type.String(),
  detail: Type.String(),
  severity: Type.Optional(Type.Union([Type.Literal('critical'), Type.Literal('warning'), Type.Literal('info')])),
  /** Relative path of the thing in the web UI. */
  link: Type.String(),
  /** 0–1: closeness in time (before the start counts more than after) × closeness in the graph × how telling the event is. */
  score: Type.Number(),
  /** Why it ranks where it does, in the reader's language ("依赖 2 跳，开始前 10 分钟"). */
  reason: Type.String(),
});
export type CauseEvent = Static<typeof CauseEvent>;

export const CauseTimeline = Type.Object({
  at: Type.Integer(),
  from: Type.Integer(),
  to: Type.Integer(),
  depth: Type.Integer(),
  cis: Type.Array(CauseTimelineCi),
  /** Dependencies left out because they lie outside the reader's data scope. */
  hiddenCis: Type.Integer(),
  /** Best first (score desc). */
  events: Type.Array(CauseEvent),
  /** The same events' ids in time order (oldest first), for the time axis. */
  byTime: Type.Array(Type.String()),
  /** Events found before `limit` cut the list. */
  total: Type.Integer(),
});
export type CauseTimeline = Static<typeof CauseTimeline>;
