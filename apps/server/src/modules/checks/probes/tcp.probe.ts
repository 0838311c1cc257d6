import net from 'node:net';
import { down, reasonOf, since, type Probe } from './probe.js';

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
        resolve(down(reasonOf(error)));
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
      const onAbort = () => finish(down(`no connection within ${timeoutMs} ms`));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        const latencyMs = since(started);
        finish({ up: true, latencyMs, message: `connected in ${latencyMs.toFixed(1)} ms`, samples: [] });
      });
      socket.once('timeout', () => finish(down(`no connection within ${timeoutMs} ms`)));
      socket.once('error', (error) => finish(down(reasonOf(error))));
    }),
};
