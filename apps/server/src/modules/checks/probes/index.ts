import type { CheckType } from '@yunwei/contracts/checks';
import { dnsProbe } from './dns.probe.js';
import { httpProbe } from './http.probe.js';
import { icmpProbe } from './icmp.probe.js';
import { mysqlProbe } from './mysql.probe.js';
import { postgresProbe } from './postgres.probe.js';
import type { Probe } from './probe.js';
import { snmpProbe } from './snmp.probe.js';
import { tcpProbe } from './tcp.probe.js';

/** Every check type and its probe: a new type is one file beside this and one line here. */
export const PROBES: { readonly [T in CheckType]: Probe<T> } = {
  icmp: icmpProbe,
  tcp: tcpProbe,
  http: httpProbe,
  dns: dnsProbe,
  snmp: snmpProbe,
  postgres: postgresProbe,
  mysql: mysqlProbe,
};

export function probeOf<T extends CheckType>(type: T): Probe<T> {
  return PROBES[type] as Probe<T>;
}
