import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { HttpSettings } from '@yunwei/contracts/checks';
import type { OutboundGuard } from '../../../platform/net/outbound-policy.js';
import { down, failure, ms, reasonOf, say, since, up, type Probe, type ProbeSample } from './probe.js';

/** The most of a body read for matching; the rest is not downloaded. */
const MAX_BODY_BYTES = 1024 * 1024;
const DAY_MS = 86_400_000;

interface Hop {
  status: number;
  location: string | undefined;
  body: string;
  /** Days until the certificate of an https hop expires (negative: expired). */
  tlsDaysLeft: number | null;
}

function certificateDaysLeft(res: IncomingMessage): number | null {
  const socket = res.socket as TLSSocket | null;
  const cert = typeof socket?.getPeerCertificate === 'function' ? socket.getPeerCertificate() : null;
  if (!cert?.valid_to) {
    return null;
  }
  return Math.round(((Date.parse(cert.valid_to) - Date.now()) / DAY_MS) * 100) / 100;
}

/** One request (no redirects followed): status, Location and, when wanted, up to MAX_BODY_BYTES of body. */
function request(url: URL, settings: HttpSettings, signal: AbortSignal, wantBody: boolean, outbound: OutboundGuard): Promise<Hop> {
  return new Promise((resolve, reject) => {
    // Every hop (redirects too) goes through the outbound policy: an IP here, a name as it resolves.
    outbound.vetLiteral(url.hostname);
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: settings.method ?? 'GET',
        signal,
        // A fresh connection per run: latency includes connect (and TLS), as a user would see it.
        agent: false,
        lookup: outbound.lookup,
        rejectUnauthorized: !settings.insecureSkipVerify,
        headers: { 'user-agent': 'yunwei-check/1', accept: '*/*', connection: 'close' },
      },
      (res) => {
        const tlsDaysLeft = url.protocol === 'https:' ? certificateDaysLeft(res) : null;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (!wantBody) {
            return;
          }
          if (size < MAX_BODY_BYTES) {
            chunks.push(chunk);
            size += chunk.length;
          }
          if (size >= MAX_BODY_BYTES) {
            res.destroy();
            finish();
          }
        });
        let done = false;
        const finish = () => {
          if (!done) {
            done = true;
            resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'), tlsDaysLeft });
          }
        };
        res.once('end', finish);
        res.once('error', (error) => (done ? undefined : reject(error)));
      },
    );
    req.once('error', reject);
    req.end();
  });
}

function statusExpected(settings: HttpSettings, status: number): boolean {
  return settings.expectedStatus ? settings.expectedStatus.includes(status) : status >= 200 && status < 400;
}

/**
 * HTTP(S): UP when the final status is expected and the body matches (when asked). Latency covers
 * every hop, body included; `check_tls_days_left` comes from the last https hop's certificate.
 */
export const httpProbe: Probe<'http'> = {
  type: 'http',
  target: (s) => s.url,
  validate(s) {
    let url: URL;
    try {
      url = new URL(s.url);
    } catch {
      return ['url', { zh: '不是有效的网址', en: 'is not a valid URL' }];
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return ['url', { zh: '必须是 http 或 https 地址', en: 'must be http or https' }];
    }
    if (url.username || url.password) {
      return ['url', { zh: '不能包含用户名或密码（请用认证设置）', en: 'must not contain credentials' }];
    }
    if (s.bodyMatchKind === 'regex' && s.bodyMatch !== undefined) {
      try {
        new RegExp(s.bodyMatch);
      } catch (error) {
        return ['bodyMatch', { zh: `不是有效的正则表达式：${(error as Error).message}`, en: `is not a valid regular expression: ${(error as Error).message}` }];
      }
    }
    return null;
  },
  async run({ settings, timeoutMs, signal, outbound }) {
    const started = performance.now();
    const follow = settings.followRedirects ?? true;
    const maxRedirects = settings.maxRedirects ?? 5;
    const wantBody = settings.bodyMatch !== undefined && settings.method !== 'HEAD';
    let url = new URL(settings.url);
    let hop: Hop;
    let tlsDaysLeft: number | null = null;
    for (let redirects = 0; ; redirects++) {
      try {
        hop = await request(url, settings, signal, wantBody, outbound);
      } catch (error) {
        if (signal.aborted) {
          return down(say('noAnswer', { ms: timeoutMs }));
        }
        return down(url.protocol === 'https:' && isTlsError(error) ? say('tls.failed', { detail: reasonOf(error) }) : failure(error));
      }
      if (url.protocol === 'https:') {
        tlsDaysLeft = hop.tlsDaysLeft;
      }
      if (!follow || hop.status < 300 || hop.status >= 400 || !hop.location) {
        break;
      }
      if (redirects >= maxRedirects) {
        return down(say('http.tooManyRedirects', { max: maxRedirects, location: hop.location }), since(started));
      }
      url = new URL(hop.location, url);
    }
    const latencyMs = since(started);
    const samples: ProbeSample[] = tlsDaysLeft === null ? [] : [{ metric: 'check_tls_days_left', value: tlsDaysLeft }];
    if (!statusExpected(settings, hop.status)) {
      return down(say('http.unexpectedStatus', { status: hop.status, expected: settings.expectedStatus?.join(', ') ?? '200–399' }), latencyMs, samples);
    }
    if (wantBody) {
      const pattern = settings.bodyMatch!;
      const matched = settings.bodyMatchKind === 'regex' ? new RegExp(pattern).test(hop.body) : hop.body.includes(pattern);
      if (!matched) {
        return down(say(settings.bodyMatchKind === 'regex' ? 'http.bodyNoMatch' : 'http.bodyMissing', { status: hop.status, pattern: pattern.slice(0, 100) }), latencyMs, samples);
      }
    }
    const timing = { status: hop.status, ms: ms(latencyMs) };
    return up(tlsDaysLeft === null ? say('http.ok', timing) : say('http.okTls', { ...timing, days: Math.floor(tlsDaysLeft) }), latencyMs, samples);
  },
};

function isTlsError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
}
