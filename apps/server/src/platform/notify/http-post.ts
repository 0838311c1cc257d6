import { ChannelError } from './channel.js';

export interface PostResult {
  status: number;
  /** The response parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * POSTs a JSON body (already serialised: signatures cover these exact bytes) and reads the answer.
 * A network error or a non-2xx status is a ChannelError with what the endpoint said.
 */
export async function postJson(url: string, body: string, options: { headers?: Record<string, string>; signal: AbortSignal }): Promise<PostResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers }, body, signal: options.signal, redirect: 'error' });
  } catch (error) {
    if (options.signal.aborted) {
      throw options.signal.reason instanceof Error ? options.signal.reason : new ChannelError('aborted');
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ChannelError(`cannot reach ${new URL(url).host}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
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
