import { matchesAll, type CompiledMatcher, type Labels } from './routing-matchers.js';

/** What routing and the default channels need of a notification policy. */
export interface RoutePolicy {
  id: string;
  matchers: readonly CompiledMatcher[];
  continues: boolean;
  /** Its messages also go to the default channels. */
  toDefaults: boolean;
  /**
   * The channels its escalation policy's first step sends to with the first message (a step at 0
   * minutes), by channel targets only: a person or an on-call target may resolve to nobody (no address,
   * nobody on call), and a default channel must not be left out for a message nobody gets.
   */
  immediate: ReadonlySet<string>;
}

/** The policies that route an alert with these labels, in order: the first that matches, then the next ones while `continue`. */
export function routeOf<P extends RoutePolicy>(labels: Labels, policies: readonly P[]): P[] {
  const out: P[] = [];
  for (const p of policies) {
    if (!matchesAll(p.matchers, labels)) {
      continue;
    }
    out.push(p);
    if (!p.continues) {
      break;
    }
  }
  return out;
}

/**
 * The default channels policy `policyId` must leave out for one alert, so a channel hears about an
 * alert once however many policies route it: those another policy of its route sends it to at once
 * (its escalation's first step), and all of them when an earlier policy of the route already sends
 * it to the default channels. (A later escalation step is not "at once": the default channel is
 * not kept waiting for it.)
 */
export function coveredChannels(route: readonly RoutePolicy[], policyId: string, defaults: readonly string[]): Set<string> {
  const own = route.findIndex((p) => p.id === policyId);
  const covered = new Set<string>();
  route.forEach((p, i) => {
    if (p.id === policyId) {
      return;
    }
    p.immediate.forEach((c) => covered.add(c));
    if (p.toDefaults && (own === -1 || i < own)) {
      defaults.forEach((c) => covered.add(c));
    }
  });
  return covered;
}
