import { ERRORS, type ErrorCode, type ErrorDetails } from '@yunwei/contracts/errors';

/**
 * The only error services throw on purpose. It carries a catalogue code; the HTTP layer turns it
 * into a response, the CLI into a message and an exit code. Services never import HTTP.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, details?: ErrorDetails) {
    super(ERRORS[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    if (details) {
      this.details = details;
    }
  }
}

/** Throws `YW_VALIDATION` naming the field: for rules a schema cannot express. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('YW_VALIDATION', { field, fields: [{ field, message }] });
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
