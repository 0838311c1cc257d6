import Type, { type Static } from 'typebox';
import { ALERT_STATES, SEVERITIES } from './alerting.js';
import { Epoch, Id, LocalizedTextSchema } from './common.js';

/**
 * 首页: the state of what the caller looks after, in one answer (`GET /api/home/summary`), as a
 * problems view would show it. Every section is computed from what the caller may see (data scopes of
 * alerts, checks, agents, inspections and coverage) and is null when the caller lacks the permission
 * to read it, so the page leaves that card out. Lists are short (the card links to the full page);
 * counts are exact.
 */
export const HOME_LIMITS = {
  /** Items listed per card. */
  items: 8,
  /** An open inspection record is overdue this long after it came due. */
  overdueAfterMs: 86_400_000,
  /** Schedules coming due within this window count as upcoming. */
  upcomingWithinMs: 86_400_000,
  /** On-call shifts are looked for this far ahead. */
  oncallLookaheadDays: 14,
  /** At most this many on-call schedules are searched for the caller's shifts. */
  oncallSchedules: 50,
} as const;

const Count = Type.Integer({ minimum: 0 });
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Items = <T extends Type.TSchema>(t: T) => Type.Array(t, { maxItems: HOME_LIMITS.items });

/** A firing (or acknowledged) alert, named: what it says, what it is about, which rule raised it. Ids are for links only. */
export const HomeProblem = Type.Object({
  alertId: Id,
  severity: Type.Enum(SEVERITIES),
  state: Type.Enum(ALERT_STATES),
  /** The alert's summary in both languages (the rule's name when the rule has none). */
  summary: LocalizedTextSchema,
  ruleName: Type.String(),
  /** The rule's English name, when it has one (built-in packs and checks' own rules do). */
  ruleNameEn: Nullable(Type.String()),
  /** The CI's name (null: the alert is about no CI). */
  ciName: Nullable(Type.String()),
  /** The object as alert lists name it: the CI with its part (`web-01 /var`) or the check. */
  object: Type.String(),
  firingAt: Nullable(Epoch),
  /** A silence, maintenance window or inhibition keeps it from notifying. */
  suppressed: Type.Boolean(),
});
export type HomeProblem = Static<typeof HomeProblem>;

export const HomeProblems = Type.Object({
  /** Firing and not yet acknowledged, per severity. */
  firing: Type.Object({ critical: Count, warning: Count }),
  /** Acknowledged but still open. */
  acknowledged: Count,
  /** The firing ones, critical first, newest first. */
  items: Items(HomeProblem),
});
export type HomeProblems = Static<typeof HomeProblems>;

export const HomeChecksDown = Type.Object({
  /** Enabled checks whose last result was DOWN. */
  count: Count,
  items: Items(Type.Object({ checkId: Id, name: Type.String(), ciName: Nullable(Type.String()), target: Type.String(), message: Nullable(Type.String()), lastCheckedAt: Nullable(Epoch) })),
});
export type HomeChecksDown = Static<typeof HomeChecksDown>;

export const HomeAgentsOffline = Type.Object({
  /** Agents not revoked and not heard of for three intervals. */
  count: Count,
  items: Items(Type.Object({ agentId: Id, hostname: Type.String(), ciName: Nullable(Type.String()), lastContactAt: Nullable(Epoch) })),
});
export type HomeAgentsOffline = Static<typeof HomeAgentsOffline>;

export const HomeInspections = Type.Object({
  /** Records not signed off yet (they came due and wait to be filled in and signed). */
  open: Count,
  /** Of those, the ones that came due more than a day ago. */
  overdue: Count,
  /** Open records: the overdue ones first, then the others, each newest first. `dueAt`: the due time (a manual run: when it was started). */
  items: Items(Type.Object({ recordId: Id, name: Type.String(), dueAt: Epoch, overdue: Type.Boolean() })),
  /** Enabled schedules coming due within a day (null: the caller may not read schedules). */
  upcoming: Nullable(
    Type.Object({
      count: Count,
      items: Items(Type.Object({ scheduleId: Id, name: Type.String(), templateName: Type.String(), nextRunAt: Epoch })),
    }),
  ),
});
export type HomeInspections = Static<typeof HomeInspections>;

export const HomeCoverageGaps = Type.Object({
  /** Enabled monitoring policies. */
  policies: Count,
  /** CIs × policies the policies apply to, and how many of them are not covered. */
  total: Count,
  uncovered: Count,
  /** Uncovered ones with what is missing (metric names, check types, inspection template names). */
  items: Items(Type.Object({ ciId: Id, ciName: Type.String(), policyName: Type.String(), missing: Type.Array(Type.String(), { maxItems: 20 }) })),
});
export type HomeCoverageGaps = Static<typeof HomeCoverageGaps>;

const Shift = Type.Object({ scheduleId: Id, scheduleName: Type.String(), start: Epoch, end: Epoch });
export const HomeOncall = Type.Object({
  /** The schedules the caller is on call for now, each with when the shift ends (as far as the look-ahead sees). */
  now: Type.Array(Shift, { maxItems: HOME_LIMITS.oncallSchedules }),
  /** The caller's next shift starting later (null: none in the next two weeks). */
  next: Nullable(Shift),
});
export type HomeOncall = Static<typeof HomeOncall>;

/** First steps of an empty install; each null when the caller may not see what it is about. */
export const HomeGettingStarted = Type.Object({
  /** A host agent enrolled or a check defined. */
  hasHostOrCheck: Nullable(Type.Boolean()),
  hasChannel: Nullable(Type.Boolean()),
  /** A notification was sent (a test message, or an alert's). */
  hasSentTest: Nullable(Type.Boolean()),
  /** An alert fired (ever). */
  hasSeenAlert: Nullable(Type.Boolean()),
});
export type HomeGettingStarted = Static<typeof HomeGettingStarted>;

export const HomeSummary = Type.Object({
  at: Epoch,
  problems: Nullable(HomeProblems),
  checksDown: Nullable(HomeChecksDown),
  agentsOffline: Nullable(HomeAgentsOffline),
  inspections: Nullable(HomeInspections),
  coverage: Nullable(HomeCoverageGaps),
  oncall: Nullable(HomeOncall),
  gettingStarted: HomeGettingStarted,
});
export type HomeSummary = Static<typeof HomeSummary>;
