// The breaker contract: which outcomes count against an endpoint, and the error an open breaker fails fast with.
// Kept free of opossum so callers (the gateway's error mapping) can depend on it alone.
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { INTERNAL_MESSAGE } from '../errors/status';

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
 * FAILURE_CODES are the outcomes that say the callee is unhealthy: it cannot be reached, is shutting down or out of
 * resources (UNAVAILABLE: our services answer it for a lost database too), or is too slow (DEADLINE_EXCEEDED).
 * Business answers (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED, UNAUTHENTICATED,
 * FAILED_PRECONDITION, ...) prove it is working and never count.
 *
 * INTERNAL and UNKNOWN are not in the set, see countsAsFailure: a callee's own INTERNAL answer is a bug met by one
 * request's data, answered at once by a service that is otherwise up. Counting it let any client that found such an
 * input open the breaker for every user (five bad logins closed login for everyone for 10 s), and an open breaker
 * would not help anyway: the answer is already fast, and nothing is overloaded.
 */
export const FAILURE_CODES: ReadonlySet<status> = new Set([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);

/** statusOf reads the gRPC status code of an error, or undefined for errors that are not gRPC statuses. */
export function statusOf(err: unknown): status | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? (code as status) : undefined;
}

/**
 * countsAsFailure tells whether an error should count against the breaker: non-gRPC errors (the breaker's own
 * timeout) and FAILURE_CODES do. INTERNAL and UNKNOWN count only when the callee did not answer them itself: every
 * framework server answers an unexpected error as INTERNAL with exactly INTERNAL_MESSAGE, while an INTERNAL or UNKNOWN
 * made by grpc-js on the caller's side (a reset stream, an unparsable response, a peer that is not one of ours)
 * says the connection or the peer is broken.
 */
export function countsAsFailure(err: unknown): boolean {
  const code = statusOf(err);
  if (code === undefined || FAILURE_CODES.has(code)) return true;
  if (code === status.INTERNAL || code === status.UNKNOWN) {
    return (err as { details?: unknown }).details !== INTERNAL_MESSAGE;
  }
  return false;
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
