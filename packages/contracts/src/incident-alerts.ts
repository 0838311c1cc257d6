import Type, { type Static } from 'typebox';
import { Id } from './common.js';

/*
 * 故障 ← 告警 (issue 14, L4-2.3.1, L3-2.3.1): an alert rule's "open an incident" option, the alerts linked to an
 * incident, and the fault type suggested from what the alert is about, which the handler confirms.
 *
 * - GET    /api/incidents/:id/alerts          → IncidentAlertList (linked alerts: rule, CI, severity, state, times)   incidents.incident.read
 * - GET    /api/incidents/:id/classification  → IncidentClassification (suggested type with its reason; current type/nature)  incidents.incident.read
 * - POST   /api/incidents/:id/classify        IncidentClassify → IncidentClassification (409 on an older version)   incidents.incident.write
 *
 * The option itself is a field of the alert rule (`incident` in RuleCreate / RuleUpdate / Rule, contracts alerting.ts).
 */

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Level = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]);

/**
 * 自动创建故障: when an alert of the rule fires, the incident of its alert group is found or recorded. Impact and
 * urgency default from the severity (critical → 1/1, warning → 2/2); the type defaults to the suggested one.
 */
export const RuleIncidentOption = Type.Object(
  {
    open: Type.Boolean(),
    typeId: Type.Optional(Nullable(Id)),
    natureId: Type.Optional(Nullable(Id)),
    impact: Type.Optional(Level),
    urgency: Type.Optional(Level),
  },
  { additionalProperties: false },
);
export type RuleIncidentOption = Static<typeof RuleIncidentOption>;

export const IncidentAlert = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.String(),
  /** The CI by name (null: the alert is about no CI). */
  ciId: Nullable(Type.String()),
  ciName: Nullable(Type.String()),
  /** What the alert is about, by name (`web-01 / 首页 HTTP`). */
  object: Type.String(),
  summary: Type.String(),
  severity: Type.String(),
  /** pending | firing | acknowledged | resolved; `gone` when the alert row no longer exists. */
  state: Type.String(),
  startedAt: Nullable(Type.Number()),
  firingAt: Nullable(Type.Number()),
  resolvedAt: Nullable(Type.Number()),
  linkedAt: Type.Number(),
});
export type IncidentAlert = Static<typeof IncidentAlert>;

export const IncidentAlertList = Type.Object({
  items: Type.Array(IncidentAlert),
  /** Every linked alert is resolved (the verification step reads this). */
  allResolved: Type.Boolean(),
});
export type IncidentAlertList = Static<typeof IncidentAlertList>;

export const INCIDENT_RULE_KIND_NAMES = {
  checkType: { zh: '检查类型', en: 'check type' },
  metric: { zh: '指标', en: 'metric' },
  ciClass: { zh: '配置项类别', en: 'CI class' },
} as const;

const TypeRef = Type.Object({ id: Type.String(), name: Type.String(), path: Type.String() });

export const IncidentClassification = Type.Object({
  /** The type the rules suggest (null: none matches), with why: `检查类型 http`. */
  suggested: Nullable(
    Type.Object({
      type: TypeRef,
      reason: Type.Object({ kind: Type.String(), pattern: Type.String(), value: Type.String(), text: Type.String() }),
    }),
  ),
  type: Nullable(TypeRef),
  nature: Nullable(Type.Object({ id: Type.String(), name: Type.String(), guidance: Type.String() })),
  /** The handler confirmed the type (or set it by hand) after the suggestion. */
  confirmed: Type.Boolean(),
  version: Type.Integer(),
});
export type IncidentClassification = Static<typeof IncidentClassification>;

export const IncidentClassify = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    typeId: Nullable(Id),
    natureId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type IncidentClassify = Static<typeof IncidentClassify>;
