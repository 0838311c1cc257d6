import Type, { type Static } from 'typebox';
import { CiRef } from './cmdb.js';
import { Epoch, Id, Name } from './common.js';

/**
 * Alert routing (L3-2.1.3): what decides who hears about an alert, and when — silences, maintenance
 * windows, inhibition through CMDB relations, grouping by notification policies, escalation policies.
 * Permissions are in `alerting.ts` (`alerting.silence.write`, `alerting.maintenance.write`,
 * `alerting.policy.read|write`; silences and maintenance windows are read with `alerting.alert.read`).
 */

/**
 * The label that marks an alert as an inhibition source ("this CI is down"): while such an alert is
 * firing, alerts of the CIs impacted by its CI (CMDB impact walk) are inhibited. Rules for host-down,
 * agent-absent and check-down set it to `"true"`.
 */
export const INHIBIT_SOURCE_LABEL = 'inhibit_source';

export const ROUTING_DEFAULTS = {
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 4 * 3600,
  timezone: 'Asia/Shanghai',
} as const;

// ---------------------------------------------------------------- matchers

export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

const LabelName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });

/** `name op value`; regexes are anchored (`=~ "web.*"` matches the whole value), as in Prometheus. */
export const Matcher = Type.Object(
  {
    name: LabelName,
    op: Type.Enum(MATCHER_OPS),
    value: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type Matcher = Static<typeof Matcher>;
const Matchers = (minItems: number) => Type.Array(Matcher, { minItems, maxItems: 30 });

// ---------------------------------------------------------------- silences

export const SILENCE_STATES = ['active', 'pending', 'expired'] as const;
export type SilenceState = (typeof SILENCE_STATES)[number];

export const Silence = Type.Object({
  id: Id,
  matchers: Type.Array(Matcher),
  startsAt: Epoch,
  endsAt: Epoch,
  comment: Type.String(),
  createdBy: Type.String(),
  createdById: Type.Union([Id, Type.Null()]),
  state: Type.Enum(SILENCE_STATES),
  createdAt: Epoch,
  updatedAt: Epoch,
  /**
   * The CIs its `ci` matchers name (`ci="<id>"`, `ci=~"<id>|<id>"`, and their negations), with their
   * names, so people read "配置项 = web-01" while the matchers keep the ids. Only CIs the reader may
   * see; a CI since deleted or of another unit is left out.
   */
  cis: Type.Array(CiRef),
});
export type Silence = Static<typeof Silence>;

export const SilenceCreate = Type.Object(
  {
    matchers: Matchers(1),
    /** Default: now. */
    startsAt: Type.Optional(Epoch),
    endsAt: Epoch,
    comment: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type SilenceCreate = Static<typeof SilenceCreate>;

export const SilenceListQuery = Type.Object({ state: Type.Optional(Type.Enum(SILENCE_STATES)) }, { additionalProperties: false });
export type SilenceListQuery = Static<typeof SilenceListQuery>;
export const SilenceList = Type.Object({ items: Type.Array(Silence) });
export type SilenceList = Static<typeof SilenceList>;

// ---------------------------------------------------------------- maintenance windows

const Timezone = Type.String({ minLength: 1, maxLength: 64 });
const Duration = Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 });

export const MaintenanceSchedule = Type.Union([
  Type.Object({ kind: Type.Literal('once'), startsAt: Epoch, endsAt: Epoch }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('cron'), cron: Type.String({ minLength: 1, maxLength: 120 }), durationMinutes: Duration, timezone: Type.Optional(Timezone) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('weekly'),
      /** 0 = Sunday … 6 = Saturday. */
      days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
      time: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
      durationMinutes: Duration,
      timezone: Type.Optional(Timezone),
    },
    { additionalProperties: false },
  ),
]);
export type MaintenanceSchedule = Static<typeof MaintenanceSchedule>;

/** What a window covers: CIs, every CI of a class, and business systems with the CIs they rely on. */
export const MaintenanceScope = Type.Object(
  {
    ciIds: Type.Array(Id, { maxItems: 500 }),
    classCodes: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 }),
    businessSystemIds: Type.Array(Id, { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type MaintenanceScope = Static<typeof MaintenanceScope>;

export const MaintenanceWindow = Type.Object({
  id: Id,
  name: Type.String(),
  comment: Type.String(),
  scope: MaintenanceScope,
  schedule: MaintenanceSchedule,
  enabled: Type.Boolean(),
  /** True when in effect right now. */
  active: Type.Boolean(),
  /** The start of the current or next occurrence (null: none left). */
  nextStartsAt: Type.Union([Epoch, Type.Null()]),
  nextEndsAt: Type.Union([Epoch, Type.Null()]),
  createdBy: Type.String(),
  createdAt: Epoch,
  updatedAt: Epoch,
  /** The CIs and business systems its scope names, with their names (those the reader may see). */
  cis: Type.Array(CiRef),
});
export type MaintenanceWindow = Static<typeof MaintenanceWindow>;

export const MaintenanceCreate = Type.Object(
  { name: Name(), comment: Type.Optional(Type.String({ maxLength: 1000 })), scope: MaintenanceScope, schedule: MaintenanceSchedule, enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type MaintenanceCreate = Static<typeof MaintenanceCreate>;
export const MaintenanceUpdate = Type.Partial(MaintenanceCreate, { additionalProperties: false });
export type MaintenanceUpdate = Static<typeof MaintenanceUpdate>;
export const MaintenanceList = Type.Object({ items: Type.Array(MaintenanceWindow) });
export type MaintenanceList = Static<typeof MaintenanceList>;

// ---------------------------------------------------------------- escalation policies

export const EscalationTarget = Type.Union([
  Type.Object({ type: Type.Literal('channel'), channelId: Id }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('user'), userId: Id, channelId: Id }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('oncall'), scheduleId: Id, channelId: Id }, { additionalProperties: false }),
]);
export type EscalationTarget = Static<typeof EscalationTarget>;

export const EscalationStep = Type.Object(
  {
    /** Minutes after the group's first notification; step 0 usually 0 (at once). Strictly increasing. */
    afterMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60 }),
    targets: Type.Array(EscalationTarget, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type EscalationStep = Static<typeof EscalationStep>;

export const EscalationPolicy = Type.Object({
  id: Id,
  name: Type.String(),
  comment: Type.String(),
  steps: Type.Array(EscalationStep),
  /** Times the steps run again after the last one (a cycle lasts the last step's `afterMinutes`). */
  repeat: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type EscalationPolicy = Static<typeof EscalationPolicy>;

export const EscalationPolicyCreate = Type.Object(
  { name: Name(), comment: Type.Optional(Type.String({ maxLength: 1000 })), steps: Type.Array(EscalationStep, { minItems: 1, maxItems: 10 }), repeat: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) },
  { additionalProperties: false },
);
export type EscalationPolicyCreate = Static<typeof EscalationPolicyCreate>;
export const EscalationPolicyUpdate = Type.Partial(EscalationPolicyCreate, { additionalProperties: false });
export type EscalationPolicyUpdate = Static<typeof EscalationPolicyUpdate>;
export const EscalationPolicyList = Type.Object({ items: Type.Array(EscalationPolicy) });
export type EscalationPolicyList = Static<typeof EscalationPolicyList>;

// ---------------------------------------------------------------- notification policies

const Seconds = (max: number) => Type.Integer({ minimum: 0, maximum: max });

export const NotificationPolicy = Type.Object({
  id: Id,
  name: Type.String(),
  /** The English name (built-in policies have one; null: `name` in both languages). */
  nameEn: Type.Union([Type.String(), Type.Null()]),
  /** Order of evaluation (0 first); the default policy is always last. */
  position: Type.Integer(),
  matchers: Type.Array(Matcher),
  groupBy: Type.Array(Type.String()),
  groupWaitSeconds: Type.Integer(),
  groupIntervalSeconds: Type.Integer(),
  repeatIntervalSeconds: Type.Integer(),
  escalationPolicyId: Type.Union([Id, Type.Null()]),
  /** Keep looking for further matching policies after this one. */
  continue: Type.Boolean(),
  /**
   * Its messages also go to every enabled default channel (`isDefault` channels, looked up at each
   * send). An alert another policy routing it already sends to such a channel at once (its escalation's
   * first step, or an earlier policy's default channels) is not sent there again.
   */
  notifyDefaultChannels: Type.Boolean(),
  enabled: Type.Boolean(),
  /**
   * The built-in default policy seeded at install (默认通知策略 / Default policy: critical alerts to the
   * default channels): always evaluated last, after the others and what they pass on with `continue`;
   * its matchers and switches may change, it cannot be deleted or moved.
   */
  isDefault: Type.Boolean(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type NotificationPolicy = Static<typeof NotificationPolicy>;

export const NotificationPolicyCreate = Type.Object(
  {
    name: Name(),
    nameEn: Type.Optional(Type.Union([Name(), Type.Null()])),
    matchers: Matchers(0),
    groupBy: Type.Optional(Type.Array(LabelName, { maxItems: 10, uniqueItems: true })),
    groupWaitSeconds: Type.Optional(Seconds(3600)),
    groupIntervalSeconds: Type.Optional(Seconds(86_400)),
    repeatIntervalSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 7 * 86_400 })),
    escalationPolicyId: Type.Optional(Type.Union([Id, Type.Null()])),
    continue: Type.Optional(Type.Boolean()),
    /** Default false. */
    notifyDefaultChannels: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NotificationPolicyCreate = Static<typeof NotificationPolicyCreate>;
export const NotificationPolicyUpdate = Type.Partial(NotificationPolicyCreate, { additionalProperties: false });
export type NotificationPolicyUpdate = Static<typeof NotificationPolicyUpdate>;
export const NotificationPolicyList = Type.Object({ items: Type.Array(NotificationPolicy) });
export type NotificationPolicyList = Static<typeof NotificationPolicyList>;
/** The new order of the non-default policies (all of them, each once). */
export const NotificationPolicyOrder = Type.Object({ ids: Type.Array(Id, { maxItems: 500, uniqueItems: true }) }, { additionalProperties: false });
export type NotificationPolicyOrder = Static<typeof NotificationPolicyOrder>;

// ---------------------------------------------------------------- alert groups (read-only)

export const AlertGroup = Type.Object({
  id: Id,
  policyId: Id,
  policyName: Type.String(),
  policyNameEn: Type.Union([Type.String(), Type.Null()]),
  /** The group-by label values. */
  labels: Type.Record(Type.String(), Type.String()),
  /** Current names of the id labels among them (`ci`, `check`, `rule`), by label: what people read. */
  labelNames: Type.Optional(Type.Record(Type.String(), Type.String())),
  state: Type.Union([Type.Literal('waiting'), Type.Literal('notified')]),
  alertCount: Type.Integer(),
  firstSeenAt: Type.Union([Epoch, Type.Null()]),
  lastNotifiedAt: Type.Union([Epoch, Type.Null()]),
  nextFlushAt: Type.Union([Epoch, Type.Null()]),
  escalation: Type.Union([
    Type.Object({ policyId: Id, nextStep: Type.Integer(), nextAt: Type.Union([Epoch, Type.Null()]), stoppedAt: Type.Union([Epoch, Type.Null()]), stopReason: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
});
export type AlertGroup = Static<typeof AlertGroup>;
export const AlertGroupList = Type.Object({ items: Type.Array(AlertGroup) });
export type AlertGroupList = Static<typeof AlertGroupList>;
