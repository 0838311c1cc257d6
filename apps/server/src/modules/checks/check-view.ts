import type { EscalationStep } from '@yunwei/contracts/alert-routing';
import type { RuleSpec } from '@yunwei/contracts/alerting';
import type { CheckMessageParams } from '@yunwei/contracts/check-messages';
import type { Check, CheckResult, CheckStatus, CheckType } from '@yunwei/contracts/checks';
import { fromJson } from '../../db/dialect.js';
import { secretsSet, type Secrets } from './check-settings.js';
import { immediateChannels } from './check-alerting.js';
import type { BeatRow, CheckRow, UptimeCounts } from './checks.repository.js';
import type { CheckDefinitionTable } from './checks.tables.js';

/** What a check's list row needs besides its own row: its heartbeat, uptime and the names of its channels. */
export interface CheckExtras {
  beats: readonly BeatRow[];
  uptime: UptimeCounts | undefined;
  channelNames: ReadonlyMap<string, string>;
}

const params = (text: string | null): CheckMessageParams | null => (text ? fromJson<CheckMessageParams>(text) : null);

/**
 * A failed result is `pending` while the failures in a row do not exceed the retries, `down` after;
 * a streak of 0 on a failed row is older than the count (it was down then: retries were not kept).
 */
export function statusOf(up: number, failStreak: number, retries: number): Exclude<CheckStatus, 'unknown'> {
  return up === 1 ? 'up' : failStreak >= 1 && failStreak <= retries ? 'pending' : 'down';
}

export function checkView(row: CheckRow, secrets: Secrets, extras: CheckExtras): Check {
  const type = row.type as CheckType;
  const values = row.values ? fromJson<Record<string, number>>(row.values) : {};
  const spec = row.rule_spec ? fromJson<RuleSpec>(row.rule_spec) : null;
  const channels = row.policy_steps ? immediateChannels(fromJson<EscalationStep[]>(row.policy_steps)) : [];
  const share = (up: number, total: number) => (total > 0 ? up / total : null);
  return {
    id: row.id,
    name: row.name,
    type,
    settings: fromJson<Record<string, unknown>>(row.settings),
    secretsSet: secretsSet(type, secrets),
    target: row.target,
    ciId: row.ci_id,
    ciName: row.ci_name,
    orgUnitId: row.unit_id,
    orgUnitName: row.unit_id === null ? null : row.unit_name,
    intervalSeconds: row.interval_s,
    timeoutMs: row.timeout_ms,
    enabled: row.enabled === 1,
    status: row.up === null || row.up === undefined ? 'unknown' : statusOf(Number(row.up), Number(row.fail_streak ?? 0), row.retries),
    lastCheckedAt: row.checked_at === null ? null : Number(row.checked_at),
    latencyMs: row.latency_ms,
    message: row.message,
    messageCode: row.message_code,
    messageParams: params(row.message_params),
    values,
    tlsDaysLeft: values.check_tls_days_left ?? null,
    retries: row.retries,
    alertRule: row.alert_rule_id && row.rule_name !== null ? { id: row.alert_rule_id, name: row.rule_name, nameEn: row.rule_name_en, consecutiveDown: spec?.kind === 'check' ? spec.consecutiveDown : row.retries + 1, enabled: row.rule_enabled === 1 } : null,
    notificationPolicy: row.notify_policy_id && row.policy_name !== null ? { id: row.notify_policy_id, name: row.policy_name, nameEn: row.policy_name_en } : null,
    // A channel deleted since is left out (the policy's escalation still names it, and is shown there).
    notifyChannels: channels.filter((id) => extras.channelNames.has(id)).map((id) => ({ id, name: extras.channelNames.get(id)! })),
    heartbeat: extras.beats.map((b) => ({
      at: b.at,
      status: statusOf(b.up, b.fail_streak, row.retries),
      latencyMs: b.latency_ms,
      message: b.message,
      messageCode: b.message_code,
      messageParams: params(b.message_params),
    })),
    uptime: { day: extras.uptime ? share(extras.uptime.dayUp, extras.uptime.dayTotal) : null, month: extras.uptime ? share(extras.uptime.monthUp, extras.uptime.monthTotal) : null },
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The channel ids a page of checks routes to (their names are read in one query). */
export function channelIdsOf(rows: readonly CheckRow[]): string[] {
  return [...new Set(rows.flatMap((r) => (r.policy_steps ? immediateChannels(fromJson<EscalationStep[]>(r.policy_steps)) : [])))];
}

/** A check's configuration as the audit trail records it: which secrets are set, never their values. */
export function auditView(row: CheckDefinitionTable, secrets: Secrets, channels?: readonly string[]) {
  return {
    name: row.name,
    type: row.type,
    settings: fromJson<Record<string, unknown>>(row.settings),
    secretsSet: secretsSet(row.type as CheckType, secrets),
    ciId: row.ci_id,
    orgUnitId: row.org_unit_id,
    intervalSeconds: row.interval_s,
    timeoutMs: row.timeout_ms,
    enabled: row.enabled === 1,
    retries: row.retries,
    alertRuleId: row.alert_rule_id,
    notificationPolicyId: row.notify_policy_id,
    ...(channels ? { notifyChannelIds: channels } : {}),
  };
}

export function resultView(row: { check_id: string; at: number; up: number; latency_ms: number | null; message: string | null; message_code: string | null; message_params: string | null; values: string }): CheckResult {
  return {
    checkId: row.check_id,
    at: Number(row.at),
    status: Number(row.up) === 1 ? 'up' : 'down',
    latencyMs: row.latency_ms,
    message: row.message,
    messageCode: row.message_code,
    messageParams: params(row.message_params),
    values: fromJson<Record<string, number>>(row.values),
  };
}
