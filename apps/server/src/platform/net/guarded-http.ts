import http from 'node:http';
import https from 'node:https';
import type { OutboundGuard } from './outbound-policy.js';

export interface GuardedRequest {
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Redirects followed (each hop is checked by the guard again); default 0: a 3xx is the answer. */
  maxRedirects?: number;
  /** A longer body is an error. */
  maxBodyBytes?: number;
}

export interface GuardedResponse {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * An HTTP(S) request whose every connection goes through the outbound policy (`guard`): an IP in the
 * URL is vetted before, a name at resolution time (every address). `fetch` cannot take a lookup
 * hook without the undici package, so the notification channels and the scraper use this instead.
 */
export async function guardedRequest(url: string, guard: OutboundGuard, options: GuardedRequest): Promise<GuardedResponse> {
  let target = new URL(url);
  for (let hops = 0; ; hops++) {
    const res = await once(target, guard, options);
    const location = res.headers.location;
    const follow = (options.maxRedirects ?? 0) > 0 && res.status >= 300 && res.status < 400 && location;
    if (!follow) {
      return res;
    }
    if (hops >= options.maxRedirects!) {
      throw new Error(`more than ${options.maxRedirects} redirects (last to ${location})`);
    }
    target = new URL(location, target);
  }
}

function once(url: URL, guard: OutboundGuard, options: GuardedRequest): Promise<GuardedResponse> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new Error(`${url.protocol} URLs are not supported`));
  }
  try {
    guard.vetLiteral(url.hostname);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, { method: options.method ?? 'GET', headers: options.headers, signal: options.signal, lookup: guard.lookup, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (options.maxBodyBytes !== undefined && size > options.maxBodyBytes) {
          res.destroy(new Error(`response larger than ${options.maxBodyBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.once('error', reject);
    req.end(options.body);
  });
}
