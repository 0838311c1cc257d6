import { ERRORS, type ErrorCode } from '@yunwei/contracts/errors';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { FieldProblem } from './schema-errors.js';

/**
 * What an error carries besides its code: the field it is about, the field problems (messages in both
 * languages: the error handler answers in the caller's), an explanation in both languages, and any
 * facts a script may act on.
 */
export interface AppErrorDetails {
  /** Dotted path of the offending field, e.g. `body.username`. */
  field?: string;
  fields?: FieldProblem[];
  explanation?: LocalizedText;
  [key: string]: unknown;
}

/**
 * The only error services throw on purpose. It carries a catalogue code; the HTTP layer turns it
 * into a response, the CLI into a message and an exit code. Services never import HTTP.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: AppErrorDetails;

  constructor(code: ErrorCode, details?: AppErrorDetails) {
    super(ERRORS[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    if (details) {
      this.details = details;
    }
  }
}

/**
 * `YW_VALIDATION` naming the field, for rules a schema cannot express: what is wrong, in both
 * languages (the caller reads it in theirs, on the field of the form).
 */
export function invalidField(field: string, message: LocalizedText): AppError {
  return new AppError('YW_VALIDATION', { field, fields: [{ field, message }] });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
