import net from 'node:net';
import snmp, { type Session, type Varbind } from 'net-snmp';
import type { SnmpSettings } from '@yunwei/contracts/checks';
import { hostPart } from './tcp.probe.js';
import { down, reasonOf, say, since, up, type CounterMemory, type Probe, type ProbeSample } from './probe.js';

/** MIB-II and HOST-RESOURCES-MIB objects read (numeric OIDs: no MIB files needed). */
export const OID = {
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  ifDescr: '1.3.6.1.2.1.2.2.1.2',
  ifOperStatus: '1.3.6.1.2.1.2.2.1.8',
  ifInOctets: '1.3.6.1.2.1.2.2.1.10',
  ifOutOctets: '1.3.6.1.2.1.2.2.1.16',
  ifName: '1.3.6.1.2.1.31.1.1.1.1',
  ifHCInOctets: '1.3.6.1.2.1.31.1.1.1.6',
  ifHCOutOctets: '1.3.6.1.2.1.31.1.1.1.10',
  hrStorageDescr: '1.3.6.1.2.1.25.2.3.1.3',
  hrStorageAllocationUnits: '1.3.6.1.2.1.25.2.3.1.4',
  hrStorageSize: '1.3.6.1.2.1.25.2.3.1.5',
  hrStorageUsed: '1.3.6.1.2.1.25.2.3.1.6',
  hrProcessorLoad: '1.3.6.1.2.1.25.3.3.1.2',
} as const;

const COUNTER32_WRAP = 2 ** 32;

/** A varbind's value as a number: Counter64 arrives as a big-endian Buffer. */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') {
    return value;
  }
  if (Buffer.isBuffer(value)) {
    let n = 0n;
    for (const byte of value) {
      n = (n << 8n) | BigInt(byte);
    }
    return Number(n);
  }
  return null;
}

function textOf(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('utf8').replace(/\0+$/, '') : String(value ?? '');
}

function openSession(s: SnmpSettings, timeoutMs: number): Session {
  // One try, answered within 80% of the run's deadline (so a silent agent is reported as such, not
  // as the run's timeout): a retry would only eat into the deadline.
  const options = { port: s.port ?? 161, retries: 0, timeout: Math.max(50, Math.floor(timeoutMs * 0.8)), transport: net.isIPv6(s.host) ? ('udp6' as const) : ('udp4' as const) };
  if (s.version === '2c') {
    return snmp.createSession(s.host, s.community ?? 'public', { ...options, version: snmp.Version2c });
  }
  const level = s.securityLevel ?? 'authPriv';
  return snmp.createV3Session(
    s.host,
    {
      name: s.username ?? '',
      level: snmp.SecurityLevel[level],
      ...(level !== 'noAuthNoPriv' ? { authProtocol: snmp.AuthProtocols[s.authProtocol ?? 'sha'], authKey: s.authPassword ?? '' } : {}),
      ...(level === 'authPriv' ? { privProtocol: snmp.PrivProtocols[s.privProtocol ?? 'aes'], privKey: s.privPassword ?? '' } : {}),
    },
    { ...options, version: snmp.Version3 },
  );
}

function get(session: Session, oids: string[]): Promise<Varbind[]> {
  return new Promise((resolve, reject) => session.get(oids, (error, varbinds) => (error ? reject(error) : resolve(varbinds ?? []))));
}

/** A table column: row index (the OID after the column) → value. Missing columns are an empty map. */
function column(session: Session, oid: string): Promise<Map<string, unknown>> {
  return new Promise((resolve) => {
    const rows = new Map<string, unknown>();
    session.subtree(
      oid,
      20,
      (varbinds) => {
        for (const vb of varbinds) {
          if (!snmp.isVarbindError(vb)) {
            rows.set(vb.oid.slice(oid.length + 1), vb.value);
          }
        }
      },
      // An agent without the table (or an error half-way) leaves what was read: the rest of the run still counts.
      () => resolve(rows),
    );
  });
}

/** Label values: the interface's ifName (ifDescr on agents without ifXTable), made unique. */
function interfaceNames(names: Map<string, unknown>, descriptions: Map<string, unknown>, indexes: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const index of indexes) {
    let name = textOf(names.get(index) ?? descriptions.get(index) ?? `if${index}`) || `if${index}`;
    if (seen.has(name)) {
      name = `${name}#${index}`;
    }
    seen.add(name);
    out.set(index, name);
  }
  return out;
}

async function interfaceSamples(session: Session, memory: CounterMemory, at: number, keys: Set<string>): Promise<ProbeSample[]> {
  const [descr, oper, in32, out32, names, inHc, outHc] = await Promise.all(
    [OID.ifDescr, OID.ifOperStatus, OID.ifInOctets, OID.ifOutOctets, OID.ifName, OID.ifHCInOctets, OID.ifHCOutOctets].map((oid) => column(session, oid)),
  );
  const indexes = [...new Set([...descr!.keys(), ...oper!.keys()])];
  const labels = interfaceNames(names!, descr!, indexes);
  const samples: ProbeSample[] = [];
  for (const index of indexes) {
    const ifname = labels.get(index)!;
    const status = numberOf(oper!.get(index));
    if (status !== null) {
      samples.push({ metric: 'snmp_if_oper_up', labels: { ifname }, value: status === 1 ? 1 : 0 });
    }
    for (const [direction, hc, c32] of [
      ['in', inHc, in32],
      ['out', outHc, out32],
    ] as const) {
      // 64-bit counters when the agent has them (no wrap in practice), else the 32-bit ones (wrap every 34 s at 1 Gbit/s).
      const high = numberOf(hc!.get(index));
      const value = high ?? numberOf(c32!.get(index));
      if (value === null) {
        continue;
      }
      const key = `if:${direction}:${index}:${high === null ? '32' : '64'}`;
      keys.add(key);
      const rate = memory.rate(key, value, at, high === null ? COUNTER32_WRAP : undefined);
      if (rate !== null) {
        samples.push({ metric: `snmp_if_${direction}_octets_per_second`, labels: { ifname }, value: rate });
      }
    }
  }
  return samples;
}

async function storageSamples(session: Session): Promise<ProbeSample[]> {
  const [descr, units, size, used] = await Promise.all([OID.hrStorageDescr, OID.hrStorageAllocationUnits, OID.hrStorageSize, OID.hrStorageUsed].map((oid) => column(session, oid)));
  const samples: ProbeSample[] = [];
  const seen = new Set<string>();
  for (const [index, d] of descr!) {
    const total = numberOf(size!.get(index));
    const taken = numberOf(used!.get(index));
    if (!total || taken === null || !numberOf(units!.get(index))) {
      continue;
    }
    let storage = textOf(d) || `storage${index}`;
    if (seen.has(storage)) {
      storage = `${storage}#${index}`;
    }
    seen.add(storage);
    samples.push({ metric: 'snmp_storage_usage_percent', labels: { storage }, value: Math.round((taken / total) * 10_000) / 100 });
  }
  return samples;
}

async function processorSamples(session: Session): Promise<ProbeSample[]> {
  const loads = await column(session, OID.hrProcessorLoad);
  return [...loads].flatMap(([cpu, load]) => {
    const value = numberOf(load);
    return value === null ? [] : [{ metric: 'snmp_cpu_load_percent', labels: { cpu }, value }];
  });
}

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m`;
}

/**
 * SNMP v2c / v3 (USM) through net-snmp: sysUpTime and sysName (UP when they answer), interface
 * counters as per-second rates between runs, interface state, storage usage and processor load.
 */
export const snmpProbe: Probe<'snmp'> = {
  type: 'snmp',
  target: (s) => `snmp${s.version === '3' ? 'v3' : ''}://${hostPart(s.host)}:${s.port ?? 161}`,
  validate(s) {
    if (s.version === '3') {
      const level = s.securityLevel ?? 'authPriv';
      if (!s.username) {
        return ['username', { zh: 'SNMPv3 必须填写用户名', en: 'is required for SNMPv3' }];
      }
      if (level !== 'noAuthNoPriv' && s.authPassword !== undefined && s.authPassword !== null && s.authPassword.length < 8) {
        return ['authPassword', { zh: '至少 8 个字符（RFC 3414）', en: 'must be at least 8 characters (RFC 3414)' }];
      }
      if (level === 'authPriv' && s.privPassword !== undefined && s.privPassword !== null && s.privPassword.length < 8) {
        return ['privPassword', { zh: '至少 8 个字符（RFC 3414）', en: 'must be at least 8 characters (RFC 3414)' }];
      }
    }
    return null;
  },
  async run({ settings, timeoutMs, signal, memory, outbound }) {
    if (settings.version === '3' && (settings.securityLevel ?? 'authPriv') !== 'noAuthNoPriv' && !settings.authPassword) {
      return down(say('snmp.noAuthPassword'));
    }
    if (settings.version === '3' && (settings.securityLevel ?? 'authPriv') === 'authPriv' && !settings.privPassword) {
      return down(say('snmp.noPrivPassword'));
    }
    let session: Session;
    try {
      // The session talks to the address the outbound policy checked, not the name again.
      const { address } = await outbound.resolve(settings.host);
      session = openSession({ ...settings, host: address }, timeoutMs);
    } catch (error) {
      return down(say('snmp.failed', { detail: reasonOf(error) }));
    }
    session.on('error', () => undefined);
    const close = () => {
      try {
        session.close();
      } catch {
        // already closed (the run was aborted)
      }
    };
    const onAbort = close;
    signal.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    try {
      let system: Varbind[];
      try {
        system = await get(session, [OID.sysUpTime, OID.sysName]);
      } catch (error) {
        const timedOut = (error as Error).name === 'RequestTimedOutError' || signal.aborted;
        return down(timedOut ? say('snmp.noAnswer', { ms: Math.max(50, Math.floor(timeoutMs * 0.8)) }) : say('snmp.failed', { detail: reasonOf(error) }));
      }
      const latencyMs = since(started);
      const [uptime, name] = system;
      if (!uptime || snmp.isVarbindError(uptime)) {
        return down(say('snmp.uptimeUnreadable', { detail: uptime ? snmp.varbindError(uptime) : 'no value' }), latencyMs);
      }
      const uptimeSeconds = (numberOf(uptime.value) ?? 0) / 100;
      const samples: ProbeSample[] = [{ metric: 'snmp_uptime_seconds', value: uptimeSeconds }];
      const at = Date.now();
      const keys = new Set<string>();
      const parts = await Promise.all([
        settings.interfaces === false ? [] : interfaceSamples(session, memory, at, keys),
        settings.storage === false ? [] : storageSamples(session),
        settings.processors === false ? [] : processorSamples(session),
      ]);
      if (settings.interfaces !== false) {
        memory.keepOnly(keys);
      }
      samples.push(...parts.flat());
      const sysName = name && !snmp.isVarbindError(name) ? textOf(name.value) : '?';
      const interfaces = samples.filter((s) => s.metric === 'snmp_if_oper_up').length;
      return up(say('snmp.ok', { sysName, uptime: formatUptime(uptimeSeconds), interfaces }), latencyMs, samples);
    } finally {
      signal.removeEventListener('abort', onAbort);
      close();
    }
  },
};
