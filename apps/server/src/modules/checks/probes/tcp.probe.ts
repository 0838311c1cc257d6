import net from 'node:net';
import { down, failure, ms, say, since, up, type Probe } from './probe.js';

/** The host part of a URL or target: IPv6 addresses in brackets. */
export function hostPart(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

/** TCP connect: UP when the handshake completes; latency is the connect time. */
export const tcpProbe: Probe<'tcp'> = {
  type: 'tcp',
  target: (s) => `tcp://${hostPart(s.host)}:${s.port}`,
  run: ({ settings, timeoutMs, signal, outbound }) =>
    new Promise((resolve) => {
      try {
        outbound.vetLiteral(settings.host);
      } catch (error) {
        resolve(down(failure(error)));
        return;
      }
      const started = performance.now();
      // A name is checked by the outbound policy as it resolves (every address).
      const socket = net.connect({ host: settings.host, port: settings.port, timeout: timeoutMs, lookup: outbound.lookup });
      const finish = (outcome: Parameters<typeof resolve>[0]) => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(outcome);
      };
      const onAbort = () => finish(down(say('tcp.noConnection', { ms: timeoutMs })));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        const latencyMs = since(started);
        finish(up(say('tcp.connected', { ms: ms(latencyMs) }), latencyMs));
      });
      socket.once('timeout', () => finish(down(say('tcp.noConnection', { ms: timeoutMs }))));
      socket.once('error', (error) => finish(down(failure(error))));
    }),
};
