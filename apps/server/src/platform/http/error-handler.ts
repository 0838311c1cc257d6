import { ERRORS, type ErrorBody, type ErrorCode, type ErrorDetails } from '@yunwei/contracts/errors';
import type { Locale } from '@yunwei/contracts/i18n';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../errors.js';
import { localeFrom } from './locale.js';

interface AjvLikeError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `body.username` from an Ajv error of the `body` part. */
function fieldOf(context: string, e: AjvLikeError): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const child = (e.params.missingProperty ?? e.params.additionalProperty) as string | undefined;
  return [context, path, child].filter(Boolean).join('.');
}

function messageOf(e: AjvLikeError): string {
  return e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid');
}

export function errorBody(code: ErrorCode, locale: Locale, details?: ErrorDetails): ErrorBody {
  const def = ERRORS[code];
  let message = locale === 'en' ? def.en : def.zh;
  const explanation = details?.explanation as { zh: string; en: string } | undefined;
  if (explanation) {
    message += `${locale === 'en' ? ': ' : '：'}${locale === 'en' ? explanation.en : explanation.zh}`;
  } else if (details?.field) {
    message += `${locale === 'en' ? ': ' : '：'}${details.field}`;
    const detail = details.fields?.[0]?.message;
    if (detail) {
      message += ` — ${detail}`;
    }
  }
  return details ? { code, message, details } : { code, message };
}

export function sendError(reply: FastifyReply, code: ErrorCode, details?: ErrorDetails): FastifyReply {
  const locale = reply.request.locale ?? localeFrom(reply.request.headers['accept-language']);
  return reply.status(ERRORS[code].status).send(errorBody(code, locale, details));
}

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'YW_MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'YW_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'YW_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'YW_MALFORMED_BODY',
  FST_ERR_CTP_BODY_TOO_LARGE: 'YW_BODY_TOO_LARGE',
};

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, …). */
function isDatabaseBusy(error: { code?: unknown }): boolean {
  return typeof error.code === 'string' && error.code.startsWith('SQLITE_BUSY');
}

/** The one place errors become responses: `{ code, message, details }`, never a stack trace. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isAppError(error)) {
      return sendError(reply, error.code, error.details);
    }
    if (error.validation) {
      const fields = (error.validation as AjvLikeError[]).map((e) => ({ field: fieldOf(error.validationContext ?? 'body', e), message: messageOf(e) }));
      return sendError(reply, 'YW_VALIDATION', { field: fields[0]?.field, fields });
    }
    const mapped = FRAMEWORK_CODES[error.code];
    if (mapped) {
      return sendError(reply, mapped);
    }
    if (error.statusCode === 429) {
      return sendError(reply, 'YW_RATE_LIMITED');
    }
    if (isDatabaseBusy(error)) {
      // SQLite's write lock was not free within busy_timeout: the transaction rolled back, so retrying is safe.
      request.log.warn({ err: error }, 'database busy');
      return sendError(reply, 'YW_DB_BUSY');
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ err: error }, 'client error');
      return sendError(reply, error.statusCode === 404 ? 'YW_NOT_FOUND' : 'YW_VALIDATION', { reason: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 'YW_INTERNAL');
  });
}
