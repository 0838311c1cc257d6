import { guardedRequest, type GuardedResponse } from '../net/guarded-http.js';
import { OutboundRefusedError, type OutboundGuard } from '../net/outbound-policy.js';
import { ChannelError } from './channel.js';

export interface PostResult {
  status: number;
  /** The response parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * POSTs a JSON body (already serialised: signatures cover these exact bytes) and reads the answer.
 * A network error, an address the outbound policy refuses, or a non-2xx status (redirects are not
 * followed) is a ChannelError with what the endpoint said.
 */
export async function postJson(url: string, body: string, options: { headers?: Record<string, string>; signal: AbortSignal; outbound: OutboundGuard }): Promise<PostResult> {
  let res: GuardedResponse;
  try {
    res = await guardedRequest(url, options.outbound, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers }, body, signal: options.signal, maxBodyBytes: 1024 * 1024 });
  } catch (error) {
    if (options.signal.aborted) {
      throw options.signal.reason instanceof Error ? options.signal.reason : new ChannelError('aborted');
    }
    if (error instanceof OutboundRefusedError) {
      throw new ChannelError(error.message);
    }
    const e = error as { code?: string; message?: string };
    throw new ChannelError(`cannot reach ${new URL(url).host}: ${e.code ?? e.message}`);
  }
  const text = res.body.toString('utf8');
  if (res.status < 200 || res.status >= 300) {
    throw new ChannelError(`HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

/** The robots answer 200 with an error code in the body (`errcode` / `code`): non-zero is a failure. */
export function requireZero(json: unknown, codeField: 'errcode' | 'code', messageField: 'errmsg' | 'msg'): void {
  const body = (json ?? {}) as Record<string, unknown>;
  const code = body[codeField] ?? body.StatusCode;
  if (code === undefined) {
    throw new ChannelError(`unexpected answer (no ${codeField}): ${JSON.stringify(json)?.slice(0, 300)}`);
  }
  if (Number(code) !== 0) {
    throw new ChannelError(`${codeField} ${String(code)}: ${String(body[messageField] ?? body.StatusMessage ?? '')}`);
  }
}

/** Joins a configured base URL and query parameters (the base may carry its own query). */
export function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) {
    url.searchParams.set(k, v);
  }
  return url.toString();
}
