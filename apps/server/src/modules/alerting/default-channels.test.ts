import { describe, expect, it } from 'vitest';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import { coveredChannels, routeOf, type RoutePolicy } from './default-channels.js';
import { compileMatchers } from './routing-matchers.js';

const policy = (id: string, matchers: Matcher[], extra: Partial<RoutePolicy> = {}): RoutePolicy => ({ id, matchers: compileMatchers(matchers), continues: false, toDefaults: false, immediate: new Set(), ...extra });
const critical = { alertname: 'HostDown', severity: 'critical', team: 'db' };
const builtIn = policy('builtin', [{ name: 'severity', op: '=', value: 'critical' }], { toDefaults: true });

describe('routing to the default channels', () => {
  it('routes by the first matching policy, and the next ones while it continues', () => {
    const team = policy('team', [{ name: 'team', op: '=', value: 'db' }]);
    expect(routeOf(critical, [team, builtIn]).map((p) => p.id)).toEqual(['team']);
    expect(routeOf(critical, [{ ...team, continues: true }, builtIn]).map((p) => p.id)).toEqual(['team', 'builtin']);
    expect(routeOf({ ...critical, team: 'web' }, [team, builtIn]).map((p) => p.id)).toEqual(['builtin']);
    expect(routeOf({ ...critical, severity: 'warning' }, [builtIn])).toEqual([]);
  });

  it('leaves out a default channel another policy of the route sends to at once, and all of them after an earlier policy that sends to them', () => {
    const defaults = ['ops', 'lead'];
    const team = policy('team', [{ name: 'team', op: '=', value: 'db' }], { continues: true, immediate: new Set(['ops', 'dba']) });
    expect([...coveredChannels(routeOf(critical, [team, builtIn]), 'builtin', defaults)].sort()).toEqual(['dba', 'ops']);
    // A policy does not cover itself: its own escalation's channels are merged with the defaults when it sends.
    expect([...coveredChannels([builtIn], 'builtin', defaults)]).toEqual([]);
    const earlier = policy('earlier', [], { continues: true, toDefaults: true });
    expect([...coveredChannels(routeOf(critical, [earlier, builtIn]), 'builtin', defaults)].sort()).toEqual(['lead', 'ops']);
    // The first policy of the route that sends to the default channels keeps them.
    expect([...coveredChannels(routeOf(critical, [earlier, builtIn]), 'earlier', defaults)]).toEqual([]);
  });
});
