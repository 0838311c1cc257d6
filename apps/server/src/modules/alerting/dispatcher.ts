import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { EscalationStep, EscalationTarget, Matcher } from '@yunwei/contracts/alert-routing';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { ModuleContext } from '../../platform/module.js';
import { ImpactService } from '../cmdb/impact.service.js';
import type { CmdbGraph } from '../cmdb/impact-analysis.js';
import { coveredChannels, routeOf, type RoutePolicy } from './default-channels.js';
import { alertsByIds, openAlerts, type DispatchAlert } from './dispatch-alerts.js';
import { groupMessage, type MessageKind } from './dispatch-message.js';
import type { DispatchSender } from './dispatch-sender.js';
import { recordDeliveryAlerts } from './delivery-scope.js';
import { computeSuppressions, storeSuppressions } from './dispatch-suppression.js';
import { resolveTargets, targetKey, type Recipient } from './dispatch-targets.js';
import { escalationStepAt, planGroup } from './group-plan.js';
import { orderedPolicies } from './notification-policy.service.js';
import { compileMatchers } from './routing-matchers.js';
import type { AlertEscalationStateTable, AlertGroupTable, AlertNotificationPolicyTable } from './routing.tables.js';

export interface DispatcherOptions {
  /** The clock (tests drive it). */
  now?: () => number;
  tickMs?: number;
  /** How long the CMDB graph read for inhibition and business-system windows is reused. */
  graphTtlMs?: number;
}

interface RoutedGroup {
  policy: AlertNotificationPolicyTable;
  key: string;
  labels: Record<string, string>;
  alerts: DispatchAlert[];
}

interface Policy extends RoutePolicy {
  row: AlertNotificationPolicyTable;
  groupBy: string[];
}

/** What one tick reads once for every group: the enabled policies, and the default channels (read when first needed). */
interface TickInput {
  policies: readonly Policy[];
  defaults: () => Promise<string[]>;
}

/** What one message goes with: the group row's new timers, and the escalation state to write. */
interface Flush {
  group: AlertGroupTable;
  patch: Partial<AlertGroupTable>;
  kind: MessageKind;
  step: number | null;
  firing: DispatchAlert[];
  resolved: DispatchAlert[];
  recipients: Recipient[];
  escalation: { write: AlertEscalationStateTable | null; expectStep: number | null } | { remove: true };
}

/** What a message says, before it is made for each recipient. */
interface Content {
  kind: MessageKind;
  groupId: string;
  groupLabels: Record<string, string>;
  firing: readonly DispatchAlert[];
  resolved: readonly DispatchAlert[];
  step: number | null;
}

const routable = (a: DispatchAlert) => a.state === 'firing' || a.state === 'acknowledged';
/** An entry of a group's `notified` set: `<alert id>|<severity>`. */
const notifiedKey = (a: DispatchAlert) => `${a.id}|${a.severity}`;
const alertIdOf = (key: string) => key.split('|')[0]!;

/**
 * Decides who hears about alerts, and when. Every tick (1 s, and on `alerting.alert.changed`) it
 * reads the open alerts and its own tables and acts on what is due — level-triggered, so a lost
 * event or a restart loses nothing and sends nothing twice (timers and "what was notified" are
 * stored, and every send is a compare-and-set on the group's version in the transaction that
 * enqueues the deliveries):
 * 1. suppressions (silences, maintenance windows, CMDB inhibition) → `alert_suppression`;
 * 2. routing of the other firing/acknowledged alerts by the first matching notification policy
 *    (and the next ones while `continue`) into groups by the group-by labels;
 * 3. group timers (group wait / interval / repeat) → messages to the targets the group's
 *    escalation has reached;
 * 4. escalation steps due for groups still firing and unacknowledged.
 */
export class Dispatcher {
  readonly #now: () => number;
  readonly #tickMs: number;
  readonly #graphTtlMs: number;
  #graph: { at: number; graph: Promise<CmdbGraph> } | null = null;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #running: Promise<void> | null = null;
  #again = false;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'log' | 'events' | 'config'>,
    private readonly sender: DispatchSender,
    options: DispatcherOptions = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#tickMs = options.tickMs ?? 1000;
    this.#graphTtlMs = options.graphTtlMs ?? 10_000;
  }

  start(): void {
    if (this.#timer) {
      return;
    }
    this.#timer = setInterval(() => this.wake(), this.#tickMs);
    this.#timer.unref();
    // Only a wake-up: the tick reads the alerts themselves, so a lost event loses nothing.
    this.#unsubscribe = this.ctx.events.on('alerting.alert.changed', () => this.wake());
    this.wake();
  }

  /**
   * Runs a tick soon when started (coalesced: one runs at a time, and one more after it when woken
   * meanwhile). A dispatcher that was not started (tests drive theirs with `tick()`) ignores it.
   */
  wake(): void {
    if (!this.#timer) {
      return;
    }
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.tick();
  }

  async tick(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          await this.#tick(this.#now());
        } catch (error) {
          this.ctx.log.error({ err: error }, 'alert dispatcher tick failed');
        }
      } while (this.#again && this.#timer);
    })();
    try {
      await this.#running;
    } finally {
      this.#running = null;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    await this.#running;
  }

  #cmdbGraph(now: number): Promise<CmdbGraph> {
    if (!this.#graph || now - this.#graph.at > this.#graphTtlMs || now < this.#graph.at) {
      this.#graph = { at: now, graph: new ImpactService(this.ctx).graph() };
    }
    return this.#graph.graph;
  }

  async #tick(now: number): Promise<void> {
    const db = this.ctx.db;
    const alerts = await openAlerts(db, now);
    const suppressed = await computeSuppressions(db, alerts, now, () => this.#cmdbGraph(now));
    await storeSuppressions(db, new Set(alerts.map((a) => a.id)), suppressed, now);

    const enabled = await this.#policies();
    let defaults: Promise<string[]> | null = null;
    const input: TickInput = { policies: enabled, defaults: () => (defaults ??= this.sender.defaultChannels()) };
    const routed = this.#route(
      alerts.filter((a) => routable(a) && !suppressed.has(a.id)),
      enabled,
    );
    const open = await db.selectFrom('alert_group').selectAll().where('first_seen_at', 'is not', null).execute();
    const byKey = new Map(open.map((g) => [`${g.policy_id}\u0000${g.group_key}`, g]));
    const policies = new Map((await orderedPolicies(db)).map((p) => [p.id, p]));
    for (const r of routed.values()) {
      if (!byKey.has(`${r.policy.id}\u0000${r.key}`)) {
        byKey.set(`${r.policy.id}\u0000${r.key}`, await this.#idleGroup(r, now));
      }
    }
    for (const [k, group] of byKey) {
      const policy = policies.get(group.policy_id);
      if (policy) {
        await this.#group(group, policy, routed.get(k)?.alerts ?? [], now, input).catch((error: unknown) => this.ctx.log.error({ err: error, group: group.id }, 'alert group not dispatched'));
      }
    }
    await this.#escalations(routed, now);
  }

  async #policies(): Promise<Policy[]> {
    const rows = await orderedPolicies(this.ctx.db);
    const escalations = new Map((await this.ctx.db.selectFrom('alert_escalation_policy').select(['id', 'steps']).execute()).map((e) => [e.id, fromJson<EscalationStep[]>(e.steps)]));
    const out: Policy[] = [];
    for (const row of rows.filter((p) => p.enabled === 1)) {
      try {
        const first = row.escalation_policy_id ? escalations.get(row.escalation_policy_id)?.[0] : undefined;
        const immediate = new Set(first?.afterMinutes === 0 ? first.targets.filter((t) => t.type === 'channel').map((t) => t.channelId) : []);
        out.push({
          id: row.id,
          row,
          matchers: compileMatchers(fromJson<Matcher[]>(row.matchers)),
          continues: row.continue_matching === 1,
          toDefaults: row.notify_default_channels === 1,
          immediate,
          groupBy: fromJson<string[]>(row.group_by),
        });
      } catch {
        // Validated on the way in: a policy that no longer compiles routes nothing.
      }
    }
    return out;
  }

  /** Each alert into the group of the first matching policy, and of the next ones while `continue`. */
  #route(alerts: readonly DispatchAlert[], policies: readonly Policy[]): Map<string, RoutedGroup> {
    const out = new Map<string, RoutedGroup>();
    for (const a of alerts) {
      for (const p of routeOf(a.labels, policies)) {
        const labels = Object.fromEntries(p.groupBy.map((n) => [n, a.labels[n] ?? '']));
        const key = toJson(labels);
        const id = `${p.row.id}\u0000${key}`;
        const group = out.get(id) ?? { policy: p.row, key, labels, alerts: [] };
        group.alerts.push(a);
        out.set(id, group);
      }
    }
    return out;
  }

  /**
   * A message of a policy that notifies the default channels also goes to each of them (after the
   * escalation's own recipients; a channel among those already has it), leaving out of each copy the
   * alerts that channel hears about through another policy of the alert's route.
   */
  async #withDefaults(recipients: Recipient[], policyId: string, about: readonly DispatchAlert[], input: TickInput): Promise<Recipient[]> {
    const defaults = await input.defaults();
    const own = new Set(recipients.filter((r) => !r.recipients).map((r) => r.channelId));
    const covered = about.map((a) => ({ id: a.id, channels: coveredChannels(routeOf(a.labels, input.policies), policyId, defaults) }));
    const extra = defaults
      .filter((c) => !own.has(c))
      .map((channelId): Recipient => {
        const skip = new Set(covered.filter((a) => a.channels.has(channelId)).map((a) => a.id));
        return skip.size ? { channelId, skipAlerts: skip } : { channelId };
      });
    return [...recipients, ...extra];
  }

  /** The group row for a key with no open episode: the idle row of an earlier one, or a new row. */
  async #idleGroup(r: RoutedGroup, now: number): Promise<AlertGroupTable> {
    const find = () => this.ctx.db.selectFrom('alert_group').selectAll().where('policy_id', '=', r.policy.id).where('group_key', '=', r.key).executeTakeFirst();
    const existing = await find();
    if (existing) {
      return existing;
    }
    const row: AlertGroupTable = { id: uuidv7(), policy_id: r.policy.id, group_key: r.key, labels: toJson(r.labels), first_seen_at: null, last_notified_at: null, next_flush_at: null, notified: '[]', version: 0, created_at: now, updated_at: now };
    try {
      await this.ctx.db.insertInto('alert_group').values(row).execute();
      return row;
    } catch (error) {
      // Another dispatcher created it first.
      if (isUniqueViolation(error)) {
        return (await find())!;
      }
      throw error;
    }
  }

  async #group(group: AlertGroupTable, policy: AlertNotificationPolicyTable, alerts: DispatchAlert[], now: number, input: TickInput): Promise<void> {
    // What a notification covered: each alert with its severity, so a warning turning critical is news.
    const ids = alerts.map(notifiedKey).sort();
    const notified = fromJson<string[]>(group.notified);
    const plan = planGroup(
      { firstSeenAt: group.first_seen_at === null ? null : Number(group.first_seen_at), lastNotifiedAt: group.last_notified_at === null ? null : Number(group.last_notified_at), notified },
      ids,
      alerts.length > 0 && alerts.every((a) => a.state === 'acknowledged'),
      { waitMs: policy.group_wait_s * 1000, intervalMs: policy.group_interval_s * 1000, repeatMs: policy.repeat_interval_s * 1000 },
      now,
    );
    const idle = { first_seen_at: null, last_notified_at: null, next_flush_at: null, notified: '[]' };
    if (!plan.send) {
      const patch: Partial<AlertGroupTable> = plan.ends ? idle : plan.starts ? { first_seen_at: now, next_flush_at: plan.nextFlushAt } : { next_flush_at: plan.nextFlushAt };
      if (plan.ends || plan.starts || (group.next_flush_at === null ? null : Number(group.next_flush_at)) !== plan.nextFlushAt) {
        await this.#write(group, patch, plan.ends ? { remove: true } : null);
      }
      return;
    }
    const current = new Set(alerts.map((a) => a.id));
    const gone = notified.map(alertIdOf).filter((id) => !current.has(id));
    // Alerts that left the group without resolving (silenced, in maintenance, inhibited) are not announced as resolved.
    const resolved = gone.length ? (await alertsByIds(this.ctx.db, gone)).filter((a) => a.state === 'resolved') : [];
    if (plan.send === 'resolved' && !resolved.length) {
      await this.#write(group, idle, { remove: true });
      return;
    }
    const state = await this.ctx.db.selectFrom('alert_escalation_state').selectAll().where('group_id', '=', group.id).executeTakeFirst();
    const flush: Flush = {
      group,
      patch: plan.ends ? idle : { first_seen_at: plan.starts ? now : group.first_seen_at, last_notified_at: now, next_flush_at: null, notified: toJson(ids) },
      kind: plan.send,
      step: null,
      firing: alerts,
      resolved,
      recipients: [],
      escalation: plan.ends ? { remove: true } : { write: null, expectStep: null },
    };
    if (plan.send === 'firing') {
      // A new episode: its escalation starts now, step 0 (when due at once) receives this first message.
      const escalation = policy.escalation_policy_id ? await this.ctx.db.selectFrom('alert_escalation_policy').selectAll().where('id', '=', policy.escalation_policy_id).executeTakeFirst() : undefined;
      if (escalation) {
        const steps = fromJson<EscalationStep[]>(escalation.steps);
        const fresh: AlertEscalationStateTable = { group_id: group.id, policy_id: escalation.id, started_at: now, next_step: 0, next_at: escalationStepAt(steps, escalation.repeat, now, 0), reached: '[]', stopped_at: null, stop_reason: null, updated_at: now };
        if (fresh.next_at !== null && fresh.next_at <= now) {
          flush.recipients = await resolveTargets(this.ctx.db, this.sender, steps[0]!.targets, now);
          flush.step = 0;
          Object.assign(fresh, { next_step: 1, next_at: escalationStepAt(steps, escalation.repeat, now, 1), reached: toJson(steps[0]!.targets) });
        }
        flush.escalation = { write: fresh, expectStep: null };
      }
    } else if (state) {
      flush.recipients = await resolveTargets(this.ctx.db, this.sender, fromJson<EscalationTarget[]>(state.reached), now);
    }
    if (policy.notify_default_channels === 1) {
      flush.recipients = await this.#withDefaults(flush.recipients, policy.id, [...flush.firing, ...flush.resolved], input);
    }
    await this.#send(flush, now);
  }

  /** Writes a group's new timers with a compare-and-set on its version; false when another dispatcher got there first. */
  async #write(group: AlertGroupTable, patch: Partial<AlertGroupTable>, escalation: { remove: true } | null, trx: Kysely<Database> = this.ctx.db): Promise<boolean> {
    const res = await trx
      .updateTable('alert_group')
      .set({ ...patch, version: group.version + 1, updated_at: Date.now() })
      .where('id', '=', group.id)
      .where('version', '=', group.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) {
      return false;
    }
    if (escalation) {
      await trx.deleteFrom('alert_escalation_state').where('group_id', '=', group.id).execute();
    }
    return true;
  }

  /** Where links point and which zone times are written in (start-up settings). */
  #messageSettings(): { publicUrl?: string; timeZone: string } {
    const { publicUrl, timeZone } = this.ctx.config;
    return publicUrl ? { publicUrl, timeZone } : { timeZone };
  }

  /** One transaction: the group's timers, its escalation state, the deliveries and the dispatch log. */
  async #send(f: Flush, now: number): Promise<void> {
    const content: Content = { kind: f.kind, groupId: f.group.id, groupLabels: fromJson(f.group.labels), firing: f.firing, resolved: f.resolved, step: f.step };
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await this.#write(f.group, f.patch, 'remove' in f.escalation ? { remove: true } : null, trx))) {
        return;
      }
      if ('write' in f.escalation && f.escalation.write) {
        const { group_id, ...rest } = f.escalation.write;
        const done = await trx.updateTable('alert_escalation_state').set(rest).where('group_id', '=', group_id).executeTakeFirst();
        if (Number(done.numUpdatedRows) === 0) {
          await trx.insertInto('alert_escalation_state').values(f.escalation.write).execute();
        }
      }
      await this.#deliver(trx, content, f.recipients, now);
    });
    this.sender.wake();
  }

  /**
   * The deliveries of one message and their dispatch-log rows. A recipient that hears about some of
   * the alerts elsewhere (`skipAlerts`) gets a copy about the others only, or none when nothing is left.
   */
  async #deliver(trx: Kysely<Database>, content: Content, recipients: readonly Recipient[], now: number): Promise<void> {
    const settings = this.#messageSettings();
    const made = new Map<string, { message: ReturnType<typeof groupMessage>; about: DispatchAlert[] }>();
    const messageFor = (r: Recipient) => {
      const keep = (a: DispatchAlert) => !r.skipAlerts?.has(a.id);
      const firing = content.firing.filter(keep);
      const resolved = content.resolved.filter(keep);
      const key = [...firing, ...resolved].map((a) => a.id).join(',');
      let hit = made.get(key);
      if (!hit) {
        // A copy left with resolved alerts only says so, whatever the group's message is.
        const kind: MessageKind = firing.length || content.kind === 'escalation' ? content.kind : 'resolved';
        hit = { message: groupMessage({ kind, groupId: content.groupId, groupLabels: content.groupLabels, firing, resolved, step: content.step ?? undefined, at: now, ...settings }), about: [...firing, ...resolved] };
        made.set(key, hit);
      }
      return hit;
    };
    const sends = recipients.map((r) => ({ r, ...messageFor(r) })).filter((s) => s.about.length > 0);
    // The "resolved" message has no firing alert: it is the rule's too (per-rule rate limit, delivery log).
    const ruleOf = content.firing[0] ?? content.resolved[0];
    const rateKey = ruleOf ? `rule:${ruleOf.ruleId}` : undefined;
    const { kind, step } = content;
    if (!sends.length) {
      // Nobody to tell (no escalation policy, nobody reached yet, or every default channel hears it elsewhere): the log says so.
      const whole = messageFor({ channelId: '' });
      await trx.insertInto('alert_dispatch_log').values({ group_id: content.groupId, at: now, kind, step, channel_id: '', recipients: null, delivery_id: null, alert_ids: toJson(whole.about.map((a) => a.id)), title: whole.message['zh-CN'].title }).execute();
      return;
    }
    for (const { r, message, about } of sends) {
      const delivery = await this.sender.enqueue({ channelId: r.channelId, message, ...(r.recipients ? { recipients: r.recipients } : {}), ...(rateKey ? { rateKey } : {}), source: { kind: 'alert-group', id: content.groupId } }, trx);
      await trx
        .insertInto('alert_dispatch_log')
        .values({ group_id: content.groupId, at: now, kind, step, channel_id: r.channelId, recipients: r.recipients ? toJson(r.recipients) : null, delivery_id: delivery?.deliveryId ?? null, alert_ids: toJson(about.map((a) => a.id)), title: message['zh-CN'].title })
        .execute();
      if (delivery) {
        await recordDeliveryAlerts(trx, delivery.deliveryId, about, now);
      }
    }
  }

  /**
   * Escalation of the groups whose episode runs: stopped once every alert of the group is
   * acknowledged (or gone); otherwise the next step runs when due, sending the group's current
   * alerts to that step's targets, who then also hear the group's later notifications.
   */
  async #escalations(routed: ReadonlyMap<string, RoutedGroup>, now: number): Promise<void> {
    const states = await this.ctx.db
      .selectFrom('alert_escalation_state as s')
      .innerJoin('alert_group as g', 'g.id', 's.group_id')
      .selectAll('s')
      .select(['g.policy_id as group_policy_id', 'g.group_key', 'g.labels'])
      .where('s.stopped_at', 'is', null)
      .execute();
    for (const s of states) {
      const alerts = routed.get(`${s.group_policy_id}\u0000${s.group_key}`)?.alerts ?? [];
      const stop = !alerts.length ? 'resolved' : alerts.every((a) => a.state === 'acknowledged') ? 'acknowledged' : null;
      if (stop) {
        await this.ctx.db.updateTable('alert_escalation_state').set({ stopped_at: now, stop_reason: stop, updated_at: now }).where('group_id', '=', s.group_id).where('next_step', '=', s.next_step).execute();
        continue;
      }
      if (s.next_at === null || Number(s.next_at) > now) {
        continue;
      }
      const policy = await this.ctx.db.selectFrom('alert_escalation_policy').selectAll().where('id', '=', s.policy_id).executeTakeFirst();
      if (!policy) {
        await this.ctx.db.updateTable('alert_escalation_state').set({ stopped_at: now, stop_reason: 'policy-removed', updated_at: now }).where('group_id', '=', s.group_id).execute();
        continue;
      }
      await this.#step(s, fromJson<EscalationStep[]>(policy.steps), policy.repeat, alerts, now).catch((error: unknown) => this.ctx.log.error({ err: error, group: s.group_id }, 'escalation step not sent'));
    }
  }

  async #step(s: AlertEscalationStateTable & { labels: string }, steps: EscalationStep[], repeat: number, alerts: DispatchAlert[], now: number): Promise<void> {
    const k = s.next_step;
    const step = steps[k % steps.length];
    if (!step) {
      return;
    }
    const recipients = await resolveTargets(this.ctx.db, this.sender, step.targets, now);
    const reached = fromJson<EscalationTarget[]>(s.reached);
    const known = new Set(reached.map(targetKey));
    const nextReached = [...reached, ...step.targets.filter((t) => !known.has(targetKey(t)))];
    await this.ctx.db.transaction().execute(async (trx) => {
      // Compare-and-set on the step: a step runs once, whoever runs it.
      const res = await trx
        .updateTable('alert_escalation_state')
        .set({ next_step: k + 1, next_at: escalationStepAt(steps, repeat, Number(s.started_at), k + 1), reached: toJson(nextReached), updated_at: now })
        .where('group_id', '=', s.group_id)
        .where('next_step', '=', k)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) {
        return;
      }
      await this.#deliver(trx, { kind: 'escalation', groupId: s.group_id, groupLabels: fromJson(s.labels), firing: alerts, resolved: [], step: k }, recipients, now);
    });
    this.sender.wake();
  }
}
