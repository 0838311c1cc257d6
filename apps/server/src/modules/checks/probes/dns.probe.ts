import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import { abortion, down, failure, reasonOf, say, since, up, type Probe } from './probe.js';

/** `ip`, `ip:port` or `[ipv6]:port` → null when it is none of these. */
export function parseServer(server: string): { host: string; port: number } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(server);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : net.isIPv6(server) ? [server, undefined] : (server.split(':') as [string, string | undefined]);
  const portNumber = port === undefined ? 53 : Number(port);
  if (!net.isIP(host) || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    return null;
  }
  return { host, port: portNumber };
}

/** Every answer as text, whatever the record type (MX → exchange, SRV → target:port, TXT → joined). */
function answersOf(records: unknown): string[] {
  const list = Array.isArray(records) ? records : [records];
  return list.map((r: unknown) => {
    if (typeof r === 'string') {
      return r;
    }
    if (Array.isArray(r)) {
      return r.join('');
    }
    const o = r as { exchange?: string; name?: string; port?: number; nsname?: string };
    if (o.exchange !== undefined) {
      return o.exchange;
    }
    if (o.name !== undefined && o.port !== undefined) {
      return `${o.name}:${o.port}`;
    }
    return o.nsname ?? JSON.stringify(r);
  });
}

/** DNS through node:dns (c-ares): UP when the name resolves (and one answer equals `expected`). */
export const dnsProbe: Probe<'dns'> = {
  type: 'dns',
  target: (s) => `dns://${s.server ? `${s.server}/` : ''}${s.name}?${s.recordType ?? 'A'}`,
  validate: (s) => (s.server !== undefined && !parseServer(s.server) ? ['server', { zh: '必须是 IP 地址，可带 :端口', en: 'must be an IP address, optionally with :port' }] : null),
  async run({ settings, timeoutMs, signal, outbound }) {
    const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    if (settings.server) {
      const { host, port } = parseServer(settings.server)!;
      try {
        outbound.vet(host);
      } catch (error) {
        return down(failure(error));
      }
      resolver.setServers([net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`]);
    }
    const type = settings.recordType ?? 'A';
    const started = performance.now();
    const onAbort = () => resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const answers = answersOf(await Promise.race([resolver.resolve(settings.name, type), abortion(signal)]));
      const latencyMs = since(started);
      const shown = answers.slice(0, 5).join(', ') + (answers.length > 5 ? ', …' : '');
      const asked = { type, name: settings.name };
      if (settings.expected !== undefined && !answers.some((a) => a.toLowerCase() === settings.expected!.toLowerCase())) {
        return down(shown ? say('dns.unexpected', { ...asked, answers: shown, expected: settings.expected }) : say('dns.unexpectedNone', { ...asked, expected: settings.expected }), latencyMs);
      }
      return up(say('dns.answers', { ...asked, answers: shown }), latencyMs);
    } catch (error) {
      return down(signal.aborted ? say('noAnswer', { ms: timeoutMs }) : say('dns.failed', { type, name: settings.name, detail: reasonOf(error) }));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  },
};
