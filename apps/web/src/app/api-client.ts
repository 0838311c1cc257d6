import type { ErrorDetails } from '@yunwei/contracts/errors';
import i18n, { currentLanguage } from './i18n';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The server appends the offending field's path to the message ("用户名已存在：body.username");
 * the form highlights that field already, so people are shown the message without the path.
 */
function withoutFieldPath(message: string, field: string | undefined): string {
  if (!field) {
    return message;
  }
  return message.replace(new RegExp(`\\s*[：:]\\s*${escapeRegExp(field)}(?=\\s|$)`), '').trim();
}

/** An error answered by the server (or a network failure, code `YW_NETWORK`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails | undefined;

  constructor(status: number, code: string, message: string, details?: ErrorDetails) {
    super(withoutFieldPath(message, details?.field));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Codes that send the user somewhere else (sign-in, forced password change, MFA enrolment). */
export const SESSION_REDIRECT_CODES: ReadonlySet<string> = new Set([
  'YW_AUTH_REQUIRED',
  'YW_AUTH_SESSION_EXPIRED',
  'YW_AUTH_MFA_REQUIRED',
  'YW_AUTH_PASSWORD_CHANGE_REQUIRED',
  'YW_AUTH_MFA_ENROLMENT_REQUIRED',
]);

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

let csrfToken: string | null = null;
let sessionEventHandler: ((error: ApiError) => void) | null = null;

/** The CSRF token of the current session; sent on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Register the handler told about errors that change the session (see SESSION_REDIRECT_CODES). */
export function onSessionEvent(handler: ((error: ApiError) => void) | null): void {
  sessionEventHandler = handler;
}

export function buildUrl(path: string, query?: QueryParams): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    params.append(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function isErrorBody(value: unknown): value is { code: string; message: string; details?: ErrorDetails } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

interface RequestOptions {
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal;
  accept?: string;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: options.accept ?? 'application/json',
    'Accept-Language': currentLanguage(),
  };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && csrfToken) {
    headers['x-csrf-token'] = csrfToken;
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') {
      throw cause;
    }
    throw new ApiError(0, 'YW_NETWORK', i18n.t('error.network'));
  }
  if (!response.ok) {
    throw await toApiError(response);
  }
  return response;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = isErrorBody(body)
    ? new ApiError(response.status, body.code, body.message, body.details)
    : new ApiError(response.status, `HTTP_${response.status}`, i18n.t('error.http', { status: response.status }));
  if (SESSION_REDIRECT_CODES.has(error.code)) {
    sessionEventHandler?.(error);
  }
  return error;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  const text = await response.text();
  if (!text) {
    return undefined as T;
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'YW_BAD_RESPONSE', i18n.t('error.badResponse'));
  }
}

export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

function filenameFrom(response: Response, fallback: string): string {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    return decodeURIComponent(star[1]);
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/** Download a file from a GET endpoint (with the session cookie and the UI language). */
export async function downloadFile(path: string, query: QueryParams, fallbackName: string): Promise<void> {
  const response = await send('GET', path, { query, accept: '*/*' });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filenameFrom(response, fallbackName);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
