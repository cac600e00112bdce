// Domain errors: what a handler throws to say "the caller did something wrong" or "this cannot happen now".
// Each carries the gRPC status it maps to and a message that is safe to show to the caller.
import { status } from '@grpc/grpc-js';

/** FieldViolation names one bad request field (proto field path, e.g. "nickname" or "tags[2]") and what is wrong. */
export interface FieldViolation {
  readonly field: string;
  readonly message: string;
}

/** DomainErrorOptions are the optional parts of a DomainError. */
export interface DomainErrorOptions {
  /** Field-level problems, sent to the caller as google.rpc.BadRequest. */
  readonly violations?: readonly FieldViolation[];
  /** A machine-readable reason in UPPER_SNAKE_CASE (e.g. "NICKNAME_TAKEN"), sent as google.rpc.ErrorInfo. */
  readonly reason?: string;
  /** The underlying error, logged by the server but never sent. */
  readonly cause?: unknown;
}

/** DomainError is the base of every error whose message may be shown to the caller; its code is the gRPC status. */
export abstract class DomainError extends Error {
  /** code is the gRPC status code this error is answered with. */
  abstract readonly code: status;
  /** violations lists the bad request fields (empty for most errors). */
  readonly violations: readonly FieldViolation[];
  /** reason is an optional machine-readable reason. */
  readonly reason: string | undefined;

  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.violations = options.violations ?? [];
    this.reason = options.reason;
  }
}

/** InvalidArgumentError: the request is malformed or fails validation (INVALID_ARGUMENT, HTTP 400). */
export class InvalidArgumentError extends DomainError {
  readonly code = status.INVALID_ARGUMENT;
  constructor(message = 'invalid argument', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** NotFoundError: the addressed entity does not exist (NOT_FOUND, HTTP 404). */
export class NotFoundError extends DomainError {
  readonly code = status.NOT_FOUND;
  constructor(message = 'not found', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** AlreadyExistsError: a unique value is taken (ALREADY_EXISTS, HTTP 409). */
export class AlreadyExistsError extends DomainError {
  readonly code = status.ALREADY_EXISTS;
  constructor(message = 'already exists', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** FailedPreconditionError: the entity is in the wrong state, e.g. locked by a saga (FAILED_PRECONDITION, HTTP 409). */
export class FailedPreconditionError extends DomainError {
  readonly code = status.FAILED_PRECONDITION;
  constructor(message = 'failed precondition', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** PermissionDeniedError: the caller is known but may not do this (PERMISSION_DENIED, HTTP 403). */
export class PermissionDeniedError extends DomainError {
  readonly code = status.PERMISSION_DENIED;
  constructor(message = 'permission denied', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** UnauthenticatedError: missing, invalid or expired credentials (UNAUTHENTICATED, HTTP 401). */
export class UnauthenticatedError extends DomainError {
  readonly code = status.UNAUTHENTICATED;
  constructor(message = 'unauthenticated', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** ResourceExhaustedError: a quota or rate limit is used up (RESOURCE_EXHAUSTED, HTTP 429). */
export class ResourceExhaustedError extends DomainError {
  readonly code = status.RESOURCE_EXHAUSTED;
  constructor(message = 'resource exhausted', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** UnavailableError: a dependency is down; the caller may retry later (UNAVAILABLE, HTTP 503). */
export class UnavailableError extends DomainError {
  readonly code = status.UNAVAILABLE;
  constructor(message = 'service unavailable', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** DeadlineExceededError: the call ran past its deadline (DEADLINE_EXCEEDED, HTTP 504). */
export class DeadlineExceededError extends DomainError {
  readonly code = status.DEADLINE_EXCEEDED;
  constructor(message = 'deadline exceeded', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** CancelledError: the caller went away before the answer was ready (CANCELLED). */
export class CancelledError extends DomainError {
  readonly code = status.CANCELLED;
  constructor(message = 'cancelled', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** UnimplementedError: the RPC exists in the contract but has no implementation yet (UNIMPLEMENTED). */
export class UnimplementedError extends DomainError {
  readonly code = status.UNIMPLEMENTED;
  constructor(message = 'not implemented', options?: DomainErrorOptions) {
    super(message, options);
  }
}

/** isDomainError tells whether an error carries its own safe gRPC status. */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
