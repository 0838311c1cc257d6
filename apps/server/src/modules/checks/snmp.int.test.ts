import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckResult } from '@yunwei/contracts/checks';
import { PEERS, requirePeer, type Peer } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { freeUdpPort, SNMP, startSnmpd } from './checks.testing.js';

const hasSnmpd = requirePeer(PEERS.snmpd.binary, PEERS.snmpd.apt);

describe.skipIf(!databaseAvailable() || !hasSnmpd)('SNMP checks against a real snmpd', () => {
  let t: TestApp;
  let admin: TestSession;
  let snmpd: Peer;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    port = await freeUdpPort();
    snmpd = await startSnmpd(port);
  });
  afterAll(async () => {
    await t?.close();
    await snmpd?.stop();
  });

  async function create(settings: Record<string, unknown>, timeoutMs = 4000): Promise<Check> {
    const res = await admin.request('POST', '/api/checks', { name: `snmp ${Math.random()}`, type: 'snmp', intervalSeconds: 30, timeoutMs, settings: { host: '127.0.0.1', port, ...settings } });
    expect(res.status, res.body).toBe(200);
    return res.json as Check;
  }

  async function run(id: string): Promise<CheckResult> {
    const res = await admin.request('POST', `/api/checks/${id}/run`);
    expect(res.status, res.body).toBe(200);
    return res.json as CheckResult;
  }

  function keys(result: CheckResult, metric: string): string[] {
    return Object.keys(result.values).filter((k) => k.startsWith(`${metric}{`));
  }

  it('[L3-2.1.1] SNMP v2c: uptime, interface state and per-second rates between runs, storage usage', async () => {
    const check = await create({ version: '2c', community: SNMP.community });
    expect(check.secretsSet).toEqual({ community: true, authPassword: false, privPassword: false });
    expect(JSON.stringify(check)).not.toContain(SNMP.community);
    const first = await run(check.id);
    expect(first.status, first.message ?? '').toBe('up');
    expect(first.values.snmp_uptime_seconds).toBeGreaterThan(0);
    expect(first.values['snmp_if_oper_up{ifname=lo}']).toBe(1);
    expect(keys(first, 'snmp_if_in_octets_per_second')).toEqual([]); // a rate needs two runs
    const storage = keys(first, 'snmp_storage_usage_percent');
    expect(storage).toContain('snmp_storage_usage_percent{storage=Physical memory}');
    for (const k of storage) {
      expect(first.values[k]).toBeGreaterThanOrEqual(0);
      expect(first.values[k]).toBeLessThanOrEqual(100);
    }

    // snmpd caches interface counters for a few seconds: run until the counters of lo (which every run itself crosses) have moved.
    let second = first;
    for (let i = 0; i < 10 && !(second.values['snmp_if_in_octets_per_second{ifname=lo}']! > 0); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      second = await run(check.id);
      expect(second.status).toBe('up');
    }
    expect(second.values['snmp_if_in_octets_per_second{ifname=lo}']).toBeGreaterThan(0);
    expect(second.values['snmp_if_out_octets_per_second{ifname=lo}']).toBeGreaterThan(0);
    expect(second.values.snmp_uptime_seconds).toBeGreaterThan(first.values.snmp_uptime_seconds!);

    const series = (await admin.request('GET', `/api/monitoring/series?${new URLSearchParams({ match: `snmp_if_in_octets_per_second{check="${check.id}"}` })}`)).json as { items: { labels: Record<string, string> }[] };
    expect(series.items.map((s) => s.labels.ifname)).toContain('lo');
    expect(series.items[0]!.labels).toMatchObject({ check: check.id, type: 'snmp' });
  });

  it('[L3-2.1.1] SNMP v3 authPriv (SHA + AES): the same figures with a USM user', async () => {
    const check = await create({ version: '3', username: SNMP.user, securityLevel: 'authPriv', authProtocol: 'sha', authPassword: SNMP.authPassword, privProtocol: 'aes', privPassword: SNMP.privPassword });
    expect(check.secretsSet).toEqual({ community: false, authPassword: true, privPassword: true });
    expect(check.target).toBe(`snmpv3://127.0.0.1:${port}`);
    const result = await run(check.id);
    expect(result.status, result.message ?? '').toBe('up');
    expect(result.values.snmp_uptime_seconds).toBeGreaterThan(0);
    expect(keys(result, 'snmp_if_oper_up').length).toBeGreaterThan(0);
    expect(keys(result, 'snmp_storage_usage_percent').length).toBeGreaterThan(0);

    const wrongKey = await create({ version: '3', username: SNMP.user, authPassword: SNMP.authPassword, privPassword: 'not-the-priv-key' }, 1500);
    expect((await run(wrongKey.id)).status).toBe('down');
  });

  it('a wrong community is DOWN (snmpd stays silent: no answer within the timeout)', async () => {
    const check = await create({ version: '2c', community: 'not-the-community' }, 1000);
    const started = Date.now();
    const result = await run(check.id);
    expect(result).toMatchObject({ status: 'down', message: 'no SNMP answer within 800 ms (agent down, or wrong community / credentials)' });
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
