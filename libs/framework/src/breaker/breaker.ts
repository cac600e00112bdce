// The breaker contract: which outcomes count against an endpoint, and the error an open breaker fails fast with.
// Kept free of opossum so callers (the gateway's error mapping) can depend on it alone.
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';

/** BreakerOptions tune every endpoint breaker of a client; each has a default. */
export interface BreakerOptions {
  /** resetTimeoutMs an open breaker waits before letting one half-open probe through (default 10000). */
  resetTimeoutMs?: number;
  /** errorThresholdPercentage of failed calls in the rolling window that opens the breaker (default 50). */
  errorThresholdPercentage?: number;
  /** volumeThreshold is the number of calls in the window before the breaker may open at all (default 5). */
  volumeThreshold?: number;
  /** rollingWindowMs is the statistics window (default 10000). */
  rollingWindowMs?: number;
  /** timeoutMarginMs puts the breaker's own timeout this far above the gRPC deadline (default 250), see Breakers. */
  timeoutMarginMs?: number;
}

/** BreakerState is the state of one endpoint breaker. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/**
 * FAILURE_CODES are the outcomes that say the callee is unhealthy. Business answers (INVALID_ARGUMENT, NOT_FOUND,
 * ALREADY_EXISTS, PERMISSION_DENIED, UNAUTHENTICATED, FAILED_PRECONDITION, ...) prove it is working and never count.
 * UNKNOWN is included because grpc-js reports a handler that crashed without a status that way.
 */
export const FAILURE_CODES: ReadonlySet<status> = new Set([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.INTERNAL,
  status.UNKNOWN,
]);

/** statusOf reads the gRPC status code of an error, or undefined for errors that are not gRPC statuses. */
export function statusOf(err: unknown): status | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? (code as status) : undefined;
}

/** countsAsFailure tells whether an error should count against the breaker (non-gRPC errors, e.g. timeouts, do). */
export function countsAsFailure(err: unknown): boolean {
  const code = statusOf(err);
  return code === undefined || FAILURE_CODES.has(code);
}

/** serviceError builds an error shaped like the ones grpc-js gives callers, for failures raised on the client side. */
export function serviceError(code: status, details: string, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

/**
 * BreakerOpenError is the fast failure of an open breaker: code UNAVAILABLE, so it maps to 503 like any unavailable
 * backend, with the time until the half-open probe in `retryAfterMs` and in the `retry-after` metadata (seconds).
 */
export class BreakerOpenError extends Error implements ServiceError {
  override readonly name = 'BreakerOpenError';
  readonly code = status.UNAVAILABLE;
  readonly details: string;
  readonly metadata = new Metadata();

  constructor(
    readonly endpoint: string,
    readonly retryAfterMs: number,
  ) {
    super(`${status.UNAVAILABLE} UNAVAILABLE: circuit breaker open for ${endpoint}`);
    this.details = `circuit breaker open for ${endpoint}`;
    this.metadata.set('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  }
}

/** isBreakerOpenError tells a fast failure of an open breaker from an UNAVAILABLE answered by the callee. */
export function isBreakerOpenError(err: unknown): err is BreakerOpenError {
  return err instanceof BreakerOpenError;
}
