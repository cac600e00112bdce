import { status } from '@grpc/grpc-js';
import { statusOf } from '../../breaker/breaker';
import type { CallWrapper } from '../client';

/** RetryOptions bound retries; each has a default. */
export interface RetryOptions {
  /** maxAttempts including the first (default 3). */
  maxAttempts?: number;
  /** initialDelayMs is the backoff cap before the 2nd attempt, doubled for each later one (default 50). */
  initialDelayMs?: number;
  /** maxDelayMs caps any single backoff (default 1000). */
  maxDelayMs?: number;
}

/**
 * retryWrapper repeats a call that failed with UNAVAILABLE, and only for idempotent methods: a non-idempotent call may
 * have been applied before the connection broke. Backoff is exponential with full jitter (a random delay up to the
 * exponential cap) so clients that failed together do not retry together; no retry starts past the deadline.
 */
export function retryWrapper(options: RetryOptions = {}): CallWrapper {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const initialDelayMs = options.initialDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 1000;
  return (next) => async (request, ctx) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(request, { ...ctx, attempt });
      } catch (err) {
        if (!ctx.idempotent || statusOf(err) !== status.UNAVAILABLE || attempt >= maxAttempts) throw err;
        const delay = Math.random() * Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
        if (Date.now() + delay >= ctx.deadline.getTime()) throw err;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
}
