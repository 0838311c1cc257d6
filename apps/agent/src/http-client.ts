import http from 'node:http';
import https from 'node:https';

/** What became of a request: the server's answer, or `unreachable` (no answer / 5xx / 429: try again later). */
export type Outcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'unreachable'; reason: string }
  /** 401: the credential (or enrolment token) is not accepted. */
  | { kind: 'unauthorized'; reason: string }
  /** Another 4xx: this request will never be accepted (e.g. a malformed payload). */
  | { kind: 'rejected'; status: number; reason: string };

/** Keep-alive sockets for one kind of traffic. */
export interface Sockets {
  http: http.Agent;
  https: https.Agent;
}

export function sockets(maxSockets: number): Sockets {
  return { http: new http.Agent({ keepAlive: true, maxSockets }), https: new https.Agent({ keepAlive: true, maxSockets }) };
}

/** Metrics and inventory: one socket, one request at a time. */
const pushSockets = sockets(1);

export interface RequestOptions {
  bearer?: string;
  timeoutMs?: number;
  /** Default: the push traffic's one socket (a long poll must bring its own). */
  sockets?: Sockets;
  signal?: AbortSignal;
}

/**
 * POSTs JSON with node:http (lighter than fetch, whose first use loads undici). One keep-alive
 * socket: the agent sends one request at a time.
 */
export function postJson(serverUrl: string, pathname: string, body: unknown, options: RequestOptions = {}): Promise<Outcome> {
  return requestJson(serverUrl, 'POST', pathname, body, options);
}

/** A JSON request (a GET has no body) and what became of it. */
export function requestJson(serverUrl: string, method: 'GET' | 'POST', pathname: string, body: unknown, options: RequestOptions = {}): Promise<Outcome> {
  // Under the server's address, path included (Yunwei behind a proxy at https://host/yunwei).
  const url = new URL(pathname.replace(/^\/+/, ''), serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`);
  const payload = method === 'GET' ? null : Buffer.from(JSON.stringify(body));
  const secure = url.protocol === 'https:';
  const pool = options.sockets ?? pushSockets;
  return new Promise((resolve) => {
    const req = (secure ? https : http).request(
      url,
      {
        method,
        agent: secure ? pool.https : pool.http,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          'accept-language': 'en',
          ...(options.bearer ? { authorization: `Bearer ${options.bearer}` } : {}),
        },
        timeout: options.timeoutMs ?? 15_000,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (error) => resolve({ kind: 'unreachable', reason: error.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          const status = res.statusCode ?? 0;
          const message = (json as { message?: string } | null)?.message ?? text.slice(0, 300);
          if (status >= 200 && status < 300) {
            resolve({ kind: 'ok', body: json });
          } else if (status === 401) {
            resolve({ kind: 'unauthorized', reason: message });
          } else if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
            resolve({ kind: 'rejected', status, reason: message });
          } else {
            resolve({ kind: 'unreachable', reason: `HTTP ${status} ${message}` });
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'unreachable', reason: error.code ?? error.message }));
    req.end(payload ?? undefined);
  });
}
