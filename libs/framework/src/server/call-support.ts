// What the unary and the streaming handler adapters share: the answer to a thrown error, abandoning work once the
// call is aborted, and a request context for a call served without the framework's interceptors.
import type { ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import { mapError, toServerError } from '../errors';
import type { Logger, RequestContext } from '../telemetry';
import { extractTraceContext, startServerSpan } from '../telemetry/tracing';
import { newRequestContext } from '../telemetry/request-context';
import { translateDatabaseError } from '../store/database-errors';
import { deadlineMs, splitPath } from './paths';

/**
 * answerOf turns what a handler threw into the status the caller gets: database failures translated first, then the
 * error mapping; what the caller cannot see is logged here with the request's ids.
 */
export function answerOf(error: unknown, ctx: RequestContext): ServiceError {
  const translated = translateDatabaseError(error);
  const mapped = mapError(translated ?? error);
  if (translated) {
    ctx.logger.warn(
      { err: error, grpcCode: mapped.status.code },
      'database refused the call; the caller gets a safe status',
    );
  } else if (mapped.hidden) {
    ctx.logger.error(
      { err: error, grpcCode: mapped.status.code },
      'handler failed; the caller gets a generic status',
    );
  }
  return toServerError(mapped.status);
}

/**
 * untilAborted resolves with work's answer, or rejects with the signal's reason (DeadlineExceededError,
 * CancelledError, UnavailableError at shutdown) as soon as the call is cancelled, expires or is ended: the work's
 * promise is then no longer awaited.
 */
export function untilAborted<T>(work: () => T | Promise<T>, ctx: { signal: AbortSignal }): Promise<T> {
  const { signal } = ctx;
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const answered = new Promise<T>((resolve) => resolve(work()));
  return Promise.race([answered, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** SurfaceCall is what every kind of incoming call has (grpc-js does not export its ServerSurfaceCall). */
export type SurfaceCall = Pick<
  ServerUnaryCall<unknown, unknown>,
  'metadata' | 'getPath' | 'getDeadline' | 'cancelled' | 'sendMetadata'
>;

/** detachedRequest is only reached when a handler is served without the framework's interceptors (a bare Server). */
export function detachedRequest(call: SurfaceCall, logger: Logger): RequestContext {
  const path = call.getPath();
  const { service, method } = splitPath(path);
  const { context } = startServerSpan(`${service}/${method}`, extractTraceContext(call.metadata));
  return newRequestContext({
    method: path,
    metadata: call.metadata,
    deadline: deadlineMs(call.getDeadline()),
    logger,
    traceContext: context,
  });
}
