import { ERRORS, type ErrorBody, type ErrorCode, type ErrorDetails } from '@yunwei/contracts/errors';
import { pickText, type Locale } from '@yunwei/contracts/i18n';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError, type AppErrorDetails } from '../errors.js';
import { fieldProblemsOf, type SchemaErrorLike } from '../schema-errors.js';
import { localeFrom } from './locale.js';

/**
 * The response body: the catalogue message in the caller's language, followed by the explanation or
 * the first field and what is wrong with it. Every field problem comes back in that language too, and
 * an error naming a field without saying more (`YW_USERNAME_TAKEN`) lists it with the catalogue text,
 * so a form can show each message on its field.
 */
export function errorBody(code: ErrorCode, locale: Locale, details?: AppErrorDetails): ErrorBody {
  const def = ERRORS[code];
  const title = locale === 'en' ? def.en : def.zh;
  const separator = locale === 'en' ? ': ' : '：';
  if (!details) {
    return { code, message: title };
  }
  const explanation = details.explanation ? pickText(details.explanation, locale) : undefined;
  const problems = details.fields ?? (details.field ? [{ field: details.field, message: { zh: def.zh, en: def.en } }] : undefined);
  const fields = problems?.map((f) => ({ field: f.field, message: explanation && !details.fields ? `${title}${separator}${explanation}` : pickText(f.message, locale) }));
  let message = title;
  if (explanation) {
    message += `${separator}${explanation}`;
  } else if (details.field) {
    message += `${separator}${details.field}`;
    if (details.fields?.[0]) {
      message += ` — ${fields![0]!.message}`;
    }
  }
  const { fields: _bilingual, ...rest } = details;
  const body: ErrorDetails = fields ? { ...rest, fields } : rest;
  return { code, message, details: body };
}

export function sendError(reply: FastifyReply, code: ErrorCode, details?: AppErrorDetails): FastifyReply {
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
      const fields = fieldProblemsOf(error.validationContext ?? 'body', error.validation as SchemaErrorLike[]);
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
