/** The closed set of error codes; `http/app.ts` maps each one to an HTTP status exactly once. */
export type ErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'INSUFFICIENT_STOCK'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UPSTREAM'
  | 'RATE_LIMITED'
  | 'NEEDS_RECONNECT';

export interface ErrorDetail {
  path: string;
  reason: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
