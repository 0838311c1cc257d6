import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, LocalizedTextSchema, Name } from './common.js';
import { RuleIncidentOption } from './incident-alerts.js';

/**
 * Alerting (L3-2.1.3): rules evaluated over the metrics store and check results, alerts with a life
 * cycle (pending → firing → acknowledged → resolved), and what decides who hears about them —
 * silences, maintenance windows, inhibition through CMDB relations, grouping, notification and
 * escalation policies. Schemas: this file (rules, alerts) and `alert-routing.ts` (the rest).
 */
export const ALERTING_PERMISSIONS = {
  ruleRead: 'alerting.rule.read',
  ruleWrite: 'alerting.rule.write',
  alertRead: 'alerting.alert.read',
  alertAck: 'alerting.alert.ack',
  silenceWrite: 'alerting.silence.write',
  maintenanceWrite: 'alerting.maintenance.write',
  policyRead: 'alerting.policy.read',
  policyWrite: 'alerting.policy.write',
} as const satisfies Record<string, PermissionId>;

// ---------------------------------------------------------------- rules

export const RULE_KINDS = ['metric', 'check', 'absent', 'capacity', 'baseline'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const SEVERITIES = ['warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];
export const REDUCERS = ['last', 'avg', 'min', 'max', 'sum', 'rate', 'percentile'] as const;
export type Reducer = (typeof REDUCERS)[number];
export const ALERT_STATES = ['pending', 'firing', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERTING_LIMITS = {
  maxWindowSeconds: 86_400,
  maxForSeconds: 7 * 86_400,
  maxNOfM: 100,
  /** Evaluation interval when the configuration says nothing. */
  defaultIntervalSeconds: 15,
} as const;

/** A monitoring series selector (`metric{label="v"}`). */
const Selector = Type.String({ minLength: 1, maxLength: 2000 });
const Seconds = (max: number) => Type.Integer({ minimum: 0, maximum: max });

export const MetricRuleSpec = Type.Object(
  {
    kind: Type.Literal('metric'),
    selector: Selector,
    reducer: Type.Enum(REDUCERS),
    /** For the `percentile` reducer: 0–100. */
    percentile: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    windowSeconds: Type.Integer({ minimum: 1, maximum: ALERTING_LIMITS.maxWindowSeconds }),
    op: Type.Enum(COMPARISONS),
    thresholds: Type.Object({ warning: Type.Optional(Type.Number()), critical: Type.Optional(Type.Number()) }, { additionalProperties: false }),
    /** Hysteresis: a firing alert resolves only once the value crosses this (default: the lowest threshold). */
    recovery: Type.Optional(Type.Number()),
    /** Fires when n of the last m evaluations breach (instead of every evaluation for `forSeconds`). */
    nOfM: Type.Optional(Type.Object({ n: Type.Integer({ minimum: 1, maximum: ALERTING_LIMITS.maxNOfM }), m: Type.Integer({ minimum: 1, maximum: ALERTING_LIMITS.maxNOfM }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type MetricRuleSpec = Static<typeof MetricRuleSpec>;

export const CheckRuleSpec = Type.Object(
  {
    kind: Type.Literal('check'),
    /** These checks; or every check of `checkType` (and/or of the rule's target CIs). */
    checkIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 500 })),
    checkType: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    consecutiveDown: Type.Integer({ minimum: 1, maximum: 100 }),
    /** Flapping: at least `changes` up/down changes in the last `window` results → a warning alert labelled flapping. */
    flapping: Type.Optional(Type.Object({ changes: Type.Integer({ minimum: 2, maximum: 100 }), window: Type.Integer({ minimum: 3, maximum: 100 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type CheckRuleSpec = Static<typeof CheckRuleSpec>;

export const AbsentRuleSpec = Type.Object(
  {
    kind: Type.Literal('absent'),
    /** `series`: series of `selector` that stopped; `agent`: agents (all, or `agentId`) whose last contact is older than `forSeconds`. */
    subject: Type.Enum(['series', 'agent']),
    selector: Type.Optional(Selector),
    agentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type AbsentRuleSpec = Static<typeof AbsentRuleSpec>;

export const CapacityRuleSpec = Type.Object(
  {
    kind: Type.Literal('capacity'),
    selector: Selector,
    /** `>`: fires when the trend reaches the threshold from below (a filling disk); `<`: from above. */
    op: Type.Enum(['>', '<']),
    threshold: Type.Number(),
    horizonSeconds: Type.Integer({ minimum: 60, maximum: 366 * 86_400 }),
    lookbackSeconds: Type.Integer({ minimum: 3600, maximum: 90 * 86_400 }),
  },
  { additionalProperties: false },
);
export type CapacityRuleSpec = Static<typeof CapacityRuleSpec>;

export const BaselineRuleSpec = Type.Object(
  {
    kind: Type.Literal('baseline'),
    selector: Selector,
    /** Deviation allowed: mean ± k·σ of the same hour of the week. */
    k: Type.Number({ exclusiveMinimum: 0, maximum: 20 }),
    /** Hourly values needed for that hour of the week before the rule judges it. */
    minSamples: Type.Integer({ minimum: 2, maximum: 1000 }),
    weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
    /** The current value: the average over this window (default 300). */
    windowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
export type BaselineRuleSpec = Static<typeof BaselineRuleSpec>;

export const RuleSpec = Type.Union([MetricRuleSpec, CheckRuleSpec, AbsentRuleSpec, CapacityRuleSpec, BaselineRuleSpec]);
export type RuleSpec = Static<typeof RuleSpec>;

/**
 * Which CIs' series a rule reads: all (series without a CI too), one CI, the CIs of a class, a business
 * system with what it depends on, or `hosts` — CIs of the built-in class `server` and every CI an agent
 * reports for (members looked up at evaluation time).
 */
export const RuleTarget = Type.Union([
  Type.Object({ kind: Type.Literal('all') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('hosts') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('ci'), ciId: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('class'), classId: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('business'), ciId: Id }, { additionalProperties: false }),
]);
export type RuleTarget = Static<typeof RuleTarget>;

const AnnotationText = Type.Object({ summary: Type.String({ maxLength: 500 }), description: Type.String({ maxLength: 4000 }) }, { additionalProperties: false });
/** Templates: `{{ $labels.instance }}`, `{{ $value }}`, `{{ $threshold }}`, `{{ $severity }}`, `{{ $rule }}`, `{{ $eta }}` (capacity). */
export const RuleAnnotations = Type.Object({ zh: AnnotationText, en: AnnotationText }, { additionalProperties: false });
export type RuleAnnotations = Static<typeof RuleAnnotations>;
const Labels = Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', maxLength: 100 }), Type.String({ maxLength: 500 }));

const ruleFields = {
  name: Name(200),
  /** The English name, when it has one (rule packs' rules do): the UI and English messages show it. */
  nameEn: Type.Optional(Type.Union([Name(200), Type.Null()])),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  spec: RuleSpec,
  /** Severity of the alerts of kinds without per-severity thresholds (default warning). */
  severity: Type.Optional(Type.Enum(SEVERITIES)),
  /** Pending duration: the condition must hold this long before the alert fires. */
  forSeconds: Type.Optional(Seconds(ALERTING_LIMITS.maxForSeconds)),
  labels: Type.Optional(Labels),
  annotations: Type.Optional(RuleAnnotations),
  target: Type.Optional(RuleTarget),
  enabled: Type.Optional(Type.Boolean()),
  /** 自动创建故障: alerts of the rule open (or join) the incident of their alert group (contracts incident-alerts.ts). */
  incident: Type.Optional(Type.Union([RuleIncidentOption, Type.Null()])),
};

export const RuleCreate = Type.Object(ruleFields, { additionalProperties: false });
export type RuleCreate = Static<typeof RuleCreate>;
export const RuleUpdate = Type.Partial(Type.Object(ruleFields), { additionalProperties: false });
export type RuleUpdate = Static<typeof RuleUpdate>;

export const Rule = Type.Object({
  id: Id,
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  kind: Type.Enum(RULE_KINDS),
  spec: RuleSpec,
  severity: Type.Enum(SEVERITIES),
  forSeconds: Type.Integer(),
  labels: Labels,
  annotations: RuleAnnotations,
  target: RuleTarget,
  enabled: Type.Boolean(),
  /** The rule pack it was installed from, if any. */
  pack: Type.Union([Type.String(), Type.Null()]),
  incident: Type.Union([RuleIncidentOption, Type.Null()]),
  openAlerts: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type Rule = Static<typeof Rule>;

export const RuleListQuery = Type.Object(
  {
    kind: Type.Optional(Type.Enum(RULE_KINDS)),
    enabled: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type RuleListQuery = Static<typeof RuleListQuery>;
export const RuleList = Type.Object({ items: Type.Array(Rule), total: Type.Integer() });
export type RuleList = Static<typeof RuleList>;

/** What a draft rule would do now: the series (label sets) that breach and their values. */
export const RulePreview = Type.Object({
  evaluatedAt: Epoch,
  series: Type.Integer(),
  items: Type.Array(
    Type.Object({
      /** The series' labels with the names an alert would carry (`ci_name`, `check_name`, `business_name`). */
      labels: Type.Record(Type.String(), Type.String()),
      /** What it is about, by name (the CI or instance, and the check); empty when nothing is named. */
      object: Type.String(),
      value: Type.Union([Type.Number(), Type.Null()]),
      severity: Type.Union([Type.Enum(SEVERITIES), Type.Null()]),
      threshold: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});
export type RulePreview = Static<typeof RulePreview>;

/**
 * What a rule pack's rules apply to, by what a thing is: every host (CIs of class `server` and every CI
 * with an agent: rule target `hosts`), or every check of some types whatever its CI, or none (rule
 * target `all`, the rules reading only those checks' series).
 */
export const RulePackAppliesTo = Type.Union([
  Type.Object({ kind: Type.Literal('hosts') }),
  Type.Object({ kind: Type.Literal('checks'), checkTypes: Type.Array(Type.String()) }),
]);
export type RulePackAppliesTo = Static<typeof RulePackAppliesTo>;

export const RulePack = Type.Object({
  id: Type.String(),
  name: LocalizedTextSchema,
  description: LocalizedTextSchema,
  appliesTo: RulePackAppliesTo,
  /** `appliesTo` as people read it: "每个 HTTP 检查" / "every HTTP check". */
  binds: LocalizedTextSchema,
  rules: Type.Integer(),
  installed: Type.Integer(),
});
export type RulePack = Static<typeof RulePack>;
export const RulePackList = Type.Object({ items: Type.Array(RulePack) });
export const RulePackParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false });
export const RulePackInstallResult = Type.Object({ created: Type.Integer(), skipped: Type.Integer() });

// ---------------------------------------------------------------- alerts

export const SuppressedBy = Type.Object({ kind: Type.String(), refId: Type.String(), reason: Type.String() });
export type SuppressedBy = Static<typeof SuppressedBy>;

/**
 * Labels an alert carries with the names of what it is about, looked up when it fires (ids stay in
 * `ci`, `check`, `rule` for links and matchers; people read these).
 */
export const ALERT_NAME_LABELS = ['ci_name', 'check_name', 'business_name'] as const;
/** Labels that hold ids: shown by their names, never as they are. */
export const ALERT_ID_LABELS = ['ci', 'check', 'rule', 'agent'] as const;

/** Labels that say which part of a thing a series is about (a file system, an interface, a sensor). */
const PART_LABELS = ['mount', 'iface', 'interface', 'device', 'sensor', 'component'] as const;

/**
 * What an alert is about, by name: the CI (or the series' `instance`), the part of it (`/var`) and
 * the check — `web-01 /var`, `web-01 / 首页 HTTP`; empty when nothing is named.
 */
export function alertObjectName(labels: Readonly<Record<string, string>>): string {
  const part = PART_LABELS.map((k) => labels[k]).find((v) => v !== undefined && v !== '') ?? '';
  const thing = [labels.ci_name ?? labels.instance ?? '', part].filter(Boolean).join(' ');
  const check = labels.check_name ?? '';
  return thing && check ? `${thing} / ${check}` : thing || check;
}

export const Alert = Type.Object({
  id: Id,
  fingerprint: Type.String(),
  ruleId: Id,
  ruleName: Type.String(),
  /** The rule's English name when it has one (as `ruleName`: as the rule was called when the alert began). */
  ruleNameEn: Type.Union([Type.String(), Type.Null()]),
  severity: Type.Enum(SEVERITIES),
  state: Type.Enum(ALERT_STATES),
  labels: Type.Record(Type.String(), Type.String()),
  annotations: RuleAnnotations,
  value: Type.Union([Type.Number(), Type.Null()]),
  threshold: Type.Union([Type.Number(), Type.Null()]),
  ciId: Type.Union([Id, Type.Null()]),
  startedAt: Epoch,
  firingAt: Type.Union([Epoch, Type.Null()]),
  ackedAt: Type.Union([Epoch, Type.Null()]),
  ackedBy: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Epoch, Type.Null()]),
  updatedAt: Epoch,
  suppressedBy: Type.Array(SuppressedBy),
});
export type Alert = Static<typeof Alert>;

export const AlertEvent = Type.Object({
  at: Epoch,
  fromState: Type.Union([Type.String(), Type.Null()]),
  toState: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type AlertEvent = Static<typeof AlertEvent>;
export const AlertDetail = Type.Intersect([Alert, Type.Object({ events: Type.Array(AlertEvent) })]);
export type AlertDetail = Static<typeof AlertDetail>;

export const AlertListQuery = Type.Object(
  {
    /** Comma-separated states (default: the open ones — pending, firing, acknowledged). */
    state: Type.Optional(Type.String({ maxLength: 100, pattern: '^(pending|firing|acknowledged|resolved)(,(pending|firing|acknowledged|resolved))*$' })),
    severity: Type.Optional(Type.Enum(SEVERITIES)),
    ruleId: Type.Optional(Id),
    ciId: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Epoch),
    to: Type.Optional(Epoch),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type AlertListQuery = Static<typeof AlertListQuery>;
export const AlertList = Type.Object({ items: Type.Array(Alert), total: Type.Integer() });
export type AlertList = Static<typeof AlertList>;

export const AlertAck = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export type AlertAck = Static<typeof AlertAck>;
export const AlertBulkAck = Type.Object({ ids: Type.Array(Id, { minItems: 1, maxItems: 500 }), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export type AlertBulkAck = Static<typeof AlertBulkAck>;
export const AlertBulkAckResult = Type.Object({ acknowledged: Type.Integer(), skipped: Type.Integer() });

export const RuleStatsQuery = Type.Object({ from: Type.Optional(Epoch), to: Type.Optional(Epoch) }, { additionalProperties: false });
export type RuleStatsQuery = Static<typeof RuleStatsQuery>;
export const RuleStats = Type.Object({
  items: Type.Array(
    Type.Object({
      ruleId: Id,
      ruleName: Type.String(),
      ruleNameEn: Type.Union([Type.String(), Type.Null()]),
      fired: Type.Integer(),
      /** Mean time to acknowledge / to resolve, ms, over alerts that fired in the period (null: none). */
      mttaMs: Type.Union([Type.Number(), Type.Null()]),
      mttrMs: Type.Union([Type.Number(), Type.Null()]),
    }),
  ),
});
export type RuleStats = Static<typeof RuleStats>;

/** What the live socket pushes: `{ type: 'alert', alert }` per change. */
export interface LiveAlertMessage {
  type: 'alert';
  alert: Alert;
}
