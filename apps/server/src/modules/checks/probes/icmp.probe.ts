import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { down, failure, say, up, type Probe } from './probe.js';

/** The system's ping (setuid or with cap_net_raw): no raw sockets in the server process. */
const PING = ['/usr/bin/ping', '/bin/ping'].find((p) => existsSync(p)) ?? '/usr/bin/ping';

export interface PingSummary {
  transmitted: number;
  received: number;
  /** Average round trip, ms (null when nothing came back). */
  avgMs: number | null;
}

/** Reads the summary of iputils / BusyBox ping output. */
export function parsePing(output: string): PingSummary | null {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  if (!counts) {
    return null;
  }
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/(?:mdev|stddev))? = [\d.]+\/([\d.]+)\//.exec(output);
  return { transmitted: Number(counts[1]), received: Number(counts[2]), avgMs: rtt ? Number(rtt[1]) : null };
}

/** ICMP echo through `ping -c N`: UP when at least one reply came back; latency is the average round trip. */
export const icmpProbe: Probe<'icmp'> = {
  type: 'icmp',
  target: (s) => `icmp://${s.host}`,
  async run({ settings, timeoutMs, signal, outbound }) {
    // ping gets the address the outbound policy checked, not the name (which could resolve anew).
    let address: string;
    try {
      ({ address } = await outbound.resolve(settings.host));
    } catch (error) {
      return down(failure(error));
    }
    return new Promise((resolve) => {
      const count = settings.count ?? 3;
      // -w: the whole run's deadline (whole seconds, at least 1); -W: wait per reply; -i 0.2: the fastest unprivileged pace.
      const deadline = Math.max(1, Math.floor(timeoutMs / 1000));
      const args = ['-n', '-c', String(count), '-i', '0.2', '-W', String(Math.max(1, Math.min(deadline, 5))), '-w', String(deadline), '--', address];
      const child = spawn(PING, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
      child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
      child.once('error', (error) => {
        resolve(down(signal.aborted ? say('icmp.noReplyWithin', { ms: timeoutMs }) : say('icmp.cannotRun', { detail: error.message })));
      });
      child.once('close', () => {
        if (signal.aborted) {
          resolve(down(say('icmp.noReplyWithin', { ms: timeoutMs })));
          return;
        }
        const summary = parsePing(output);
        if (!summary) {
          resolve(down(say('icmp.unreadable', { detail: output.trim().split('\n').pop()?.slice(0, 300) || 'ping gave no summary' })));
          return;
        }
        const loss = summary.transmitted ? Math.round((1 - summary.received / summary.transmitted) * 100) : 100;
        if (summary.received === 0) {
          resolve(down(say('icmp.noReply', { sent: summary.transmitted })));
          return;
        }
        resolve(up(say('icmp.replies', { received: summary.received, sent: summary.transmitted, loss, avg: summary.avgMs ?? '?' }), summary.avgMs));
      });
    });
  },
};
