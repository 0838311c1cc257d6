import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { parseNetSockets, type ListeningPort } from '../metrics/proc.ts';

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Listening TCP/UDP ports (IPv4 and IPv6), sorted and without duplicates. */
export function listeningPorts(): ListeningPort[] {
  const seen = new Map<string, ListeningPort>();
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    for (const p of parseNetSockets(readOr(`/proc/net/${proto}`), proto)) {
      seen.set(`${p.protocol} ${p.address} ${p.port}`, p);
    }
  }
  return [...seen.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port || a.address.localeCompare(b.address));
}

/** Files whose change means the inventory probably changed (package databases, accounts, units, OS release). */
const WATCHED = ['/var/lib/dpkg/status', '/var/lib/rpm/Packages', '/var/lib/rpm/rpmdb.sqlite', '/etc/passwd', '/etc/os-release', '/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system', '/etc/hostname'];

/**
 * A cheap fingerprint of what the inventory holds: modification times of the watched files, the
 * kernel, memory, CPU count, hostname and listening ports. No process is spawned, so the agent can
 * check it often and collect the (costly) full inventory only when it changed — or every hour.
 */
export function inventoryFingerprint(): string {
  const h = createHash('sha256');
  for (const file of WATCHED) {
    try {
      const s = statSync(file);
      h.update(`${file} ${s.mtimeMs} ${s.size}\n`);
    } catch {
      h.update(`${file} -\n`);
    }
  }
  h.update(`${os.release()} ${os.totalmem()} ${os.cpus().length} ${os.hostname()}\n`);
  h.update(JSON.stringify(listeningPorts()));
  return h.digest('hex');
}
